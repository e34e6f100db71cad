"""Scan model folders into the catalog, and remember folders for later scans."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from studio.core.settings import load_settings, save_settings
from studio.models.catalog import ModelCatalog
from studio.models.discovery.candidates import Problem
from studio.models.discovery.scanner import scan
from studio.models.hashing import HashCache
from studio.models.operations.refused import Refused


@dataclass(frozen=True)
class ScanResult:
    folders: tuple[Path, ...]  # the folders walked (the HF cache aside)
    hf_cache: bool  # whether the Hugging Face cache was walked too
    added: int
    updated: int
    unchanged: int
    removed: int  # catalog paths gone from disk
    merged: tuple[tuple[Path, int], ...]  # (a duplicate's path, the entry it joined)
    problems: tuple[Problem, ...]  # .path, .message: one per file that cannot be used
    total: int  # models in the catalog afterwards


def remember_folder(folder: Path) -> bool:
    """Add `folder` to the settings' model folders; False when it was there already."""
    settings = load_settings()
    if not settings.add_model_folder(folder):
        return False
    save_settings(settings)
    return True


def scan_folders(
    catalog: ModelCatalog,
    folders: Iterable[Path] | None = None,
    *,
    add: Path | None = None,
    hf_cache: bool | Path = True,
) -> ScanResult:
    """Scan `folders` (default: the settings' model folders, after `add` joins them) and
    the Hugging Face cache unless hf_cache is False; unchanged files are not read again."""
    if add is not None:
        if not add.exists():
            raise Refused("no-such-folder", f"cannot scan {add}: it does not exist", path=add)
        remember_folder(add)
    roots = tuple(Path(f) for f in (load_settings().model_folders if folders is None else folders))
    report = scan(catalog, roots, HashCache.default(), hf_cache=hf_cache)
    return ScanResult(
        roots, bool(hf_cache), len(report.added), len(report.updated), report.unchanged,
        report.removed, tuple(report.merged), tuple(report.problems), len(catalog.entries()),
    )  # fmt: skip
