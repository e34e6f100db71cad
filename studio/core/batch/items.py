"""What a job file becomes: a plan of typed requests, each with a stable id and a fixed seed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from studio.core.errors import StudioError
from studio.core.requests.base import Request

MAX_SEED = 2**32 - 1


class BatchFileError(StudioError):
    """A job file (or a manifest) cannot be used; one line: "FILE:LINE: what is wrong"."""


def file_error(source: Path | str, line: int | None, message: str) -> BatchFileError:
    """A BatchFileError located at FILE:LINE (or FILE alone when the line is unknown)."""
    where = f"{source}:{line}" if line else str(source)
    return BatchFileError(f"{where}: {' '.join(str(message).split())}")


def a_task(task: str) -> str:
    """ "an image item", "a music item": the article that reads right."""
    return f"{'an' if task[:1] in 'aeiou' else 'a'} {task} item"


def derive_seed(fingerprint: str, index: int) -> int:
    """The seed of item `index`: fixed by the job file's content, so a resume makes the same."""
    digest = hashlib.sha256(f"{fingerprint}:{index}".encode()).digest()
    return int.from_bytes(digest[:4], "big")  # 32 bits: exactly [0, MAX_SEED]


def item_id(index: int, request: Request) -> str:
    """Stable while the request is unchanged: position plus a hash of the full request."""
    return f"{index:05d}-{hashlib.sha256(request.to_json().encode()).hexdigest()[:10]}"


@dataclass(frozen=True)
class Axis:
    field: str  # request field, or "prompt_sr"
    labels: tuple[str, ...]  # one per value, e.g. ("seed=1", "seed=2")


@dataclass(frozen=True)
class Grid:
    x: Axis
    y: Axis | None = None
    z: Axis | None = None

    @property
    def shape(self) -> tuple[int, int, int]:
        """(columns, rows, layers); a missing axis counts as one."""
        return tuple(len(a.labels) if a else 1 for a in (self.x, self.y, self.z))  # type: ignore[return-value]


@dataclass(frozen=True)
class BatchItem:
    index: int  # 0-based position in the plan
    id: str  # f"{index:05d}-" + first 10 hex of sha256(request.to_json())
    request: Request  # typed, validated, with a concrete seed (never -1)
    axes: dict[str, str] = field(default_factory=dict)  # {"x": "seed=1", ...}; {} outside grids
    cell: tuple[int, int, int] | None = None  # (x, y, z) in the grid; None outside grids


@dataclass(frozen=True)
class BatchPlan:
    source: Path
    fingerprint: str  # sha256 of the file bytes (+ the --model override): seeds derive from it
    items: tuple[BatchItem, ...]
    grid: Grid | None = None
