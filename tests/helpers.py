"""Small builders shared by test modules."""

from __future__ import annotations

from pathlib import Path

from studio.core.requests import ImageRequest


def tiny_request(model: Path, **changes: object) -> ImageRequest:
    """A quick request for the tiny test pipelines: 64x64, 2 steps, a fixed seed."""
    base: dict[str, object] = {
        "model": str(model), "prompt": "a red fox", "width": 64, "height": 64, "steps": 2, "seed": 7,
    }  # fmt: skip
    return ImageRequest(**{**base, **changes})  # type: ignore[arg-type]
