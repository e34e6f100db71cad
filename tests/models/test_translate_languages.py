"""A translation model's languages read from its files agree with what the engine finds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from studio.core.errors import ModelError
from studio.models.catalog import ModelCatalog
from studio.models.translate_languages import M2M100_CODES, folder_languages, model_languages


@pytest.fixture(scope="module")
def models(tiny_translate_models: dict[str, Path]) -> dict[str, Path]:
    return tiny_translate_models


@pytest.mark.usefixtures("one_torch_thread")
@pytest.mark.parametrize("name", ["marian", "marian-multi", "m2m100", "nllb", "madlad", "t5"])
def test_files_agree_with_the_loaded_engine(models: dict[str, Path], name: str) -> None:
    from studio.engines.translate import TranslateEngine

    engine = TranslateEngine.load(models[name], device="cpu", precision="fp32")
    read = folder_languages(models[name], model=engine.name)
    assert read == engine.languages()


def test_each_family(models: dict[str, Path]) -> None:
    assert folder_languages(models["marian"]).sources == ("pt",)
    assert folder_languages(models["marian"]).targets == ("en",)
    multi = folder_languages(models["marian-multi"])
    assert (multi.sources, multi.targets) == (("en",), ("de", "fr", "pt"))
    assert len(folder_languages(models["m2m100"]).targets) == len(M2M100_CODES["m2m100"].split())
    assert folder_languages(models["nllb"]).targets == ("de", "en", "fr", "pt")
    t5 = folder_languages(models["t5"])
    assert t5.pairs == {("en", "de"), ("en", "fr")}
    assert t5.targets_for("en") == ("de", "fr")


def test_old_marian_export_named_by_its_folder(models: dict[str, Path], tmp_path: Path) -> None:
    folder = shutil.copytree(models["marian"], tmp_path / "opus-mt-de-fr")
    config = json.loads((folder / "tokenizer_config.json").read_text())
    del config["source_lang"], config["target_lang"]
    (folder / "tokenizer_config.json").write_text(json.dumps(config))
    found = folder_languages(folder)
    assert (found.sources, found.targets) == (("de",), ("fr",))


def test_by_catalog_reference_and_path(models: dict[str, Path], studio_home: Path) -> None:
    from studio.models.discovery.scanner import scan
    from studio.models.hashing import HashCache

    studio_home.mkdir(parents=True, exist_ok=True)
    with ModelCatalog(studio_home / "catalog.sqlite3") as catalog:
        scan(catalog, [models["nllb"]], HashCache.default(), hf_cache=False)
        entry = next(e for e in catalog.entries() if e.path == models["nllb"])
        assert model_languages(str(entry.id), catalog).targets == ("de", "en", "fr", "pt")
    assert model_languages(str(models["m2m100"])).supports("pt", "en")


def test_failures_are_one_line(models: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="model not found"):
        model_languages(str(tmp_path / "missing"))
    broken = shutil.copytree(models["nllb"], tmp_path / "broken")
    (broken / "tokenizer_config.json").write_text("{not json")
    with pytest.raises(ModelError, match=r"cannot read tokenizer_config\.json of broken") as err:
        folder_languages(broken)
    assert "\n" not in str(err.value)
    (tmp_path / "llm").mkdir()
    (tmp_path / "llm" / "config.json").write_text(json.dumps({"model_type": "gpt2"}))
    with pytest.raises(ModelError, match="not a translation model"):
        folder_languages(tmp_path / "llm")
