"""Identification from configs, safetensors headers and pickle opcodes: no weights loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.models.identify import identify_path
from studio.models.identify.pickle_scan import pickle_globals
from tests.models import zoo


def ident(path: Path) -> tuple[str, str, str, str]:
    found = identify_path(path)
    return found.task, found.family, found.kind, found.format


def test_diffusers_pipelines(tiny_sd: Path, tiny_sdxl: Path) -> None:
    assert ident(tiny_sd) == ("image", "sd1", "pipeline", "diffusers")
    assert ident(tiny_sdxl) == ("image", "sdxl", "pipeline", "diffusers")


@pytest.mark.parametrize(
    ("builder", "expected"),
    [
        (zoo.sd1_checkpoint, ("image", "sd1", "checkpoint", "safetensors")),
        (zoo.sdxl_checkpoint, ("image", "sdxl", "checkpoint", "safetensors")),
        (zoo.lora_sd1, ("image", "sd1", "lora", "safetensors")),
        (zoo.lora_sdxl, ("image", "sdxl", "lora", "safetensors")),
        (zoo.embedding_sd1, ("image", "sd1", "embedding", "safetensors")),
        (zoo.vae, ("image", "sd", "vae", "safetensors")),
    ],
)
def test_single_files_from_their_header(tmp_path: Path, builder, expected) -> None:  # type: ignore[no-untyped-def]
    assert ident(builder(tmp_path / "model.safetensors")) == expected


@pytest.mark.parametrize(
    ("config", "extra", "expected"),
    [
        ({"model_type": "marian", "architectures": ["MarianMTModel"]}, None, ("translate", "marian")),
        ({"model_type": "m2m_100"}, {"tokenizer_config.json": {"tokenizer_class": "NllbTokenizer"}},
         ("translate", "nllb")),
        ({"model_type": "m2m_100"}, None, ("translate", "m2m100")),
        ({"model_type": "t5", "architectures": ["T5ForConditionalGeneration"]}, None, ("translate", "t5")),
        ({"model_type": "musicgen"}, None, ("music", "musicgen")),
        ({"model_type": "vits"}, None, ("speech", "vits")),
        ({"model_type": "speecht5", "architectures": ["SpeechT5ForTextToSpeech"]}, None, ("speech", "speecht5")),
        ({"model_type": "bark"}, None, ("speech", "bark")),
        ({"model_type": "llama", "architectures": ["LlamaForCausalLM"]}, None, ("text", "llama")),
        ({"model_type": "bert", "architectures": ["BertModel"]}, None, ("unknown", "unknown")),
    ],
)  # fmt: skip
def test_transformers_folders_from_config(tmp_path: Path, config, extra, expected) -> None:  # type: ignore[no-untyped-def]
    assert ident(zoo.config_folder(tmp_path / "m", config, extra))[:2] == expected


def test_real_tiny_language_model(tmp_path: Path) -> None:
    assert ident(zoo.tiny_gpt2(tmp_path / "gpt2")) == (
        "text",
        "gpt2",
        "transformers",
        "transformers",
    )


def test_unconditional_and_audio_pipelines(tmp_path: Path) -> None:
    for cls, expected in (("DDPMPipeline", ("unconditional", "ddpm")),
                          ("AudioLDM2Pipeline", ("music", "audioldm2")),
                          ("StableAudioPipeline", ("music", "stable-audio"))):  # fmt: skip
        folder = tmp_path / cls
        folder.mkdir()
        (folder / "model_index.json").write_text(f'{{"_class_name": "{cls}"}}')
        assert ident(folder)[:2] == expected


def test_pipeline_with_a_missing_component_is_a_problem(tiny_sd: Path, tmp_path: Path) -> None:
    broken = zoo.copy(tiny_sd, tmp_path / "broken")
    import shutil

    shutil.rmtree(broken / "vae")
    found = identify_path(broken)
    assert found.problem == "StableDiffusionPipeline is missing its vae folder"


def test_corrupt_and_truncated_safetensors_are_problems(tmp_path: Path) -> None:
    found = identify_path(zoo.truncated(tmp_path / "cut.safetensors"))
    assert "is truncated" in found.problem and "\n" not in found.problem
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json at all}")
    assert "not JSON" in identify_path(garbage).problem


def test_pickles_are_read_without_running_them(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = identify_path(zoo.malicious_ckpt(tmp_path / "evil.ckpt", marker))
    assert (
        evil.problem.startswith("evil.ckpt contains code (posix.system")
        or "os.system" in evil.problem
    )
    assert not marker.exists()
    plain = identify_path(zoo.plain_ckpt(tmp_path / "old.ckpt"))
    assert (plain.task, plain.family, plain.format, plain.problem) == ("image", "sd1", "pickle", "")
    assert "refused unless you allow" in plain.reason
    found, _ = pickle_globals(tmp_path / "old.ckpt")
    assert ("collections", "OrderedDict") in found or (
        "torch._utils",
        "_rebuild_tensor_v2",
    ) in found


def test_unknown_things_say_why(tmp_path: Path) -> None:
    odd = zoo.tensors(tmp_path / "odd.safetensors", {"foo.bar": (3, 3), "baz": (1,)})
    found = identify_path(odd)
    assert found.task == "unknown" and "no known layout in 2 tensors" in found.reason
    (tmp_path / "empty").mkdir()
    assert "no model_index.json" in identify_path(tmp_path / "empty").reason
