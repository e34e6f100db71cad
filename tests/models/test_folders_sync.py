"""A model folder taken out of the settings takes its models out of the catalog, and only
those: kept folders (nested either way) and duplicates elsewhere keep theirs."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.models.catalog import ModelCatalog
from studio.models.discovery.scanner import scan
from studio.models.hashing import HashCache
from studio.models.operations import forget_removed_folders
from tests.models import zoo


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    """a/ holds a checkpoint and a LoRA, a/inner/ a VAE, b/ an embedding and a copy of
    a's checkpoint (one catalog entry with two paths)."""
    a, b = tmp_path / "a", tmp_path / "b"
    zoo.sd1_checkpoint(a / "dreamy.safetensors")
    zoo.lora_sd1(a / "fox.safetensors")
    zoo.vae(a / "inner" / "vae-ft-mse.safetensors")
    zoo.embedding_sd1(b / "hands.safetensors")
    shutil.copy(a / "dreamy.safetensors", b / "dreamy-copy.safetensors")
    return {"a": a, "inner": a / "inner", "b": b}


@pytest.fixture
def catalog(tmp_path: Path, folders: dict[str, Path]) -> Iterator[ModelCatalog]:
    with ModelCatalog(tmp_path / "db.sqlite3") as made:
        scan(made, [folders["a"], folders["b"]], HashCache.default(), hf_cache=False)
        yield made


def names(catalog: ModelCatalog) -> set[str]:
    return {entry.name for entry in catalog.entries()}


def test_the_scan_found_every_model(catalog: ModelCatalog) -> None:
    assert names(catalog) == {"dreamy", "fox", "vae-ft-mse", "hands"}  # the copy merged
    [dreamy] = [e for e in catalog.entries() if e.name == "dreamy"]
    assert len(dreamy.paths) == 2


def test_removing_a_folder_forgets_its_models_and_keeps_the_files(
    catalog: ModelCatalog, folders: dict[str, Path]
) -> None:
    dropped = forget_removed_folders(catalog, [folders["a"], folders["b"]], [str(folders["b"])])
    assert dropped == 2  # fox and the VAE; dreamy lives on in b
    assert names(catalog) == {"dreamy", "hands"}
    [dreamy] = [e for e in catalog.entries() if e.name == "dreamy"]
    assert dreamy.paths == (folders["b"] / "dreamy-copy.safetensors",)
    assert (folders["a"] / "fox.safetensors").is_file()  # the catalog forgets; disks keep


def test_a_kept_folder_inside_a_removed_one_keeps_its_models(
    catalog: ModelCatalog, folders: dict[str, Path]
) -> None:
    old = [folders["a"], folders["inner"], folders["b"]]
    assert forget_removed_folders(catalog, old, [folders["inner"], folders["b"]]) == 1
    assert names(catalog) == {"dreamy", "vae-ft-mse", "hands"}


def test_a_removed_folder_inside_a_kept_one_forgets_nothing(
    catalog: ModelCatalog, folders: dict[str, Path]
) -> None:
    old = [folders["a"], folders["inner"], folders["b"]]
    assert forget_removed_folders(catalog, old, [folders["a"], folders["b"]]) == 0
    assert len(names(catalog)) == 4


def test_unchanged_folders_and_other_spellings_forget_nothing(
    catalog: ModelCatalog, folders: dict[str, Path]
) -> None:
    old = [str(folders["a"]), str(folders["b"])]
    assert forget_removed_folders(catalog, old, old) == 0
    same = [f"{folders['a']}/", str(folders["b"] / "x" / "..")]  # resolved before comparing
    assert forget_removed_folders(catalog, old, same) == 0
    assert forget_removed_folders(catalog, [], []) == 0
    assert len(names(catalog)) == 4


def test_an_unplugged_folder_can_still_be_removed(
    catalog: ModelCatalog, folders: dict[str, Path]
) -> None:
    shutil.rmtree(folders["b"])  # the drive is gone; the user drops it from the list
    assert forget_removed_folders(catalog, [folders["a"], folders["b"]], [folders["a"]]) == 1
    assert names(catalog) == {"dreamy", "fox", "vae-ft-mse"}
