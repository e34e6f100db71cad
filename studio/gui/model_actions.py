"""The Models dock's slow actions, run on its worker thread: import and verify.

The work is studio.models.operations'; this module says its results and refusals in the
interface's language ("ModelsDock" context): QCoreApplication.translate is thread-safe.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from studio.core.errors import ModelError
from studio.models.catalog import CatalogEntry, ModelCatalog
from studio.models.operations import Refused, VerifyResult, import_file, verify_model

translate = QCoreApplication.translate  # literal arguments below, for lupdate


def import_models(path: Path, catalog: ModelCatalog) -> str:
    """A model pack is verified and unpacked; a single model file is copied into the
    studio's models folder (the original is never moved). Returns a one-line summary."""
    try:
        result = import_file(path, catalog)
    except Refused as refusal:
        raise ModelError(_refusal(refusal)) from None
    if result.kind == "pack":
        return translate("ModelsDock", "verified {0}: {1} model(s) imported into {2}").format(
            path.name, len(result.ids), result.target
        )
    return translate("ModelsDock", "imported {0} into {1}").format(path.name, result.target)


def verify(entry: CatalogEntry, catalog: ModelCatalog) -> VerifyResult:
    """Identify the model's files again and hash them now (two entries found to be the
    same file merge: the result names the survivor)."""
    try:
        return verify_model(entry, catalog)
    except Refused as refusal:
        raise ModelError(_refusal(refusal)) from None


def _refusal(refusal: Refused) -> str:
    """The refusal in the interface's language; a reason not phrased here keeps its English."""
    d: dict[str, Any] = refusal.details
    if refusal.reason == "no-such-file":
        return translate("ModelsDock", "cannot import {0}: no such file").format(d["path"])
    if refusal.reason == "not-a-model":
        text = translate("ModelsDock", "{0} is neither a model pack nor a model file")
        return text.format(d["path"].name)
    if refusal.reason == "exists":
        text = translate("ModelsDock", "{0} already exists; rename the file or remove the old one")
        return text.format(d["path"])
    if refusal.reason == "copy-failed":
        text = translate("ModelsDock", "cannot copy {0} into {1}: {2}")
        return text.format(d["path"].name, d["target"], d["detail"])
    if refusal.reason == "files-missing":
        text = translate("ModelsDock", "{0} is missing from {1}; rescan or remove it")
        return text.format(d["name"], d["path"])
    if refusal.reason == "unusable":
        return translate("ModelsDock", "problem: {0}").format(d["detail"])
    return str(refusal)
