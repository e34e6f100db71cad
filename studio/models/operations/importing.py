"""Import into the studio's models folder: a verified pack, or a single model file copied
(the original is never moved). The folder joins the model folders so later scans keep
what was imported."""

from __future__ import annotations

import shutil
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from studio.core.errors import ModelError
from studio.core.paths import data_paths
from studio.models.catalog import ModelCatalog
from studio.models.discovery.scanner import scan
from studio.models.hashing import HashCache
from studio.models.operations.refused import Refused
from studio.models.operations.scanning import remember_folder

MODEL_SUFFIXES = frozenset({".safetensors", ".gguf", ".ckpt", ".pt", ".pth", ".bin"})
Progress = Callable[[int, int], object] | None


@dataclass(frozen=True)
class ImportResult:
    kind: Literal["pack", "file"]
    source: Path
    target: Path  # the folder the models went into
    ids: tuple[int, ...]  # catalog ids of the imported models (a pack: one per model)
    known: frozenset[int]  # those of `ids` already in the catalog before the import

    @property
    def new_ids(self) -> tuple[int, ...]:
        return tuple(i for i in self.ids if i not in self.known)


def import_file(
    path: Path, catalog: ModelCatalog, *, target: Path | None = None, progress: Progress = None
) -> ImportResult:
    """A model pack is verified and unpacked (`progress(done, total)` in bytes); a model
    file is copied into `target` (default: the models folder in the data folder)."""
    if not path.is_file():
        raise Refused("no-such-file", f"cannot import {path}: no such file", path=path)
    if tarfile.is_tarfile(path):
        return import_pack_file(path, catalog, target=target, progress=progress)
    if path.suffix.lower() not in MODEL_SUFFIXES:
        raise Refused("not-a-model", f"{path.name} is neither a model pack nor a model file",
                      path=path)  # fmt: skip
    folder = _resolved(target)
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / path.name
    if dest.exists():
        raise Refused("exists", f"{dest} already exists; rename the file or remove the old one",
                      path=dest)  # fmt: skip
    partial = dest.with_name(f".{dest.name}.part")  # hidden: a scan meanwhile skips it
    try:
        shutil.copyfile(path, partial)  # a full disk leaves no half model behind
        partial.replace(dest)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise Refused("copy-failed", f"cannot copy {path.name} into {folder}: {exc.strerror}",
                      path=path, target=folder, detail=exc.strerror) from None  # fmt: skip
    before = _ids(catalog)
    scan(catalog, [folder], HashCache.default(), hf_cache=False)
    try:
        ids: tuple[int, ...] = (catalog.find(str(dest)).id,)
    except ModelError:  # not catalogued (nothing a scan takes for a model): still copied
        ids = ()
    remember_folder(folder)
    return ImportResult("file", path, folder, ids, frozenset(ids) & before)


def import_pack_file(
    pack: Path, catalog: ModelCatalog, *, target: Path | None = None, progress: Progress = None
) -> ImportResult:
    """Verify `pack` in full, then move its models into `target` and catalog them; a
    model already in the catalog is not copied again. A bad pack leaves nothing behind."""
    from studio.models.packs import import_pack

    if not pack.is_file():
        raise Refused("no-such-file", f"cannot import {pack}: no such file", path=pack)
    folder = _resolved(target)
    before = _ids(catalog)
    hashes = HashCache.default()
    try:
        ids = tuple(import_pack(pack, folder, catalog, hashes, progress))
    finally:
        hashes.flush()
    remember_folder(folder)
    return ImportResult("pack", pack, folder, ids, frozenset(ids) & before)


def _resolved(target: Path | None) -> Path:
    return (target or data_paths().ensure().home / "models").expanduser().resolve()


def _ids(catalog: ModelCatalog) -> frozenset[int]:
    return frozenset(entry.id for entry in catalog.entries())
