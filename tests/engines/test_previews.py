"""Step previews: the linear latent-to-RGB maps, TAESD and its fallback, the engine hook."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
import torch

from studio.core.errors import ValidationError
from studio.engines.image import ImageEngine
from studio.engines.image.previews import (
    FLUX,
    PREVIEW_SIZE,
    SD1,
    SD3,
    SDXL,
    LatentPreviewer,
    factors_for,
    unpack_2x2,
)
from tests.helpers import tiny_request


def latents(*shape: int, seed: int = 0) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def pixels(image) -> np.ndarray:  # type: ignore[no-untyped-def]
    return np.asarray(image, dtype=np.int16)


@pytest.fixture(scope="module")
def tiny_taesd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight AutoencoderTiny for 4-channel latents (upsamples 2x), saved to disk."""
    from diffusers import AutoencoderTiny

    torch.manual_seed(0)
    vae = AutoencoderTiny(
        encoder_block_out_channels=(8, 8), decoder_block_out_channels=(8, 8),
        num_encoder_blocks=(1, 1), num_decoder_blocks=(1, 1), latent_channels=4,
    )  # fmt: skip
    folder = tmp_path_factory.mktemp("taesd") / "taesd"
    vae.save_pretrained(folder, safe_serialization=True)
    return folder


def test_linear_preview_has_the_preview_size_and_shows_the_latents() -> None:
    image = LatentPreviewer("sd1")(latents(1, 4, 32, 48))
    assert image is not None and image.mode == "RGB"
    assert image.size == (240, 160)  # nearest-upscaled 5x: the long side stays <= 256
    assert pixels(image).std() > 10
    big = LatentPreviewer("sdxl")(latents(1, 4, 300, 200))  # pooled before the matmul
    assert big is not None and max(big.size) <= PREVIEW_SIZE


def test_linear_preview_applies_the_factors_and_bias() -> None:
    # Zero latents give the bias alone: SDXL's (0.1084, -0.0175, -0.0011) in [-1, 1].
    image = LatentPreviewer("sdxl")(torch.zeros(1, 4, 8, 8))
    assert image is not None and tuple(pixels(image)[0, 0]) == (141, 125, 127)
    one = torch.zeros(1, 4, 8, 8)
    one[:, 3] = 1.0  # SD 1.x channel 4 is mostly "minus blue"
    r, g, b = pixels(LatentPreviewer("sd1")(one))[0, 0]
    assert b < g < r


@pytest.mark.parametrize(
    ("family", "factors"),
    [("sd", SD1), ("sd1", SD1), ("sd2", SD1), ("sdxl", SDXL), ("sd3", SD3), ("flux", FLUX)],
)
def test_family_selects_its_factors(family: str, factors: object) -> None:
    assert factors_for(family) is factors
    channels = 16 if family in ("sd3", "flux") else 4
    image = LatentPreviewer(family)(latents(1, channels, 16, 16))
    assert image is not None and pixels(image).std() > 0


@pytest.mark.parametrize("family", ["unknown", "other", "pixart", "kandinsky"])
def test_other_families_get_a_grey_preview_of_the_channel_mean(family: str) -> None:
    assert factors_for(family) is None
    image = LatentPreviewer(family)(latents(1, 8, 16, 16))
    assert image is not None
    rgb = pixels(image)
    assert (rgb[..., 0] == rgb[..., 1]).all() and (rgb[..., 1] == rgb[..., 2]).all()
    assert rgb.min() == 0 and rgb.max() == 255  # stretched to the full range


def test_latents_that_do_not_fit_the_factors_fall_back_to_grey() -> None:
    image = LatentPreviewer("sd1")(latents(1, 16, 16, 16))  # an SD3 latent, an SD1 label
    rgb = pixels(image)
    assert (rgb[..., 0] == rgb[..., 2]).all()


def test_flux_packed_latents_are_unpacked_like_the_pipeline_packs_them() -> None:
    from diffusers import FluxPipeline

    spatial = latents(2, 16, 12, 20)
    packed = FluxPipeline._pack_latents(spatial, 2, 16, 12, 20)
    assert packed.shape == (2, 60, 64)
    assert torch.equal(unpack_2x2(packed, aspect=12 / 20), spatial)
    flux = LatentPreviewer("flux", aspect=96 / 160)
    assert np.array_equal(pixels(flux(packed)), pixels(flux(spatial)))


def test_a_batch_is_tiled_into_a_grid() -> None:
    image = LatentPreviewer("sd1")(latents(3, 4, 16, 16))  # 2x2 grid, one tile empty
    assert image is not None and image.size == (256, 256)


@pytest.mark.parametrize(
    "bad", [None, "latents", torch.zeros(4), torch.full((1, 4, 8, 8), float("nan"))]
)
def test_a_preview_never_raises(bad: object, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="studio.engines.image.previews"):
        image = LatentPreviewer("sd1")(bad)
    if isinstance(bad, torch.Tensor) and bad.ndim == 4:
        assert image is not None  # NaN becomes grey, not garbage
    else:
        assert image is None and "no preview" in caplog.text


def test_taesd_decodes_the_latents_when_installed(tiny_taesd: Path) -> None:
    from diffusers import AutoencoderTiny

    sample = latents(1, 4, 16, 16)
    image = LatentPreviewer("sd1", tiny_vae=tiny_taesd)(sample)
    vae = AutoencoderTiny.from_pretrained(tiny_taesd, local_files_only=True)
    with torch.inference_mode():
        decoded = vae.decode(sample).sample[0]  # 32x32: this decoder upsamples 2x
    expected = ((decoded + 1) * 127.5).clamp(0, 255).round().to(torch.uint8)
    assert image is not None and image.size == (256, 256)
    small = image.resize((32, 32), resample=0)  # undo the 8x nearest upscale
    assert np.array_equal(pixels(small), pixels(expected.permute(1, 2, 0).numpy()))
    linear = LatentPreviewer("sd1")(sample)
    assert not np.array_equal(pixels(image), pixels(linear))


def test_taesd_that_fails_falls_back_to_the_linear_preview(
    tiny_taesd: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sample = latents(1, 16, 16, 16)  # SD3-shaped: this TAESD takes 4 channels
    linear = pixels(LatentPreviewer("sd3")(sample))
    with caplog.at_level(logging.DEBUG, logger="studio.engines.image.previews"):
        wrong = LatentPreviewer("sd3", tiny_vae=tiny_taesd)
        assert np.array_equal(pixels(wrong(sample)), linear)
        assert wrong.tiny_vae is None  # not retried at every step
        broken = tmp_path / "broken-taesd"
        broken.mkdir()
        (broken / "config.json").write_text("{not json", encoding="utf-8")
        for folder in (broken, tmp_path / "missing"):
            assert np.array_equal(pixels(LatentPreviewer("sd3", tiny_vae=folder)(sample)), linear)
    assert caplog.text.count("TAESD preview from") == 3


def test_engine_previews_every_n_steps_but_never_the_last(
    sd_engine: ImageEngine, tiny_sd: Path
) -> None:
    seen: list[tuple[int, int, tuple[int, int]]] = []
    sd_engine.images(
        tiny_request(tiny_sd, steps=7, batch_count=2),
        preview=lambda image, done, total: seen.append((done, total, image.size)),
        preview_every=3,
    )
    assert [(done, total) for done, total, _ in seen] == [(3, 14), (6, 14), (10, 14), (13, 14)]
    assert all(size == (PREVIEW_SIZE, PREVIEW_SIZE) for *_, size in seen)  # 32x32 latents
    last_step_only: list[int] = []
    sd_engine.images(
        tiny_request(tiny_sd, steps=4),
        preview=lambda image, done, total: last_step_only.append(done),
        preview_every=4,
    )
    assert last_step_only == []


def test_failing_preview_does_not_change_or_break_the_generation(
    sd_engine: ImageEngine, tiny_sd: Path, tiny_taesd: Path, caplog: pytest.LogCaptureFixture
) -> None:
    request = tiny_request(tiny_sd, steps=4)
    plain = sd_engine.images(request)[0].image
    calls: list[int] = []

    def broken(image, done: int, total: int) -> None:  # type: ignore[no-untyped-def]
        calls.append(done)
        raise RuntimeError("the window is gone")

    with caplog.at_level(logging.DEBUG, logger="studio.engines.image.previews"):
        shown = sd_engine.images(request, preview=broken, preview_every=1, tiny_vae=tiny_taesd)
    assert calls == [1, 2, 3]
    assert "the window is gone" in caplog.text
    assert "TAESD preview from" not in caplog.text  # the engine's previews came from TAESD
    assert np.array_equal(pixels(plain), pixels(shown[0].image))


def test_preview_every_below_one_is_refused(sd_engine: ImageEngine, tiny_sd: Path) -> None:
    with pytest.raises(ValidationError, match="preview_every must be at least 1, not 0"):
        sd_engine.images(tiny_request(tiny_sd), preview=lambda *_: None, preview_every=0)
