"""BatchRunner: run a plan's missing items into one folder through the job runtime.

Resume after anything: every output is written atomically under a name fixed by its
item (a re-run replaces, never duplicates), the manifest gets a line only once an
item's files are all in place, and a later run skips items whose manifest line and
files agree. Seeds come from the plan, so a resumed batch makes what an uninterrupted
one would have.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.batch import BatchItem, BatchPlan, Manifest
from studio.core.gallery import GalleryStore
from studio.core.outputs.naming import FilenameTemplate
from studio.core.outputs.writer import OutputWriter
from studio.models.catalog import ModelCatalog
from studio.models.hashing import HashCache
from studio.runtime.generation import Stores
from studio.runtime.generation_jobs import run_job
from studio.runtime.jobs import (
    HandlerRegistry,
    Job,
    JobContext,
    JobFailed,
    JobFinished,
    JobNote,
    JobOutput,
    JobQueue,
    JobStarted,
)

BATCH_TEMPLATE = "{index:05d}-{seed}-{prompt}"
MANIFEST = "manifest.jsonl"


@dataclass
class ItemResult:
    item: BatchItem
    ok: bool
    paths: list[Path] = field(default_factory=list)
    sha256: list[str] = field(default_factory=list)  # of each path, computed as it was written
    error: str = ""
    notes: list[str] = field(default_factory=list)
    device: str = ""
    seconds: float = 0.0


@dataclass
class BatchSummary:
    total: int
    skipped: int  # already done by an earlier run
    done: int = 0
    failed: int = 0
    seconds: float = 0.0
    grids: list[Path] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    stopped: str = ""  # why the batch stopped early (a full disk): the same command resumes


class BatchRunner:
    def __init__(
        self, plan: BatchPlan, out_dir: Path, database: Path, *, devices: Sequence[str] = ("auto",),
        precision: str = "auto", template: str | None = None,
        on_item: Callable[[ItemResult], None] = lambda result: None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:  # fmt: skip
        self.plan, self.database = plan, database
        self.writer = OutputWriter(out_dir, FilenameTemplate(template or BATCH_TEMPLATE))
        self.out_dir = self.writer.out_dir
        self.devices, self.precision = list(devices) or ["auto"], precision
        self.on_item, self.cancelled = on_item, cancelled
        self.manifest = Manifest(self.out_dir / MANIFEST)
        self._lock = threading.Lock()

    def pending(self) -> list[BatchItem]:
        """Items without a done manifest line whose files are all intact."""
        entries = self.manifest.load()
        return [item for item in self.plan.items if not _intact(entries.get(item.id))]

    def run(self) -> BatchSummary:
        """Run every missing item as a job of the job runtime (one worker per device)."""
        started = time.perf_counter()
        _remove_partial_files(self.out_dir)  # temp files of writes a kill interrupted
        pending = self.pending()
        summary = BatchSummary(
            total=len(self.plan.items), skipped=len(self.plan.items) - len(pending)
        )
        self._items = {item.id: item for item in pending}
        self._notes: dict[int, list[str]] = {}
        self._devices_used: dict[int, str] = {}
        self._hashes: dict[int, dict[str, str]] = {}  # job -> path -> sha256 as written
        registry = HandlerRegistry()
        for task in {item.request.TYPE for item in pending}:
            registry.register(task, self._handle)
        # Grouped by task and model, so each model loads once and stays warm in the cache.
        order = sorted(
            pending, key=lambda i: (i.request.TYPE, str(getattr(i.request, "model", "")), i.index)
        )
        with (
            ModelCatalog(self.database) as catalog,
            GalleryStore(self.database) as gallery,
            JobQueue(_scratch_queue(self.plan), devices=self.devices, handlers=registry) as jobs,
        ):
            self._stores = (catalog, gallery, HashCache.default())
            unsubscribe = jobs.subscribe(lambda event: self._on_event(jobs, event, summary))
            ids = [
                jobs.submit(item.request.TYPE, item.request, meta={"item": item.id})
                for item in order
            ]
            while not jobs.wait(ids, timeout=0.2):
                if self.cancelled() or summary.stopped:
                    for job_id in ids:
                        jobs.cancel(job_id)
            unsubscribe()
        self.manifest.compact([item.id for item in self.plan.items])
        if self.plan.grid is not None and not self.cancelled() and not summary.stopped:
            summary.grids = self._write_grids()
        summary.seconds = time.perf_counter() - started
        return summary

    def _handle(self, job: Job, ctx: JobContext) -> list[str]:
        """A job of this batch: one item, written under its own fixed index."""
        item = self._items[job.meta["item"]]
        catalog, gallery, hashes = self._stores
        stores = Stores(self.writer.for_item(item.index + 1), gallery, catalog, hashes)
        done = run_job(job, ctx, stores, ctx.device, self.precision)
        return [str(path) for path in done.paths]

    def _on_event(self, jobs: JobQueue, event: object, summary: BatchSummary) -> None:
        if isinstance(event, JobStarted):
            self._devices_used[event.job_id] = event.device
        elif isinstance(event, JobNote):
            self._notes.setdefault(event.job_id, []).append(event.text)
        elif isinstance(event, JobOutput) and event.sha256:
            self._hashes.setdefault(event.job_id, {})[event.path] = event.sha256
        elif isinstance(event, JobFinished | JobFailed):
            job = jobs.get(event.job_id)
            if job is None:
                return
            ok = isinstance(event, JobFinished)
            paths = list(event.paths) if ok else []  # type: ignore[union-attr]
            written = self._hashes.pop(event.job_id, {})
            result = ItemResult(
                self._items[job.meta["item"]], ok, [Path(p) for p in paths],
                [written.get(p) or _sha256(Path(p)) for p in paths], "" if ok else event.error,  # type: ignore[union-attr]
                self._notes.get(event.job_id, []), self._devices_used.get(event.job_id, ""),
                event.seconds if ok else 0.0,  # type: ignore[union-attr]
            )  # fmt: skip
            self._record(result, summary)

    def _record(self, result: ItemResult, summary: BatchSummary) -> None:
        item = result.item
        if _disk_full(result.error):
            # Every later item would fail the same way: stop, and leave them all for a resume.
            summary.stopped = summary.stopped or result.error
            return
        entry: dict[str, Any] = {
            "item": item.id, "index": item.index, "status": "done" if result.ok else "failed",
            "task": item.request.TYPE, "model": getattr(item.request, "model", ""),
            "seed": getattr(item.request, "seed", None), "seconds": round(result.seconds, 3),
            "device": result.device,
        }  # fmt: skip
        if result.ok:
            entry["path"] = str(result.paths[0]) if result.paths else ""
            entry["paths"] = [str(p) for p in result.paths]
            entry["sha256"] = list(result.sha256)
        else:
            entry["error"] = result.error
        if result.notes:
            entry["notes"] = result.notes
        with self._lock:
            self.manifest.append(entry)
            if result.ok:
                summary.done += 1
            else:
                summary.failed += 1
                summary.failures.append((item.id, result.error))
        self.on_item(result)

    def _write_grids(self) -> list[Path]:
        from studio.core.batch import grid_image
        from studio.core.outputs.atomic import write_atomic

        entries = self.manifest.load()
        outputs = {
            item.id: Path(entries[item.id]["path"]) if _intact(entries.get(item.id)) else None
            for item in self.plan.items
        }
        written = []
        for suffix, image in grid_image(self.plan, outputs):
            import io

            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            path = self.out_dir / f"grid{'-' + suffix if suffix else ''}.png"
            written.append(write_atomic(path, buffer.getvalue(), overwrite=True))
        return written


def _intact(entry: dict[str, Any] | None) -> bool:
    if not entry or entry.get("status") != "done":
        return False
    paths = entry.get("paths") or []
    hashes = entry.get("sha256") or []
    return bool(paths) and all(
        Path(p).is_file() and _sha256(Path(p)) == h for p, h in zip(paths, hashes, strict=False)
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _remove_partial_files(folder: Path) -> None:
    for partial in folder.rglob(".*.part"):
        partial.unlink(missing_ok=True)


def _disk_full(error: str) -> bool:
    return "No space left on device" in error or "Disk quota exceeded" in error


def _scratch_queue(plan: BatchPlan) -> Path:
    """This run's own job database: a batch never picks up the GUI's jobs (or a stale run's)."""
    from studio.core.paths import data_paths

    folder = data_paths().ensure().cache / "batch-queues"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{plan.fingerprint[:16]}-{os.getpid()}.sqlite3"
    for stale in folder.glob(f"{plan.fingerprint[:16]}-*.sqlite3*"):
        stale.unlink(missing_ok=True)
    return path
