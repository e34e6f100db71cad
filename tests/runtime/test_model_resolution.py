"""Models by catalog id or name, per-model memory options, and wrong-kind refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.cli.main import main
from studio.core.errors import ModelError
from studio.core.paths import data_paths
from studio.models.catalog import ModelCatalog
from studio.runtime.loaded_models import load_engine, model_cache, unload_model
from tests.models import zoo


@pytest.fixture
def cataloged(tiny_sd: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "models"
    zoo.copy(tiny_sd, folder / "tiny-sd")
    zoo.lora_sd1(folder / "Lora" / "fox.safetensors")
    zoo.config_folder(
        folder / "marian", {"model_type": "marian", "architectures": ["MarianMTModel"]}
    )
    assert main(["models", "scan", str(folder), "--no-hf-cache"]) == 0
    capsys.readouterr()
    return folder


def test_generate_by_catalog_id_and_name(
    cataloged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with ModelCatalog(data_paths().database) as catalog:
        entry = catalog.find("tiny-sd")
    for ref in (str(entry.id), "tiny-sd"):
        argv = ["generate", "image", "--model", ref, "--prompt", "x", "--steps", "2", "--size", "64",
                "--out", str(tmp_path / "out")]  # fmt: skip
        assert main(argv) == 0, capsys.readouterr().err
        assert Path(capsys.readouterr().out.strip()).is_file()
    with ModelCatalog(data_paths().database) as catalog:
        assert catalog.find("tiny-sd").last_used is not None


def test_memory_options_are_per_model(cataloged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "set", "tiny-sd", "--vae-tiling", "yes", "--vae-slicing", "yes"]) == 0
    assert "memory options: vae_slicing, vae_tiling" in capsys.readouterr().out
    with ModelCatalog(data_paths().database) as catalog:
        engine = load_engine("image", "tiny-sd", device="cpu", catalog=catalog)
    assert sorted(engine.memory_options) == ["vae_slicing", "vae_tiling"]
    assert engine.loaded.pipe.vae.use_tiling and engine.loaded.pipe.vae.use_slicing


def test_wrong_kinds_are_refused_in_one_line(cataloged: Path) -> None:
    with ModelCatalog(data_paths().database) as catalog:
        with pytest.raises(ModelError, match="fox is a lora, not a model to generate with"):
            load_engine("image", "fox", catalog=catalog)
        with pytest.raises(ModelError, match="marian is a translate model, not an image model"):
            load_engine("image", "marian", catalog=catalog)
        with pytest.raises(ModelError, match="no model 'nothing' in the catalog"):
            load_engine("image", "nothing", catalog=catalog)


def test_loaded_models_are_reused_until_unloaded(cataloged: Path) -> None:
    cache = model_cache()
    with ModelCatalog(data_paths().database) as catalog:
        first = load_engine("image", "tiny-sd", device="cpu", precision="fp32", catalog=catalog)
        assert (
            load_engine("image", "tiny-sd", device="cpu", precision="fp32", catalog=catalog)
            is first
        )
        assert first.memory_bytes() > 0
        assert any(key[1] == str(first.loaded.path) for key, _ in cache.loaded())
        assert unload_model("tiny-sd", catalog) >= 1
        assert first.loaded.pipe is None  # released, memory given back
        assert (
            load_engine("image", "tiny-sd", device="cpu", precision="fp32", catalog=catalog)
            is not first
        )
