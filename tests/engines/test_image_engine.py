"""The image engine on real tiny pipelines: modes, seeds, samplers, progress, cancel, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from studio.core.errors import Cancelled, GenerationError, ModelError, ValidationError
from studio.core.requests import SAMPLER_NAMES, ImageRequest
from studio.engines.image import ImageEngine
from tests.helpers import tiny_request


def request(model: Path, **changes: object) -> ImageRequest:
    return tiny_request(model, **changes)


def pixels(image) -> np.ndarray:  # type: ignore[no-untyped-def]
    return np.asarray(image, dtype=np.int16)


def test_txt2img_makes_every_image_with_its_own_seed(sd_engine: ImageEngine, tiny_sd: Path) -> None:
    images = sd_engine.images(request(tiny_sd, batch_size=2, batch_count=2, width=64, height=72))
    assert [(g.index, g.seed) for g in images] == [(0, 7), (1, 8), (2, 9), (3, 10)]
    assert all(g.image.size == (64, 72) and g.image.mode == "RGB" for g in images)
    assert images[0].sampler == "DDIM"  # "Default" resolves to the model's own scheduler
    assert images[0].run["device"] == "cpu" and images[0].run["dtype"] == "fp32"


def test_same_seed_same_image_and_batch_position_does_not_matter(
    sd_engine: ImageEngine, tiny_sd: Path
) -> None:
    alone = sd_engine.images(request(tiny_sd, seed=8))[0]
    again = sd_engine.images(request(tiny_sd, seed=8))[0]
    in_batch = sd_engine.images(request(tiny_sd, seed=7, batch_size=2))[1]
    assert np.array_equal(pixels(alone.image), pixels(again.image))
    assert np.abs(pixels(alone.image) - pixels(in_batch.image)).max() <= 2
    other = sd_engine.images(request(tiny_sd, seed=9))[0]
    assert not np.array_equal(pixels(alone.image), pixels(other.image))


def test_random_seed_is_chosen_and_recorded(sd_engine: ImageEngine, tiny_sd: Path) -> None:
    first, second = sd_engine.images(request(tiny_sd, seed=-1, batch_size=2))
    assert 0 <= first.seed < 2**32 and second.seed == (first.seed + 1) % 2**32


@pytest.mark.parametrize("sampler", SAMPLER_NAMES)
def test_every_sampler_runs_and_reports_its_name(
    sd_engine: ImageEngine, tiny_sd: Path, sampler: str
) -> None:
    steps = 3
    [image] = sd_engine.images(request(tiny_sd, sampler=sampler, steps=steps))
    assert image.sampler == ("DDIM" if sampler == "Default" else sampler)


def test_sdxl_pipelines_generate(tiny_sdxl: Path) -> None:
    engine = ImageEngine.load(tiny_sdxl, device="cpu")
    assert engine.loaded.family == "sdxl"
    [image] = engine.images(request(tiny_sdxl, negative_prompt="blurry", sampler="Euler a"))
    assert image.image.size == (64, 64)


def test_progress_counts_every_step_of_every_batch(sd_engine: ImageEngine, tiny_sd: Path) -> None:
    seen: list[tuple[int, int]] = []
    sd_engine.images(
        request(tiny_sd, steps=3, batch_count=2), progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(1, 6), (2, 6), (3, 6), (4, 6), (5, 6), (6, 6)]


def test_cancel_stops_within_one_step_and_discards_the_batch(
    sd_engine: ImageEngine, tiny_sd: Path
) -> None:
    steps_seen: list[int] = []
    finished: list[int] = []

    def cancelled() -> bool:
        return len(steps_seen) >= 12  # cancel during the second batch (10 steps each)

    batches = sd_engine.iter_batches(
        request(tiny_sd, steps=10, batch_count=3), progress=lambda d, t: steps_seen.append(d),
        cancelled=cancelled,
    )  # fmt: skip
    with pytest.raises(Cancelled):
        for batch in batches:
            finished.extend(g.index for g in batch)
    assert finished == [0]  # the first batch completed; the cancelled one yields nothing
    assert len(steps_seen) == 12  # no step ran after the cancel was seen


def test_img2img_and_inpaint(sd_engine: ImageEngine, tiny_sd: Path, make_image) -> None:  # type: ignore[no-untyped-def]
    init = make_image("init.png", (96, 96))
    mask = make_image("mask.png", (96, 96), mode="L")
    seen: list[tuple[int, int]] = []
    [edited] = sd_engine.images(
        request(tiny_sd, mode="img2img", init_image=str(init), strength=0.5, steps=4),
        progress=lambda d, t: seen.append((d, t)),
    )
    assert edited.image.size == (64, 64)
    assert seen[-1] == (2, 2)  # strength 0.5 of 4 steps
    [painted] = sd_engine.images(
        request(tiny_sd, mode="inpaint", init_image=str(init), mask_image=str(mask), strength=1.0)
    )
    assert painted.image.size == (64, 64)


def test_mask_of_the_wrong_size_is_refused(
    sd_engine: ImageEngine, tiny_sd: Path, make_image
) -> None:  # type: ignore[no-untyped-def]
    init = make_image("init.png", (64, 64))
    mask = make_image("mask.png", (32, 64), mode="L")
    with pytest.raises(ValidationError, match="mask is 32x64 but the init image is 64x64"):
        sd_engine.images(
            request(tiny_sd, mode="inpaint", init_image=str(init), mask_image=str(mask))
        )


def test_unreadable_or_missing_init_image(
    sd_engine: ImageEngine, tiny_sd: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.png"
    bad.write_text("not an image")
    with pytest.raises(ValidationError, match="cannot read init image"):
        sd_engine.images(request(tiny_sd, mode="img2img", init_image=str(bad)))
    with pytest.raises(ValidationError, match="init image not found"):
        sd_engine.images(request(tiny_sd, mode="img2img", init_image=str(tmp_path / "none.png")))


def test_nan_output_is_an_error_not_a_black_image(tiny_sd: Path) -> None:
    import torch

    engine = ImageEngine.load(tiny_sd, device="cpu")
    with torch.no_grad():
        engine.loaded.pipe.vae.decoder.conv_out.bias.fill_(float("nan"))
    with pytest.raises(GenerationError, match=r"NaN.*--precision fp32"):
        engine.images(request(tiny_sd))


def test_missing_and_non_pipeline_folders(tmp_path: Path, tiny_sd: Path) -> None:
    with pytest.raises(ModelError, match="model not found"):
        ImageEngine.load(tmp_path / "nope")
    (tmp_path / "folder").mkdir()
    with pytest.raises(ModelError, match="is not a diffusers pipeline folder"):
        ImageEngine.load(tmp_path / "folder")
    (tmp_path / "file.safetensors").write_bytes(b"x")
    with pytest.raises(ModelError, match=r"file.safetensors is truncated"):
        ImageEngine.load(tmp_path / "file.safetensors")
    component = tiny_sd / "unet" / "diffusion_pytorch_model.safetensors"
    with pytest.raises(ModelError, match=r"is not an image checkpoint .no known layout"):
        ImageEngine.load(component)


def test_broken_weights_give_one_line(tiny_sd: Path, tmp_path: Path) -> None:
    broken = shutil.copytree(tiny_sd, tmp_path / "broken")
    (broken / "unet" / "diffusion_pytorch_model.safetensors").write_bytes(b"garbage")
    with pytest.raises(ModelError) as info:
        ImageEngine.load(broken, device="cpu")
    assert str(info.value).startswith("cannot load StableDiffusionPipeline from")
    assert "\n" not in str(info.value)


def test_pickle_only_weights_are_refused_before_loading(tiny_sd: Path, tmp_path: Path) -> None:
    unsafe = shutil.copytree(tiny_sd, tmp_path / "unsafe")
    weights = unsafe / "unet" / "diffusion_pytorch_model.safetensors"
    weights.rename(weights.with_suffix(".bin"))
    with pytest.raises(ModelError, match=r"only pickle weights .*refused.*safetensors"):
        ImageEngine.load(unsafe, device="cpu")


def test_unknown_device_and_precision(tiny_sd: Path) -> None:
    with pytest.raises(ValidationError, match="unknown precision 'fp8'"):
        ImageEngine.load(tiny_sd, precision="fp8")
    with pytest.raises(ValidationError, match="no CUDA GPU is available"):
        ImageEngine.load(tiny_sd, device="cuda")
    with pytest.raises(ValidationError, match="unknown device 'tpu9'"):
        ImageEngine.load(tiny_sd, device="tpu9")


def test_flow_matching_models_refuse_noise_samplers() -> None:
    from diffusers import FlowMatchEulerDiscreteScheduler

    from studio.engines.image.samplers import make_scheduler

    flow = FlowMatchEulerDiscreteScheduler()
    assert make_scheduler("Euler", flow) is flow
    with pytest.raises(ValidationError, match="does not apply to flow-matching models"):
        make_scheduler("DPM++ 2M Karras", flow)


def test_model_index_family_detection(tiny_sd: Path, tiny_sdxl: Path) -> None:
    from studio.models.loading.diffusers_pipeline import family_of

    for path, family in ((tiny_sd, "sd"), (tiny_sdxl, "sdxl")):
        assert (
            family_of(json.loads((path / "model_index.json").read_text())["_class_name"]) == family
        )
    assert family_of("FluxPipeline") == "flux" and family_of("StableDiffusion3Pipeline") == "sd3"
