"""Run any request on a device and write its outputs: one entry point for every task.

The batch runner and the job queue call `execute`; it loads (or reuses, through the
model cache) the right engine and calls that modality's runtime function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.errors import ValidationError
from studio.core.gallery import GalleryStore
from studio.core.outputs.writer import OutputWriter
from studio.core.requests.base import Request
from studio.engines.contract import CancelledFn, PreviewFn, ProgressFn, no_progress
from studio.models.catalog import ModelCatalog
from studio.models.hashing import HashCache

LOW_MEMORY = {"vae_tiling": True, "vae_slicing": True, "cpu_offload": True}


@dataclass
class Execution:
    paths: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    preview: PreviewFn | None = None


@dataclass
class Stores:
    writer: OutputWriter
    gallery: GalleryStore
    catalog: ModelCatalog
    hashes: HashCache


def execute(
    request: Request, stores: Stores, device: str = "auto", precision: str = "auto", *,
    low_memory: bool = False, progress: ProgressFn = no_progress,
    cancelled: CancelledFn = lambda: False, preview: PreviewFn | None = None,
) -> Execution:  # fmt: skip
    """Generate `request` on `device`; every written file is in the result. `preview`
    gets step previews from the models that make them (image models) and text jobs'
    replies as they grow (a str: the reply so far)."""
    run = _RUNNERS.get(request.TYPE)
    if run is None:
        raise ValidationError(f"{request.TYPE} requests cannot run in a batch")
    result = Execution(preview=preview)
    run(request, stores, device, precision, low_memory, progress, cancelled, result)
    return result


def _exclusive(engine: Any) -> Any:
    """The engine's lock: workers that share a cached engine (one device) take turns."""
    return engine.busy


def _image(request: Any, s: Stores, device: str, precision: str, low_memory: bool,
           progress: ProgressFn, cancelled: CancelledFn, out: Execution) -> None:  # fmt: skip
    from studio.models.loading.diffusers_pipeline import apply_memory_options
    from studio.runtime.image_generation import generate_images
    from studio.runtime.loaded_models import load_image_engine

    engine = load_image_engine(request.model, device, precision, s.catalog)
    if low_memory:
        applied = apply_memory_options(engine.loaded, LOW_MEMORY)
        out.notes.append(f"low-memory settings: {', '.join(applied) or 'none available'}")
    with _exclusive(engine):
        made = generate_images(engine, request, s.writer, s.gallery, s.hashes, progress, cancelled,
                               preview=out.preview)  # fmt: skip
    out.paths += [written.path for written in made]


def _unconditional(request: Any, s: Stores, device: str, precision: str, low_memory: bool,
                   progress: ProgressFn, cancelled: CancelledFn, out: Execution) -> None:  # fmt: skip
    from studio.runtime.latent_generation import generate_unconditional, load_unconditional_engine

    engine = load_unconditional_engine(request.model, device, precision, s.catalog)
    with _exclusive(engine):
        made = generate_unconditional(
            engine, request, s.writer, s.gallery, s.hashes, progress, cancelled
        )
    out.paths += [written.path for written in made]


def _text(request: Any, s: Stores, device: str, precision: str, low_memory: bool,
          progress: ProgressFn, cancelled: CancelledFn, out: Execution) -> None:  # fmt: skip
    from studio.runtime.text_generation import generate_text, load_text_engine

    engine = load_text_engine(request.model, device, precision, s.catalog)
    stream = ReplyStream(progress, out.preview)
    with _exclusive(engine):
        result = generate_text(engine, request, s.writer, s.gallery, s.hashes,
                               progress=stream.progress, cancelled=cancelled,
                               on_text=stream.on_text, on_note=out.notes.append)  # fmt: skip
    out.paths += [result.reply.path, *(c.path for c in result.code_files)]
    if result.conversation is not None:
        out.paths.append(result.conversation)


class ReplyStream:
    """A text job's reply streamed as its progress preview: the whole reply so far.

    The whole text, not the new chunk: a job context drops reports that come within 50 ms
    of the last one, and a dropped report must lose nothing (the next one carries it all).
    The finished reply is the output file; the stream is only for watching it grow.
    """

    def __init__(self, progress: ProgressFn, preview: PreviewFn | None) -> None:
        self._progress, self._preview = progress, preview
        self.text, self.done, self.total = "", 0, 0

    def on_text(self, chunk: str) -> None:
        self.text += chunk
        if self._preview is not None:
            self._preview(self.text, self.done, self.total)

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        if self._preview is None:
            self._progress(done, total)
        elif self.text:
            self._preview(self.text, done, total)
        elif done > 1:
            # The first token's count is left to its text, which the engine reports right
            # after: sent first, it would make the throttle drop that first text.
            self._progress(done, total)


def _translate(request: Any, s: Stores, device: str, precision: str, low_memory: bool,
               progress: ProgressFn, cancelled: CancelledFn, out: Execution) -> None:  # fmt: skip
    from studio.runtime.translation import load_translate_engine, translate

    engine = load_translate_engine(request.model, device, precision, s.catalog)
    with _exclusive(engine):
        made = translate(engine, request, s.writer, s.gallery, s.hashes, progress, cancelled)
    out.paths.append(made.written.path)


def _music(request: Any, s: Stores, device: str, precision: str, low_memory: bool,
           progress: ProgressFn, cancelled: CancelledFn, out: Execution) -> None:  # fmt: skip
    from studio.runtime.audio_generation import generate_music, load_music_engine

    engine = load_music_engine(request.model, device, precision, s.catalog)
    with _exclusive(engine):
        made = generate_music(engine, request, s.writer, s.gallery, s.hashes, progress, cancelled)
    out.paths.append(made.path)


def _speech(request: Any, s: Stores, device: str, precision: str, low_memory: bool,
            progress: ProgressFn, cancelled: CancelledFn, out: Execution) -> None:  # fmt: skip
    from studio.runtime.audio_generation import generate_speech, load_speech_engine

    engine = load_speech_engine(request.model, device, precision, s.catalog, request.vocoder)
    with _exclusive(engine):
        made = generate_speech(engine, request, s.writer, s.gallery, s.hashes, progress, cancelled)
    out.paths.append(made.path)


_RUNNERS: dict[str, Callable[..., None]] = {
    "image": _image, "image-unconditional": _unconditional, "text": _text, "code": _text,
    "translate": _translate, "music": _music, "speech": _speech,
}  # fmt: skip
