"""Forget models: the catalog lets go of them; files on disk are never touched.

A scan only forgets what vanished from folders it walks, so a folder taken out of the
settings would leave its models in the catalog for good: forget_removed_folders keeps
the catalog in step with the folders the user keeps.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from studio.models.catalog import CatalogEntry, ModelCatalog, scan_clock


def forget_model(catalog: ModelCatalog, ref: str) -> CatalogEntry:
    """Forget the model `ref` names (id, name or path); returns what it was."""
    entry = catalog.find(ref)
    catalog.remove(entry.id)
    return entry


def forget_removed_folders(
    catalog: ModelCatalog, old_folders: Iterable[str | Path], new_folders: Iterable[str | Path]
) -> int:
    """Drop from `catalog` the models found under folders in `old_folders` but not in
    `new_folders`; returns how many catalog entries went.

    A model that also lies under a folder still kept (nested folders), or that has
    another path elsewhere (a duplicate, the Hugging Face cache), stays; only its paths
    under the removed folder go.
    """
    old, new = _normalized(old_folders), _normalized(new_folders)
    removed = [folder for folder in old if folder not in new]
    if not removed:
        return 0
    entries = catalog.entries()
    # forget_paths_under drops paths last seen before the mark; paths under a kept folder
    # are marked seen after it, so they survive the removal of a folder that holds them.
    mark = scan_clock()
    for entry in entries:
        for path in entry.paths:
            if _under_any(path, new) and _under_any(path, removed):
                catalog.mark_seen(path)
    for folder in removed:
        if not _under_any(folder, new):  # a folder inside a kept one: its models stay
            catalog.forget_paths_under(folder, mark)
    return len({entry.id for entry in entries} - {entry.id for entry in catalog.entries()})


def _normalized(folders: Iterable[str | Path]) -> list[Path]:
    # The form the scanner records paths in (Settings keeps folders this way too).
    return [Path(folder).expanduser().resolve() for folder in folders if str(folder).strip()]


def _under_any(path: Path, folders: list[Path]) -> bool:
    return any(path == folder or path.is_relative_to(folder) for folder in folders)
