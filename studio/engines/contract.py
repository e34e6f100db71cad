"""The engine contract (no torch here, so the runtime can name its types cheaply).

Every engine is loaded from a ModelSpec on a device (`Engine.load`) and runs a request
with `run(request, events)`, which yields finished outputs one by one: an image as its
batch completes, a reply once it is whole, a clip, a walk frame. `events` carries the
separate typed callbacks: progress, cancellation, step previews, streamed text, notes.
Cancellation is raised as studio.core.errors.Cancelled within one step or token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import threading

    from PIL import Image

    from studio.core.requests.base import Request
    from studio.models.spec import ModelSpec

ProgressFn = Callable[[int, int], None]  # (steps done, total steps) over the whole request
CancelledFn = Callable[[], bool]
# (preview image, steps done, total steps), counted as ProgressFn counts them.
PreviewFn = Callable[["Image.Image", int, int], None]
TextFn = Callable[[str], None]  # a chunk of streamed text (the new part only)
NoteFn = Callable[[str], None]  # a line the user should see about this run


def concrete_seed(seed: int) -> int:
    """The request's seed, or a fresh random one for -1 (recorded, so it can be reused)."""
    import secrets

    from studio.core.requests.image import MAX_SEED

    return seed if seed >= 0 else secrets.randbelow(MAX_SEED + 1)


def no_progress(done: int, total: int) -> None:
    """A ProgressFn for callers that do not show progress."""


def never() -> bool:
    """A CancelledFn for runs nobody cancels."""
    return False


def ignore(text: str) -> None:
    """A TextFn/NoteFn for callers that do not listen."""


@dataclass
class Events:
    """What an engine reports while it runs; every callback is optional."""

    progress: ProgressFn = no_progress
    cancelled: CancelledFn = never
    preview: PreviewFn | None = None  # step previews (image models); None: do not make them
    text: TextFn = ignore
    note: NoteFn = ignore


@runtime_checkable
class Engine(Protocol):
    """One loaded model on one device, kept in the model cache."""

    name: str
    path: Path
    family: str
    device: Any  # where it runs (str() gives "cpu", "cuda:0", ...)
    dtype: Any  # its compute precision (dtype_name() gives "fp32", ...)

    @classmethod
    def load(cls, spec: ModelSpec, device: str = "auto", precision: str = "auto",
             **options: Any) -> Engine: ...  # fmt: skip

    def run(self, request: Request, events: Events) -> Iterator[Any]: ...

    def memory_bytes(self) -> int: ...

    def release(self) -> None: ...

    @property
    def busy(self) -> threading.Lock: ...


def images_or_frames(
    engine: Any, request: Request, events: Events,
    batches: Callable[[], Iterator[list[GeneratedImage]]],
) -> Iterator[Any]:  # fmt: skip
    """run() of the image engines: a walk's frames for a LatentWalkRequest, else each image
    of `batches()` as its batch completes."""
    from studio.core.requests import LatentWalkRequest

    if isinstance(request, LatentWalkRequest):
        from studio.engines.walk import iter_walk

        yield from iter_walk(engine, request, events.progress, events.cancelled)
        return
    for batch in batches():
        yield from batch


@dataclass
class GeneratedImage:
    image: Image.Image
    seed: int
    index: int  # position within the request (0-based)
    sampler: str  # the sampler actually used
    run: dict[str, Any] = field(default_factory=dict)  # device, dtype, timings
