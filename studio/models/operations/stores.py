"""Other apps' model stores (Ollama, LM Studio, GPT4All, Jan, AUTOMATIC1111, ComfyUI,
InvokeAI): detect them, and add them as model folders when the user says yes.

Detection only looks and counts; adding remembers each store's folder in the settings and
scans it, its models staying where the app keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from studio.core.errors import StudioError
from studio.core.settings import load_settings
from studio.models.catalog import ModelCatalog
from studio.models.discovery.stores import DetectedStore, detect_stores, store_at
from studio.models.operations.scanning import ScanResult, remember_folder, scan_folders


def detect_model_stores(
    home: Path | None = None, env: Mapping[str, str] | None = None
) -> tuple[DetectedStore, ...]:
    """The stores on this computer with their model counts; `added` tells the ones already
    among the model folders. Reads no model file and changes nothing."""
    try:
        kept = [Path(folder).expanduser().resolve() for folder in load_settings().model_folders]
    except StudioError:  # unreadable settings: the Settings dialog says so; nothing is kept
        kept = []
    # A kept folder may hold the store rather than be it (~/.ollama for ~/.ollama/models).
    listed = {*kept, *(found[1].resolve() for k in kept if (found := store_at(k, home, env)))}
    return tuple(replace(store, added=store.root.resolve() in listed)
                 for store in detect_stores(home, env))  # fmt: skip


def add_model_stores(catalog: ModelCatalog, roots: Iterable[Path]) -> ScanResult:
    """Make each store root a model folder and scan those folders (the HF cache aside)."""
    folders = tuple(Path(root) for root in roots)
    for folder in folders:
        remember_folder(folder)
    return scan_folders(catalog, folders, hf_cache=False)
