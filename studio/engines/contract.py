"""The engine contract's types (no torch here, so the runtime can name them cheaply)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

ProgressFn = Callable[[int, int], None]  # (steps done, total steps) over the whole request
CancelledFn = Callable[[], bool]
# (preview, steps done, total steps), counted as ProgressFn counts them. The preview is a
# small image from image models, or a text job's reply so far (a str).
PreviewFn = Callable[["Image.Image | str", int, int], None]


def concrete_seed(seed: int) -> int:
    """The request's seed, or a fresh random one for -1 (recorded, so it can be reused)."""
    import secrets

    from studio.core.requests.image import MAX_SEED

    return seed if seed >= 0 else secrets.randbelow(MAX_SEED + 1)


def no_progress(done: int, total: int) -> None:
    """A ProgressFn for callers that do not show progress."""


@dataclass
class GeneratedImage:
    image: Image.Image
    seed: int
    index: int  # position within the request (0-based)
    sampler: str  # the sampler actually used
    run: dict[str, Any] = field(default_factory=dict)  # device, dtype, timings
