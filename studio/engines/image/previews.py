"""Cheap previews of the latents while an image generates.

Two ways from latents to a small RGB image: a linear map per model family (one tiny
matmul, on the latents' device) or, when the caller has a TAESD decoder (a diffusers
`AutoencoderTiny` folder), that decoder, which is more faithful. Neither may break a
generation: any failure means no preview and a debug log line.
"""

from __future__ import annotations

import functools
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from PIL import Image

from studio.engines.contract import PreviewFn

_log = logging.getLogger(__name__)

PREVIEW_SIZE = 256  # the longest side of a preview, at most
_LINEAR_LATENT = 128  # latents are average-pooled to this long side before the linear map
_TINY_LATENT = 64  # ... and to this one before TAESD (which upsamples 8x)


@dataclass(frozen=True)
class LinearFactors:
    """Latent channel -> (R, G, B) weights plus a bias; the result is in [-1, 1]."""

    rows: tuple[tuple[float, float, float], ...]
    bias: tuple[float, float, float] = (0.0, 0.0, 0.0)


# `latent_rgb_factors` / `latent_rgb_factors_bias` from ComfyUI's comfy/latent_formats.py
# (least-squares fits of VAE-decoded colours). They apply to the latents the denoiser sees,
# which is what diffusers' step callback hands us (before the pipeline's VAE scaling).
SD1 = LinearFactors(  # SD 1.x and 2.x share one VAE, hence one latent space
    ((0.3512, 0.2297, 0.3227), (0.3250, 0.4974, 0.2350), (-0.2829, 0.1762, 0.2721),
     (-0.2120, -0.2616, -0.7177)),
)  # fmt: skip
SDXL = LinearFactors(
    ((0.3651, 0.4232, 0.4341), (-0.2533, -0.0042, 0.1068), (0.1076, 0.1111, -0.0362),
     (-0.3165, -0.2492, -0.2188)),
    (0.1084, -0.0175, -0.0011),
)  # fmt: skip
SD3 = LinearFactors(
    ((-0.0922, -0.0175, 0.0749), (0.0311, 0.0633, 0.0954), (0.1994, 0.0927, 0.0458),
     (0.0856, 0.0339, 0.0902), (0.0587, 0.0272, -0.0496), (-0.0006, 0.1104, 0.0309),
     (0.0978, 0.0306, 0.0427), (-0.0042, 0.1038, 0.1358), (-0.0194, 0.0020, 0.0669),
     (-0.0488, 0.0130, -0.0268), (0.0922, 0.0988, 0.0951), (-0.0278, 0.0524, -0.0542),
     (0.0332, 0.0456, 0.0895), (-0.0069, -0.0030, -0.0810), (-0.0596, -0.0465, -0.0293),
     (-0.1448, -0.1463, -0.1189)),
    (0.2394, 0.2135, 0.1925),
)  # fmt: skip
FLUX = LinearFactors(
    ((-0.0346, 0.0244, 0.0681), (0.0034, 0.0210, 0.0687), (0.0275, -0.0668, -0.0433),
     (-0.0174, 0.0160, 0.0617), (0.0859, 0.0721, 0.0329), (0.0004, 0.0383, 0.0115),
     (0.0405, 0.0861, 0.0915), (-0.0236, -0.0185, -0.0259), (-0.0245, 0.0250, 0.1180),
     (0.1008, 0.0755, -0.0421), (-0.0515, 0.0201, 0.0011), (0.0428, -0.0012, -0.0036),
     (0.0817, 0.0765, 0.0749), (-0.1264, -0.0522, -0.1103), (-0.0280, -0.0881, -0.0499),
     (-0.1262, -0.0982, -0.0778)),
    (-0.0329, -0.0718, -0.0851),
)  # fmt: skip
_BY_FAMILY = {"sd": SD1, "sd1": SD1, "sd2": SD1, "sdxl": SDXL, "sd3": SD3, "flux": FLUX}


def factors_for(family: str) -> LinearFactors | None:
    """The family's factors; None for any other family (previews then show grey levels)."""
    return _BY_FAMILY.get(family)


class LatentPreviewer:
    """Turns one step's latents into a small RGB image, or None; never raises.

    A batch is tiled into a near-square grid. Families without factors (or latents whose
    channel count does not match them) get a generic preview: the channel mean, stretched
    to the full grey range. `aspect` (height / width) unpacks Flux's 2x2-packed latents.
    """

    def __init__(self, family: str, tiny_vae: Path | None = None, aspect: float = 1.0) -> None:
        self.factors = factors_for(family)
        self.tiny_vae = tiny_vae
        self.aspect = aspect
        self._weights: dict[tuple[Any, Any], tuple[torch.Tensor, torch.Tensor]] = {}

    def __call__(self, latents: Any) -> Image.Image | None:
        try:
            with torch.inference_mode():
                grid = _grid(_spatial(latents.detach(), self.aspect))
                if self.tiny_vae is not None:
                    image = self._decode_tiny(grid)
                    if image is not None:
                        return image
                return _fit(self._linear(_pool(grid, _LINEAR_LATENT)))
        except Exception as exc:  # a preview must never break the generation
            _log.debug("no preview: %s", exc, exc_info=True)
            return None

    def _linear(self, latents: torch.Tensor) -> Image.Image:
        channels = latents.shape[1]
        if self.factors is None or len(self.factors.rows) != channels:
            grey = torch.nan_to_num(latents[0].float().mean(dim=0, keepdim=True))
            low, high = grey.min(), grey.max()
            rgb = ((grey - low) / (high - low).clamp(min=1e-6) * 2 - 1).expand(3, -1, -1)
        else:
            matrix, bias = self._weights_on(latents)
            rgb = torch.einsum("chw,cr->rhw", latents[0], matrix) + bias[:, None, None]
        return _to_image(rgb)

    def _weights_on(self, latents: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        key = (latents.device, latents.dtype)
        if key not in self._weights:  # built once per device/dtype, not every step
            assert self.factors is not None
            self._weights[key] = (
                torch.tensor(self.factors.rows, device=latents.device, dtype=latents.dtype),
                torch.tensor(self.factors.bias, device=latents.device, dtype=latents.dtype),
            )
        return self._weights[key]

    def _decode_tiny(self, latents: torch.Tensor) -> Image.Image | None:
        """TAESD's image, or None (and the linear map from now on) if it fails."""
        assert self.tiny_vae is not None
        try:
            vae = _load_tiny_vae(str(self.tiny_vae), str(latents.device), latents.dtype)
            config = vae.config
            if config.latent_channels != latents.shape[1]:
                raise ValueError(
                    f"it takes {config.latent_channels} latent channels, not {latents.shape[1]}"
                )
            # What a pipeline does before its VAE; TAESD's config carries the family's values.
            scaled = _pool(latents, _TINY_LATENT) / config.scaling_factor
            scaled = scaled + (config.shift_factor or 0.0)
            return _fit(_to_image(vae.decode(scaled).sample[0]))
        except Exception as exc:
            _log.debug("TAESD preview from %s failed, using the linear one: %s", self.tiny_vae, exc)
            self.tiny_vae = None  # do not retry (and log) at every step
            return None


@functools.lru_cache(maxsize=1)
def _load_tiny_vae(path: str, device: str, dtype: torch.dtype) -> Any:
    """One TAESD decoder kept loaded (a few MB) across requests."""
    from studio.models.loading.quiet import quiet_hf_libraries

    quiet_hf_libraries()
    from diffusers import AutoencoderTiny

    vae = AutoencoderTiny.from_pretrained(path, local_files_only=True, use_safetensors=True)
    return vae.to(device=device, dtype=dtype).eval()


def unpack_2x2(latents: torch.Tensor, aspect: float) -> torch.Tensor:
    """(batch, patches, 4 * channels) -> (batch, channels, height, width), as Flux packs them.

    The same permutation as FluxPipeline._unpack_latents; the patch grid is the
    factorisation of `patches` closest to the image's aspect ratio (height / width).
    """
    batch, patches, packed = latents.shape
    guess = max(1, round(math.sqrt(patches * aspect)))
    # The divisor nearest the guess; searched outwards, so a square image costs one test.
    rows = next(
        r for d in range(guess + 1) for r in (guess - d, guess + d) if r > 0 and patches % r == 0
    )
    cols, channels = patches // rows, packed // 4
    grid = latents.reshape(batch, rows, cols, channels, 2, 2).permute(0, 3, 1, 4, 2, 5)
    return grid.reshape(batch, channels, rows * 2, cols * 2)


def _spatial(latents: torch.Tensor, aspect: float) -> torch.Tensor:
    if latents.ndim == 3:
        return unpack_2x2(latents, aspect)
    if latents.ndim != 4:
        raise ValueError(f"latents of shape {tuple(latents.shape)} are not images")
    return latents


def _grid(latents: torch.Tensor) -> torch.Tensor:
    """A batch as one near-square grid: (1, channels, rows * height, cols * width)."""
    batch, channels, height, width = latents.shape
    if batch == 1:
        return latents
    cols = math.ceil(math.sqrt(batch))
    rows = math.ceil(batch / cols)
    padded = torch.cat([latents, latents.new_zeros(rows * cols - batch, channels, height, width)])
    tiles = padded.reshape(rows, cols, channels, height, width).permute(2, 0, 3, 1, 4)
    return tiles.reshape(1, channels, rows * height, cols * width)


def _pool(latents: torch.Tensor, longest: int) -> torch.Tensor:
    factor = math.ceil(max(latents.shape[-2:]) / longest)
    if factor <= 1:
        return latents
    return torch.nn.functional.avg_pool2d(latents, factor, ceil_mode=True)


def _to_image(rgb: torch.Tensor) -> Image.Image:
    """(3, h, w) in [-1, 1] -> PIL; the bytes are made on the device, then copied."""
    pixels = ((torch.nan_to_num(rgb.float()) + 1) * 127.5).clamp(0, 255).round().to(torch.uint8)
    return Image.fromarray(pixels.permute(1, 2, 0).cpu().numpy(), "RGB")


def _fit(image: Image.Image) -> Image.Image:
    """Nearest-upscale by a whole factor, or shrink, so the long side is at most PREVIEW_SIZE."""
    longest = max(image.size)
    if longest > PREVIEW_SIZE:
        scale = PREVIEW_SIZE / longest
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        return image.resize(size, Image.Resampling.BILINEAR)
    factor = PREVIEW_SIZE // longest
    if factor <= 1:
        return image
    return image.resize((image.width * factor, image.height * factor), Image.Resampling.NEAREST)


class StepPreviews:
    """Shows a preview every `every` steps of each batch, except a batch's last step
    (its final image follows at once). `show` failing is logged, never raised."""

    def __init__(self, show: PreviewFn, previewer: LatentPreviewer, every: int) -> None:
        self.show, self.previewer, self.every = show, previewer, every

    def after_step(
        self, step: int, steps_in_batch: int, tensors: dict[str, Any], done: int, total: int
    ) -> None:
        if (step + 1) % self.every or step + 1 >= steps_in_batch or "latents" not in tensors:
            return
        image = self.previewer(tensors["latents"])
        if image is None:
            return
        try:
            self.show(image, done, total)
        except Exception as exc:
            _log.debug("the preview callback failed: %s", exc, exc_info=True)
