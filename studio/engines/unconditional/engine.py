"""UnconditionalEngine: the denoising loop of DDPM/DDIM/LDM pipelines, run here so that
every step reports progress, honours cancel, and can start from given noise (walks)."""

from __future__ import annotations

import inspect
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from studio.core.errors import Cancelled, GenerationError, ModelError, one_line
from studio.core.requests import LatentWalkRequest, UnconditionalRequest
from studio.core.requests.image import MAX_SEED
from studio.engines.contract import (
    CancelledFn,
    Events,
    GeneratedImage,
    ProgressFn,
    concrete_seed,
    images_or_frames,
    no_progress,
)
from studio.engines.devices import dtype_name, resolve_device, resolve_dtype
from studio.engines.image.samplers import make_scheduler, name_of
from studio.engines.latent_walk import seed_noise
from studio.engines.resident import ResidentModel, spec_for
from studio.models.loading.quiet import quiet_hf_libraries
from studio.models.spec import ModelSpec


class UnconditionalEngine(ResidentModel):
    WEIGHTS = "pipe"

    def __init__(
        self, pipe: Any, path: Path, name: str, device: torch.device, dtype: torch.dtype,
        family: str = "",
    ) -> None:  # fmt: skip
        self.pipe, self.path, self.name, self.device, self.dtype = pipe, path, name, device, dtype
        self.family = family
        self.sampler_name = ""
        self._default_scheduler = pipe.scheduler

    @classmethod
    def load(
        cls, model: str | Path | ModelSpec, device: str = "auto", precision: str = "auto"
    ) -> UnconditionalEngine:
        spec = spec_for(model, "unconditional", "an unconditional image model")
        torch_device = resolve_device(device)
        dtype = resolve_dtype(torch_device, precision, spec.family)
        quiet_hf_libraries()
        from diffusers import DiffusionPipeline

        try:
            pipe = DiffusionPipeline.from_pretrained(
                spec.path, dtype=dtype, local_files_only=True, use_safetensors=not spec.allow_pickle
            )
        except (OSError, ValueError, KeyError, RuntimeError, TypeError) as exc:
            raise ModelError(f"cannot load {spec.name}: {one_line(exc)}") from None
        pipe.to(torch_device)
        return cls(pipe, spec.path, spec.name, torch_device, dtype, spec.family)

    @property
    def sample_shape(self) -> tuple[int, int, int]:
        """(channels, height, width) of the noise the UNet denoises."""
        config = self.pipe.unet.config
        size = config.sample_size
        height, width = (size, size) if isinstance(size, int) else tuple(size)
        return config.in_channels, height, width

    def run(
        self, request: UnconditionalRequest | LatentWalkRequest, events: Events
    ) -> Iterator[Any]:
        """The engine contract: each image as its batch completes, or a walk's frames."""
        return images_or_frames(self, request, events, lambda: self.iter_batches(
            request, events.progress, events.cancelled))  # type: ignore[arg-type]  # fmt: skip

    def iter_batches(
        self, request: UnconditionalRequest, progress: ProgressFn = no_progress,
        cancelled: CancelledFn = lambda: False,
    ) -> Iterator[list[GeneratedImage]]:  # fmt: skip
        base = concrete_seed(request.seed)
        total = request.steps * request.batch_count
        for batch in range(request.batch_count):
            first = batch * request.batch_size
            seeds = [(base + first + i) % (MAX_SEED + 1) for i in range(request.batch_size)]
            noise = torch.stack([seed_noise(s, self.sample_shape) for s in seeds])
            started = time.perf_counter()

            def step(done: int, _steps: int, offset: int = batch * request.steps) -> None:
                progress(offset + done, total)

            images = self.sample(
                noise, request.steps, request.sampler, request.eta, step, cancelled
            )
            run = self._run_facts((time.perf_counter() - started) / request.batch_size)
            yield [GeneratedImage(img, s, first + i, self.sampler_name, dict(run))
                   for i, (img, s) in enumerate(zip(images, seeds, strict=True))]  # fmt: skip

    def sample(
        self, noise: torch.Tensor, steps: int, sampler: str, eta: float = 0.0,
        progress: ProgressFn = no_progress, cancelled: CancelledFn = lambda: False,
    ) -> list[Image.Image]:  # fmt: skip
        """Denoise `noise` (batch, C, H, W) into images; Cancelled between steps."""
        pipe = self.pipe
        scheduler = make_scheduler(sampler, self._default_scheduler)
        self.sampler_name = name_of(scheduler)
        scheduler.set_timesteps(steps)
        extra = {"eta": eta} if "eta" in inspect.signature(scheduler.step).parameters else {}
        latents = noise.to(self.device, self.dtype) * scheduler.init_noise_sigma
        with torch.inference_mode():
            for index, t in enumerate(scheduler.timesteps):
                if cancelled():
                    raise Cancelled()
                model_input = scheduler.scale_model_input(latents, t)
                latents = scheduler.step(
                    pipe.unet(model_input, t).sample, t, latents, **extra
                ).prev_sample
                progress(index + 1, steps)
            vqvae = getattr(pipe, "vqvae", None)
            if vqvae is not None:  # latent diffusion: decode latents to pixels
                latents = vqvae.decode(latents / vqvae.config.scaling_factor).sample
        pixels = (latents / 2 + 0.5).clamp(0, 1).float().cpu().permute(0, 2, 3, 1).numpy()
        if not np.isfinite(pixels).all():
            raise GenerationError(f"{self.name} produced NaN values; try --precision fp32")
        return [Image.fromarray((p * 255).round().astype(np.uint8).squeeze()) for p in pixels]

    def _run_facts(self, seconds: float) -> dict[str, Any]:
        return {"device": str(self.device), "dtype": dtype_name(self.dtype),
                "pipeline": type(self.pipe).__name__, "seconds": round(seconds, 3)}  # fmt: skip
