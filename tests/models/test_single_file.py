"""Single-file (A1111/ComfyUI) SD checkpoints: local configs only, safe pickle handling."""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import load_file, save_file

from studio.core.errors import ModelError
from studio.core.resources import resources_dir
from studio.engines.image import ImageEngine
from studio.models.loading.diffusers_pipeline import LoadedPipeline
from studio.models.loading.single_file import config_source, load_single_file_pipeline
from tests.helpers import NETWORK_AUDIT, tiny_request
from tests.models.ldm_checkpoint import build_tiny_sdxl_two_widths, write_ldm_checkpoint

CPU, FP32 = torch.device("cpu"), torch.float32
CAT_IDS = [49406, 320, 1125, 539, 320, 2368, 49407]  # "a photo of a cat", as openai/clip has it
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("single-file")


@pytest.fixture(scope="module")
def sd1_file(tiny_sd: Path, files: Path) -> Path:
    return write_ldm_checkpoint(tiny_sd, files / "tiny-sd1.safetensors", "sd1")


@pytest.fixture(scope="module")
def sdxl_folder(files: Path) -> Path:
    return build_tiny_sdxl_two_widths(files / "tiny-sdxl-two-widths")


def load(
    path: Path, family: str = "sd1", config: Path | None = None, allow_pickle: bool = False
) -> LoadedPipeline:
    return load_single_file_pipeline(path, family, CPU, FP32, [config] if config else [],
                                     allow_pickle=allow_pickle)  # fmt: skip


def refused(
    path: Path, family: str = "sd1", config: Path | None = None, allow_pickle: bool = False
) -> str:
    with pytest.raises(ModelError) as caught:
        load(path, family, config, allow_pickle)
    message = str(caught.value)
    assert "\n" not in message and message.strip() == message
    return message


def assert_same_weights(folder: Path, pipe, components: list[str]) -> None:  # type: ignore[no-untyped-def]
    from diffusers import DiffusionPipeline

    reference = DiffusionPipeline.from_pretrained(folder, local_files_only=True)
    for name in components:
        want, got = getattr(reference, name).state_dict(), getattr(pipe, name).state_dict()
        assert want.keys() == got.keys(), name
        assert [k for k in want if not torch.equal(want[k], got[k])] == [], name


@pytest.mark.parametrize("family", ["sd1", "sd2", "sdxl"])
def test_round_trip_restores_every_weight(
    family: str, tiny_sd: Path, sdxl_folder: Path, sd1_file: Path, files: Path
) -> None:
    folder = sdxl_folder if family == "sdxl" else tiny_sd
    # SD 2.x: the tiny SD weights in OpenCLIP layout (cond_stage_model.model.*).
    path = sd1_file if family == "sd1" else write_ldm_checkpoint(
        folder, files / f"tiny-{family}.safetensors", family)  # fmt: skip
    loaded = load(path, family, config=folder)
    encoders = ["text_encoder", "text_encoder_2"] if family == "sdxl" else ["text_encoder"]
    assert_same_weights(folder, loaded.pipe, ["unet", "vae", *encoders])
    assert (loaded.name, loaded.family, loaded.path) == (path.stem, family, path)
    assert loaded.pipeline_class == type(loaded.pipe).__name__
    assert loaded.pipe._progress_bar_config == {"disable": True}


# Fresh interpreter with NO offline switches and an empty HF cache: an audit hook records
# and blocks every connection and DNS lookup while the checkpoint loads and generates.
PROBE = (
    NETWORK_AUDIT
    + r"""
from pathlib import Path
import torch
from studio.engines.image import ImageEngine
from studio.models.loading.diffusers_pipeline import LoadedPipeline
from studio.models.loading.single_file import load_single_file_pipeline
from tests.helpers import NETWORK_AUDIT, tiny_request
checkpoint, config, out = map(Path, sys.argv[1:4])
loaded = load_single_file_pipeline(checkpoint, "sd1", torch.device("cpu"), torch.float32, [config])
[generated] = ImageEngine(loaded).images(tiny_request(checkpoint))
generated.image.save(out)
print("ATTEMPTS", attempts)
"""
)


def test_checkpoint_generates_with_no_network_attempt(
    sd1_file: Path, tiny_sd: Path, sd_engine: ImageEngine, tmp_path: Path, studio_home: Path
) -> None:
    out = tmp_path / "single-file.png"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "STUDIO_HOME": str(studio_home), "HF_HOME": str(tmp_path / "empty-hf-cache")}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(sd1_file), str(tiny_sd), str(out)],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=300,
    )  # fmt: skip
    assert "ATTEMPTS []" in result.stdout.splitlines(), result.stdout + result.stderr[-3000:]
    image = np.asarray(Image.open(out), dtype=np.int16)
    assert image.shape == (64, 64, 3)
    # The same weights as the diffusers folder: the same picture (threads may differ by 1-2).
    folder_image = np.asarray(sd_engine.images(tiny_request(tiny_sd))[0].image, dtype=np.int16)
    assert np.abs(image - folder_image).max() <= 2


def test_missing_config_source_says_what_to_add(
    sd1_file: Path, tiny_sdxl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("studio.models.loading.single_file.resources_dir", lambda: tmp_path)
    # An installed folder of another family is no source for SD 1.x.
    assert refused(sd1_file, config=tiny_sdxl) == (
        "no configuration for SD 1.x single-file checkpoints: add any SD 1.x model in diffusers "
        "format to a model folder, or restore resources/model-configs/sd1"
    )


def test_installed_folder_of_the_family_wins_over_shipped_config(
    tiny_sd: Path, tiny_sdxl: Path
) -> None:
    shipped = resources_dir() / "model-configs"
    assert config_source("sd1", [tiny_sdxl, tiny_sd]) == tiny_sd
    assert config_source("sd2", [tiny_sdxl]) == shipped / "sd2"
    assert config_source("sdxl", [tiny_sd, tiny_sdxl]) == tiny_sdxl
    assert config_source("sdxl") == shipped / "sdxl"


def test_shipped_sd1_config_is_stable_diffusion_1_5() -> None:
    from diffusers import PNDMScheduler, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTokenizer

    folder = resources_dir() / "model-configs" / "sd1"
    tokenizer = CLIPTokenizer.from_pretrained(folder / "tokenizer", local_files_only=True)
    assert tokenizer("a photo of a cat").input_ids == CAT_IDS
    assert (len(tokenizer), tokenizer.model_max_length, tokenizer.pad_token) == (
        49408, 77, "<|endoftext|>")  # fmt: skip
    unet = UNet2DConditionModel.load_config(folder / "unet")
    assert unet["block_out_channels"] == [320, 640, 1280, 1280]
    assert unet["cross_attention_dim"] == 768
    text = CLIPTextConfig.from_pretrained(folder / "text_encoder", local_files_only=True)
    assert (text.hidden_size, text.num_hidden_layers, text.vocab_size) == (768, 12, 49408)
    assert text.max_position_embeddings == 77
    scheduler = PNDMScheduler.from_pretrained(folder, subfolder="scheduler").config
    assert (scheduler.beta_schedule, scheduler.beta_start, scheduler.beta_end) == (
        "scaled_linear", 0.00085, 0.012)  # fmt: skip
    assert scheduler.steps_offset == 1 and scheduler.skip_prk_steps is True


# Parameter counts (millions) of the published models: the configs are the real architectures.
PARAMETERS = {
    "sd1": {"unet": 859.52, "vae": 83.65, "text_encoder": 123.06},
    "sd2": {"unet": 865.91, "vae": 83.65, "text_encoder": 340.39},
    "sdxl": {"unet": 2567.46, "vae": 83.65, "text_encoder": 123.06, "text_encoder_2": 694.66},
}
PAD = {"sd1": ["<|endoftext|>"], "sd2": ["!"], "sdxl": ["<|endoftext|>", "!"]}


@pytest.mark.parametrize("family", ["sd1", "sd2", "sdxl"])
def test_shipped_configs_build_the_published_architectures(family: str) -> None:
    import diffusers
    import transformers
    from accelerate import init_empty_weights

    folder = resources_dir() / "model-configs" / family
    for suffix, pad in zip(["", "_2"], PAD[family], strict=False):
        tokenizer = transformers.CLIPTokenizer.from_pretrained(folder / f"tokenizer{suffix}")
        assert tokenizer("a photo of a cat").input_ids == CAT_IDS and tokenizer.pad_token == pad
    index = diffusers.DiffusionPipeline.load_config(folder)
    getattr(diffusers, index["scheduler"][1]).from_pretrained(folder, subfolder="scheduler")
    counts = {}
    with init_empty_weights():  # meta tensors: no memory, no time
        for name in PARAMETERS[family]:
            library, class_name = index[name]
            cls = getattr(diffusers if library == "diffusers" else transformers, class_name)
            if library == "diffusers":
                model = cls.from_config(cls.load_config(folder / name))
            else:
                model = cls(transformers.CLIPTextConfig.from_pretrained(folder / name))
            counts[name] = round(sum(p.numel() for p in model.parameters()) / 1e6, 2)
    assert counts == PARAMETERS[family]


def test_weights_that_do_not_fit_the_config_are_named(sd1_file: Path) -> None:
    # The tiny checkpoint against the real SD 1.5 configuration (the shipped fallback).
    message = refused(sd1_file)
    assert message.startswith("tiny-sd1.safetensors does not match the SD 1.x configuration")
    assert "is [77, 16], expected [77, 768]" in message


def test_missing_keys_are_refused_not_left_uninitialised(
    sd1_file: Path, tiny_sd: Path, tmp_path: Path
) -> None:
    state = load_file(sd1_file)
    partial = tmp_path / "partial.safetensors"
    save_file({k: v for k, v in state.items() if ".out." not in k}, partial)  # UNet's final norm
    message = refused(partial, config=tiny_sd)
    assert message.startswith("partial.safetensors: weights are missing: its keys do not match "
                              f"the SD 1.x configuration in {tiny_sd}")  # fmt: skip


def test_corrupt_or_foreign_files_give_one_line(
    sd1_file: Path, tiny_sd: Path, tmp_path: Path
) -> None:
    truncated = tmp_path / "truncated.safetensors"
    truncated.write_bytes(sd1_file.read_bytes()[:50_000])
    assert "truncated or corrupt" in refused(truncated, config=tiny_sd)
    lora = tmp_path / "lora.safetensors"
    save_file({"lora_unet_down_blocks_0.alpha": torch.ones(1)}, lora)
    assert "not a full SD 1.x checkpoint" in refused(lora, config=tiny_sd)
    assert refused(sd1_file, "sdxl").endswith("is not an SDXL checkpoint (it looks like SD 1.x)")
    assert "not supported yet" in refused(sd1_file, "flux")
    assert refused(tmp_path / "absent.safetensors").startswith("model not found")


def test_pickle_checkpoint_refused_unless_allowed_then_plain_tensors_only(
    sd1_file: Path, tiny_sd: Path, tmp_path: Path
) -> None:
    ckpt = tmp_path / "plain.ckpt"
    torch.save({"state_dict": load_file(sd1_file), "global_step": 3}, ckpt)
    message = refused(ckpt, config=tiny_sd)
    assert "pickle" in message and "can run code" in message and ".safetensors" in message
    loaded = load(ckpt, config=tiny_sd, allow_pickle=True)
    assert (loaded.name, loaded.path) == ("plain", ckpt)
    assert_same_weights(tiny_sd, loaded.pipe, ["unet", "vae", "text_encoder"])


class _Payload:
    """Unpickling this runs code: it creates `marker`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (builtins.exec, (f"open({str(self.marker)!r}, 'w').close()",))


def test_malicious_pickle_is_refused_and_never_runs(
    sd1_file: Path, tiny_sd: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    function, args = _Payload(marker).__reduce__()
    function(*args)  # the payload is live: run directly, it does create the marker
    assert marker.exists()
    marker.unlink()
    evil = tmp_path / "evil.ckpt"
    torch.save({"state_dict": load_file(sd1_file), "hook": _Payload(marker)}, evil)
    message = refused(evil, config=tiny_sd, allow_pickle=True)
    assert message == "evil.ckpt contains code or objects that are not plain tensors; refused"
    assert not marker.exists()
