"""The desktop studio's job handlers: any request, on the worker's device, into the
user's output folder, recorded in the gallery.

Each job reads the settings when it starts, so a change in the Settings dialog applies
to the next job without restarting the queue: output folder, filename template, device,
precision, stripped metadata (and, through the model cache, the memory budget).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from studio.core.errors import StudioError
from studio.core.gallery import GalleryStore
from studio.core.modalities import task_names
from studio.core.outputs.naming import FilenameTemplate
from studio.core.outputs.writer import OutputWriter
from studio.core.paths import default_output_dir
from studio.core.settings import Settings, load_settings
from studio.models.catalog import ModelCatalog
from studio.models.hashing import HashCache
from studio.runtime.generation import RunEvents, RunResult, Stores, run_request
from studio.runtime.jobs import HandlerRegistry, Job, JobContext

SettingsSource = Callable[[], Settings]


@dataclass(frozen=True)
class JobSetup:
    """Where and how one job runs, fixed when it starts."""

    writer: OutputWriter
    device: str
    precision: str
    note: str = ""  # said to the user when the settings could not be read


def job_setup(
    settings: SettingsSource, worker_device: str, output_dir: Path | None = None,
    template: str | None = None,
) -> JobSetup:  # fmt: skip
    """The setup for a job starting now. Explicit `output_dir`/`template` win over the
    settings; a device other than "auto" in the settings wins over the worker's own."""
    note = ""
    try:
        current = settings()
    except StudioError as exc:  # a broken file must not stop generation: defaults, said once
        current, note = Settings(), f"{exc}; this job used the default settings"
    folder = output_dir or (Path(current.output_folder) if current.output_folder.strip() else None)
    pattern = template or current.filename_template.strip() or None
    writer = OutputWriter(
        folder or default_output_dir(),
        FilenameTemplate(pattern) if pattern else None,  # a bad one fails the job in one line
        strip_metadata=current.strip_metadata,
    )
    device = worker_device if current.device == "auto" else current.device
    return JobSetup(writer, device, current.precision, note)


def generation_handlers(
    database: Path, output_dir: Path | None = None, template: str | None = None, *,
    settings: SettingsSource = load_settings,
) -> HandlerRegistry:  # fmt: skip
    """A registry whose handlers run every generation task through the engines.

    `settings` is read at the start of each job (default: the saved settings file).
    """

    def handle(job: Job, ctx: JobContext) -> list[str]:
        setup = job_setup(settings, ctx.device, output_dir, template)
        if setup.note:
            ctx.note(setup.note)
        with ModelCatalog(database) as catalog, GalleryStore(database) as gallery:
            stores = Stores(setup.writer, gallery, catalog, HashCache.default())
            done = run_job(job, ctx, stores, setup.device, setup.precision)
        return [str(path) for path in done.paths]

    registry = HandlerRegistry()
    for task in task_names():
        registry.register(task, handle)
    return registry


def run_job(job: Job, ctx: JobContext, stores: Stores, device: str, precision: str) -> RunResult:
    """One job of the queue (the desktop's or a batch's) through the one job path: every
    event goes to the job's context as it happens, each file the moment it is written."""
    events = RunEvents(
        progress=ctx.progress, cancelled=ctx.cancelled, text=ctx.text, note=ctx.note,
        preview=lambda image, step, total: ctx.progress(step, total, image),
        output=lambda written: ctx.output(written.path, written.sha256),
    )  # fmt: skip
    try:
        return run_request(job.request, stores, device, precision, events,
                           low_memory=bool(job.meta.get("low_memory")))  # fmt: skip
    finally:
        ctx.flush_text()
