"""The desktop studio's job handlers: any request, on the worker's device, into the
user's output folder, recorded in the gallery."""

from __future__ import annotations

from pathlib import Path

from studio.core.gallery import GalleryStore
from studio.core.outputs.naming import FilenameTemplate
from studio.core.outputs.writer import OutputWriter
from studio.models.catalog import ModelCatalog
from studio.models.hashing import HashCache
from studio.runtime.batch.executors import Stores, execute
from studio.runtime.jobs import HandlerRegistry, Job, JobContext

GENERATION_TASKS = ("image", "image-unconditional", "text", "code", "translate", "music", "speech")


def generation_handlers(
    database: Path, output_dir: Path, template: str | None = None
) -> HandlerRegistry:
    """A registry whose handlers run every generation task through the engines."""

    def handle(job: Job, ctx: JobContext) -> list[str]:
        writer = OutputWriter(output_dir, FilenameTemplate(template) if template else None)
        with ModelCatalog(database) as catalog, GalleryStore(database) as gallery:
            stores = Stores(writer, gallery, catalog, HashCache.default())
            done = execute(
                job.request, stores, ctx.device, low_memory=bool(job.meta.get("low_memory")),
                progress=ctx.progress, cancelled=ctx.cancelled,
                preview=lambda image, step, total: ctx.progress(step, total, image),
            )  # fmt: skip
        for note in done.notes:
            ctx.note(note)
        for path in done.paths:
            ctx.output(str(path))
        return [str(path) for path in done.paths]

    registry = HandlerRegistry()
    for task in GENERATION_TASKS:
        registry.register(task, handle)
    return registry
