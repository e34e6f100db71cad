"""`studio batch`, the pure-Python half: job files, sweeps, the manifest, grid images.

grid_image (which imports Pillow) loads on first use, so that reading a plan stays light.
"""

from __future__ import annotations

from typing import Any

from studio.core.batch.items import (
    Axis,
    BatchFileError,
    BatchItem,
    BatchPlan,
    Grid,
    derive_seed,
)
from studio.core.batch.jobfile import load_job_file
from studio.core.batch.manifest import Manifest

__all__ = [
    "Axis",
    "BatchFileError",
    "BatchItem",
    "BatchPlan",
    "Grid",
    "Manifest",
    "derive_seed",
    "grid_image",
    "load_job_file",
]


def __getattr__(name: str) -> Any:
    if name == "grid_image":
        from studio.core.batch.grid import grid_image

        return grid_image
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
