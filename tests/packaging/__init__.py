"""Tests of the offline bundle's configuration, entry point, smoke-test guard and GUI self-check."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"


def load_packaging_module(name: str) -> ModuleType:
    """Import packaging/<name>.py by path (packaging/ is a folder of scripts, not a package,
    and putting it on sys.path would let its `build.py` shadow PyPA's `build`)."""
    key = f"studio_packaging_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, PACKAGING / f"{name}.py")
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.modules[key] = module
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    return sys.modules[key]
