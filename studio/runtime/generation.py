"""The one job path: any request, on a device, into files and gallery rows.

The desktop queue's handler, `studio batch`, `studio generate` and preload all come
through here: the registry names the engine that runs the request's task on its
model and the recorder that writes what the engine yields. Outputs reach
`events.output` as they are written, with the sha256 computed while writing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.gallery import GalleryStore
from studio.core.modalities import load_ref, modality_of
from studio.core.outputs.writer import OutputWriter
from studio.core.requests.base import Request
from studio.engines.contract import Events
from studio.models.catalog import ModelCatalog
from studio.models.hashing import HashCache, short_hash
from studio.runtime.loaded_models import load_engine, load_options
from studio.runtime.recorders import RecordContext, Recorder, WrittenOutput

LOW_MEMORY = {"vae_tiling": True, "vae_slicing": True, "cpu_offload": True}


@dataclass
class Stores:
    writer: OutputWriter
    gallery: GalleryStore
    catalog: ModelCatalog | None
    hashes: HashCache


@dataclass
class RunEvents(Events):
    """The engine's events plus `output`: called with each file once it is written."""

    output: Callable[[WrittenOutput], None] = lambda written: None


@dataclass
class RunResult:
    outputs: list[WrittenOutput] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    recorder: Recorder | None = None  # what the front end may show (a reply's text, ...)
    out_dir: Path | None = None  # the writer's folder

    @property
    def paths(self) -> list[Path]:
        return [written.path for written in self.outputs]


def run_request(
    request: Request, stores: Stores, device: str = "auto", precision: str = "auto",
    events: RunEvents | None = None, *, low_memory: bool = False,
    extras: dict[str, Any] | None = None,
) -> RunResult:  # fmt: skip
    """Load (or reuse) the engine, run `request`, write and record every output.

    Each output is written as soon as the engine yields it, so a cancel or a failure
    later keeps what was finished; a gallery row always follows its file.
    """
    engine = load_engine(request.TYPE, request.model, device, precision, stores.catalog,  # type: ignore[attr-defined]
                         load_options(request))  # fmt: skip
    return run_on(engine, request, stores, events, low_memory=low_memory, extras=extras)


def run_on(
    engine: Any, request: Request, stores: Stores, events: RunEvents | None = None, *,
    low_memory: bool = False, extras: dict[str, Any] | None = None,
) -> RunResult:  # fmt: skip
    """run_request's second half, on an engine already loaded (by load_engine)."""
    events = events or RunEvents()
    entry = modality_of(request)
    result = RunResult(out_dir=stores.writer.out_dir)
    if low_memory and hasattr(engine, "use_memory_options"):
        applied = engine.use_memory_options(LOW_MEMORY)
        result.notes.append(f"low-memory settings: {', '.join(applied) or 'none available'}")
        events.note(result.notes[-1])
    model_hash = short_hash(stores.hashes.model_sha256(engine.path))
    stores.hashes.flush()
    context = RecordContext(request, engine, stores.writer, stores.gallery, model_hash,
                            dict(extras or {}))  # fmt: skip
    recorder: Recorder = load_ref(entry.recorder)(context)
    result.recorder = recorder

    def note(text: str) -> None:
        result.notes.append(text)
        events.note(text)

    engine_events = Events(events.progress, events.cancelled, events.preview, events.text, note)
    with engine.busy:  # workers sharing one cached engine (one device) take turns
        recorder.begin()
        for output in engine.run(request, engine_events):
            _deliver(recorder.add(output), result, events)
        _deliver(recorder.finish(), result, events)
    return result


def _deliver(written: list[WrittenOutput], result: RunResult, events: RunEvents) -> None:
    for item in written:
        result.outputs.append(item)
        events.output(item)
