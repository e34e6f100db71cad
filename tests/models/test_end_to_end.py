"""The model manager through the `studio` command: download, single files, pickle opt-in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.cli.main import main
from studio.core.settings import Settings, save_settings
from tests.models import zoo
from tests.models.fake_hub import FakeHub
from tests.models.ldm_checkpoint import write_ldm_checkpoint


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def generate(model: str, out: Path) -> list[str]:
    return ["generate", "image", "--model", model, "--prompt", "a lighthouse", "--steps", "2",
            "--size", "64x64", "--seed", "3", "--out", str(out)]  # fmt: skip


def test_download_then_generate_from_the_catalog(
    tiny_sd: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from huggingface_hub import constants

    save_settings(Settings(offline=False))  # the user turned offline mode off to download
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "no-token"))
    with FakeHub(tiny_sd, "tiny/sd") as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.endpoint)
        code, out, err = run(capsys, "models", "download", "tiny/sd")
    assert code == 0, err
    assert "downloaded and verified tiny/sd: catalog id" in err and "image/sd1" in err
    assert Path(out.strip()).is_dir()
    assert constants.HF_HUB_OFFLINE  # back offline after the download
    code, out, err = run(capsys, *generate("tiny/sd", tmp_path / "out"))
    assert code == 0, err
    assert Path(out.strip()).is_file()


def test_download_of_a_missing_repo_is_one_line(
    tmp_path: Path,
    tiny_sd: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from huggingface_hub import constants

    save_settings(Settings(offline=False))  # the user turned offline mode off to download
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    with FakeHub(tiny_sd, "tiny/sd") as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.endpoint)
        code, _, err = run(capsys, "models", "download", "tiny/nothing")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_single_file_checkpoint_by_name_uses_the_installed_family_config(
    tiny_sd: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    models = tmp_path / "stable-diffusion-webui" / "models" / "Stable-diffusion"
    zoo.copy(tiny_sd, models / "tiny-sd")
    write_ldm_checkpoint(tiny_sd, models / "tiny-single.safetensors")
    assert run(capsys, "models", "scan", str(models), "--no-hf-cache")[0] == 0
    code, out, _ = run(capsys, "models", "list", "--json")
    single = next(e for e in json.loads(out) if e["name"] == "tiny-single")
    assert (single["task"], single["family"], single["kind"]) == ("image", "sd1", "checkpoint")
    code, out, err = run(capsys, *generate("tiny-single", tmp_path / "out"))
    assert code == 0, err
    assert Path(out.strip()).is_file()


def test_pickle_pipeline_folder_needs_the_users_permission(
    tiny_sd: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import torch
    from safetensors.torch import load_file

    folder = zoo.copy(tiny_sd, tmp_path / "models" / "old-sd")
    weights = folder / "unet" / "diffusion_pytorch_model.safetensors"
    torch.save(load_file(str(weights)), weights.with_suffix(".bin"))
    weights.unlink()
    assert run(capsys, "models", "scan", str(tmp_path / "models"), "--no-hf-cache")[0] == 0
    code, _, err = run(capsys, *generate("old-sd", tmp_path / "out"))
    assert code == 2 and "only pickle weights" in err and "--allow-pickle yes" in err
    assert run(capsys, "models", "set", "old-sd", "--allow-pickle", "yes")[0] == 0
    code, out, err = run(capsys, *generate("old-sd", tmp_path / "out"))
    assert code == 0, err
    assert Path(out.strip()).is_file()
