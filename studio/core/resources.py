"""Locate files under the top-level `resources/` folder, in a checkout or a bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller unpacks data beside the code
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource(relative: str) -> Path | None:
    """The path of a shipped resource, or None when this installation lacks it."""
    path = resources_dir() / relative
    return path if path.is_file() else None
