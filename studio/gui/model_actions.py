"""The Models dock's slow actions, run on its worker thread: load, unload, import.

Their lines are translated here ("ModelsDock" context): QCoreApplication.translate is
thread-safe.
"""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from studio.core.errors import ModelError
from studio.core.paths import data_paths
from studio.core.settings import load_settings, save_settings
from studio.models.catalog import CatalogEntry, ModelCatalog
from studio.models.discovery.scanner import scan
from studio.models.hashing import HashCache

MODEL_SUFFIXES = {".safetensors", ".gguf", ".ckpt", ".pt", ".pth", ".bin"}


translate = QCoreApplication.translate  # literal arguments below, for lupdate


def import_models(path: Path, catalog: ModelCatalog) -> str:
    """A model pack is verified and unpacked; a single model file is copied into the
    studio's models folder (the original is never moved). Returns a one-line summary."""
    target = data_paths().ensure().home / "models"
    if not path.is_file():
        raise ModelError(translate("ModelsDock", "cannot import {0}: no such file").format(path))
    hashes = HashCache.default()
    if tarfile.is_tarfile(path):
        from studio.models.packs import import_pack

        ids = import_pack(path, target, catalog, hashes)
        summary = translate("ModelsDock", "verified {0}: {1} model(s) imported into {2}").format(
            path.name, len(ids), target
        )
    elif path.suffix.lower() in MODEL_SUFFIXES:
        target.mkdir(parents=True, exist_ok=True)
        dest = target / path.name
        if dest.exists():
            raise ModelError(
                translate(
                    "ModelsDock", "{0} already exists; rename the file or remove the old one"
                ).format(dest)
            )
        partial = dest.with_name(f".{dest.name}.part")
        try:
            shutil.copyfile(path, partial)  # a full disk leaves no half model behind
            partial.replace(dest)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise ModelError(
                translate("ModelsDock", "cannot copy {0} into {1}: {2}").format(
                    path.name, target, exc.strerror
                )
            ) from None
        scan(catalog, [target], hashes, hf_cache=False)
        summary = translate("ModelsDock", "imported {0} into {1}").format(path.name, target)
    else:
        raise ModelError(
            translate("ModelsDock", "{0} is neither a model pack nor a model file").format(
                path.name
            )
        )
    hashes.flush()
    settings = load_settings()
    if settings.add_model_folder(target):  # later scans keep the imported models
        save_settings(settings)
    return summary


def verify(entry: CatalogEntry, catalog: ModelCatalog) -> tuple[int, str]:
    """Hash the model's files now; returns (the surviving catalog id, sha256): two entries
    found to be the same file merge."""
    missing = [p for p in entry.paths if not p.exists()]
    if missing:
        raise ModelError(
            translate("ModelsDock", "{0} is missing from {1}; rescan or remove it").format(
                entry.name, missing[0]
            )
        )
    hashes = HashCache.default()
    sha256 = hashes.model_sha256(entry.path)
    hashes.flush()
    return catalog.set_hash(entry.id, sha256), sha256
