"""Model operations as the GUI and CLI call them: plain results, one-line named refusals."""

from __future__ import annotations

import io
import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.core.errors import ModelError
from studio.core.paths import data_paths
from studio.core.settings import load_settings
from studio.models.catalog import ModelCatalog
from studio.models.hashing import HashCache
from studio.models.operations import (
    Refused,
    forget_model,
    import_file,
    import_pack_file,
    scan_folders,
    verify_model,
)
from studio.models.packs import export_pack
from tests.models import zoo


@pytest.fixture
def catalog() -> Iterator[ModelCatalog]:
    with ModelCatalog(data_paths().ensure().database) as opened:
        yield opened


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A pack of one LoRA file, exported from a catalog of its own."""
    lora = zoo.lora_sd1(tmp_path / "source" / "fox.safetensors")
    hashes = HashCache(tmp_path / "h.json")
    with ModelCatalog(tmp_path / "source.sqlite3") as source:
        scan_folders(source, [lora.parent], hf_cache=False)
        return export_pack([source.find("fox")], tmp_path / "out" / "fox.gspack", hashes)


def refused(reason: str, call, *args, **kwargs) -> Refused:  # type: ignore[no-untyped-def]
    with pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    error = caught.value
    assert isinstance(error, ModelError) and error.reason == reason
    assert str(error) and "\n" not in str(error)
    return error


def test_a_model_file_is_copied_cataloged_and_its_folder_remembered(
    catalog: ModelCatalog, tmp_path: Path
) -> None:
    source = zoo.sd1_checkpoint(tmp_path / "elsewhere" / "dreamy.safetensors")
    result = import_file(source, catalog)
    assert (result.kind, result.source, result.target) == (
        "file",
        source,
        data_paths().home.resolve() / "models",
    )
    assert source.exists() and (result.target / "dreamy.safetensors").is_file()  # copied, not moved
    (model_id,) = result.ids
    assert result.new_ids == (model_id,) and not result.known
    entry = catalog.get(model_id)
    assert entry is not None and (entry.name, entry.task) == ("dreamy", "image")
    assert str(result.target) in load_settings().model_folders
    assert not [p for p in result.target.iterdir() if p.name.startswith(".")]  # no partial copy


def test_import_refuses_a_missing_file_a_non_model_and_an_existing_destination(
    catalog: ModelCatalog, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.safetensors"
    error = refused("no-such-file", import_file, missing, catalog)
    assert error.details == {"path": missing} and "no such file" in str(error)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a model")
    assert "neither a model pack nor a model file" in str(
        refused("not-a-model", import_file, notes, catalog)
    )
    source = zoo.lora_sd1(tmp_path / "fox.safetensors")
    target = tmp_path / "target"
    import_file(source, catalog, target=target)
    error = refused("exists", import_file, source, catalog, target=target)
    assert error.details["path"] == target.resolve() / "fox.safetensors"
    assert [e.name for e in catalog.entries()] == ["fox"]


def test_a_failed_copy_leaves_no_half_model(
    catalog: ModelCatalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = zoo.lora_sd1(tmp_path / "fox.safetensors")

    def full_disk(src: Path, dst: Path) -> None:
        Path(dst).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", full_disk)
    error = refused("copy-failed", import_file, source, catalog, target=tmp_path / "target")
    assert error.details["detail"] == "No space left on device"
    assert list((tmp_path / "target").iterdir()) == [] and catalog.entries() == []


def test_a_pack_is_verified_imported_and_a_second_import_adds_nothing(
    catalog: ModelCatalog, pack: Path, tmp_path: Path
) -> None:
    first = import_file(pack, catalog, target=tmp_path / "target")  # sniffed: a tar is a pack
    assert first.kind == "pack" and len(first.ids) == 1 and first.new_ids == first.ids
    assert (first.target / "fox.safetensors").is_file()
    again = import_pack_file(pack, catalog, target=tmp_path / "target")
    assert again.ids == first.ids and again.known == frozenset(first.ids) and again.new_ids == ()
    assert str(first.target) in load_settings().model_folders


def test_a_pack_that_fails_verification_imports_nothing(
    catalog: ModelCatalog, pack: Path, tmp_path: Path
) -> None:
    flipped = tmp_path / "flipped.gspack"
    with tarfile.open(pack) as src, tarfile.open(flipped, "w", format=tarfile.PAX_FORMAT) as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.endswith("fox.safetensors"):
                at = len(data) // 2  # in the tensor data, past the header
                data = data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]
            dst.addfile(member, io.BytesIO(data))
    target = tmp_path / "target"
    with pytest.raises(ModelError) as caught:
        import_pack_file(flipped, catalog, target=target)
    assert "sha256" in str(caught.value) and "nothing was imported" in str(caught.value)
    assert catalog.entries() == [] and list(target.iterdir()) == []
    assert str(target.resolve()) not in load_settings().model_folders
    refused("no-such-file", import_pack_file, tmp_path / "gone.gspack", catalog)


def test_verify_hashes_and_refuses_missing_files_and_a_broken_model(
    catalog: ModelCatalog, tmp_path: Path
) -> None:
    folder = tmp_path / "models"
    zoo.sd1_checkpoint(folder / "dreamy.safetensors")
    zoo.truncated(folder / "broken.safetensors")
    zoo.lora_sd1(folder / "gone.safetensors")
    scan_folders(catalog, [folder], hf_cache=False)
    dreamy = catalog.find("dreamy")
    result = verify_model(dreamy, catalog)
    assert (result.id, result.original_id, result.merged) == (dreamy.id, dreamy.id, False)
    assert (result.task, result.family) == ("image", "sd1") and len(result.sha256) == 64
    assert result.short_hash == result.sha256[:10] == catalog.find("dreamy").short_hash
    assert "is truncated" in str(refused("unusable", verify_model, catalog.find("broken"), catalog))
    gone = catalog.find("gone")
    gone.path.unlink()
    error = refused("files-missing", verify_model, gone, catalog)
    assert error.details == {"id": gone.id, "name": "gone", "path": gone.path}


def test_scan_adds_a_folder_counts_and_forget_keeps_the_files(
    catalog: ModelCatalog, tmp_path: Path
) -> None:
    refused("no-such-folder", scan_folders, catalog, add=tmp_path / "nowhere", hf_cache=False)
    folder = tmp_path / "models"
    zoo.lora_sd1(folder / "fox.safetensors")
    zoo.truncated(folder / "broken.safetensors")
    result = scan_folders(catalog, add=folder, hf_cache=False)
    assert load_settings().model_folders == [str(folder.resolve())]
    assert (result.folders, result.hf_cache) == ((folder.resolve(),), False)
    assert (result.added, result.updated, result.unchanged, result.total) == (2, 0, 0, 2)
    assert [p.path.name for p in result.problems] == ["broken.safetensors"]
    again = scan_folders(catalog, hf_cache=False)  # the settings' folders
    assert (again.added, again.unchanged) == (0, 2)
    forgotten = forget_model(catalog, "fox")
    assert forgotten.name == "fox" and (folder / "fox.safetensors").exists()
    assert [e.name for e in catalog.entries()] == ["broken"]
