"""Run one ImageRequest end to end: engine -> atomic PNG with metadata -> gallery row."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from studio.core.gallery import GalleryStore
from studio.core.outputs.record import OutputRecord
from studio.core.outputs.writer import OutputWriter
from studio.core.requests import ImageRequest
from studio.engines.contract import CancelledFn, PreviewFn, ProgressFn, no_progress
from studio.models.hashing import HashCache, short_hash
from studio.runtime.recording import WrittenOutput

if TYPE_CHECKING:
    from studio.engines.image import ImageEngine


def generate_images(
    engine: ImageEngine,
    request: ImageRequest,
    writer: OutputWriter,
    gallery: GalleryStore,
    hashes: HashCache,
    progress: ProgressFn = no_progress,
    cancelled: CancelledFn = lambda: False,
    on_output: Callable[[WrittenOutput], None] = lambda written: None,
    preview: PreviewFn | None = None,
) -> list[WrittenOutput]:
    """Generate, write and record every image of `request`.

    Each batch is written as soon as it completes, so a cancel or a failure later on
    keeps what was already finished; the gallery row follows the file, never precedes it.
    """
    model_hash = short_hash(hashes.model_sha256(engine.loaded.path))
    hashes.flush()
    written: list[WrittenOutput] = []
    for batch in engine.iter_batches(request, progress, cancelled, preview=preview):
        for generated in batch:
            record = OutputRecord(
                request=request, seed=generated.seed, index=generated.index,
                model_name=engine.name, model_hash=model_hash, sampler=generated.sampler,
                run=generated.run,
            )  # fmt: skip
            path, sha256 = writer.write_image(generated.image, record)
            item = WrittenOutput(path, record, gallery.add(path, record, sha256))
            written.append(item)
            on_output(item)
    return written
