"""BatchRunner: run a plan's missing items into one folder, one worker thread per device.

Resume after anything: every output is written atomically under a name fixed by its
item (a re-run replaces, never duplicates), the manifest gets a line only once an
item's files are all in place, and a later run skips items whose manifest line and
files agree. Seeds come from the plan, so a resumed batch makes what an uninterrupted
one would have.
"""

from __future__ import annotations

import hashlib
import queue
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.batch import BatchItem, BatchPlan, Manifest
from studio.core.errors import Cancelled, StudioError
from studio.core.gallery import GalleryStore
from studio.core.outputs.naming import FilenameTemplate
from studio.core.outputs.writer import OutputWriter
from studio.models.catalog import ModelCatalog
from studio.models.hashing import HashCache
from studio.runtime.batch.executors import Stores, execute

BATCH_TEMPLATE = "{index:05d}-{seed}-{prompt}"
MANIFEST = "manifest.jsonl"


@dataclass
class ItemResult:
    item: BatchItem
    ok: bool
    paths: list[Path] = field(default_factory=list)
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
        started = time.perf_counter()
        _remove_partial_files(self.out_dir)  # temp files of writes a kill interrupted
        pending = self.pending()
        summary = BatchSummary(
            total=len(self.plan.items), skipped=len(self.plan.items) - len(pending)
        )
        # Grouped by task and model, so each model loads once and stays warm in the cache.
        work: queue.SimpleQueue[BatchItem] = queue.SimpleQueue()
        for item in sorted(
            pending, key=lambda i: (i.request.TYPE, str(getattr(i.request, "model", "")), i.index)
        ):
            work.put(item)
        threads = [threading.Thread(target=self._worker, args=(device, work, summary), daemon=True,
                                    name=f"batch-{n}-{device}") for n, device in enumerate(self.devices)]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.manifest.compact([item.id for item in self.plan.items])
        if self.plan.grid is not None and not self.cancelled():
            summary.grids = self._write_grids()
        summary.seconds = time.perf_counter() - started
        return summary

    def _worker(
        self, device: str, work: queue.SimpleQueue[BatchItem], summary: BatchSummary
    ) -> None:
        with ModelCatalog(self.database) as catalog, GalleryStore(self.database) as gallery:
            while not self.cancelled():
                try:
                    item = work.get_nowait()
                except queue.Empty:
                    return
                stores = Stores(
                    self.writer.for_item(item.index + 1), gallery, catalog, HashCache.default()
                )
                result = self._run_item(item, stores, device)
                self._record(result, summary)

    def _run_item(self, item: BatchItem, stores: Stores, device: str) -> ItemResult:
        started = time.perf_counter()
        low_memory, notes = False, []
        for _attempt in range(2):
            try:
                done = execute(item.request, stores, device, self.precision, low_memory=low_memory,
                               cancelled=self.cancelled)  # fmt: skip
                return ItemResult(item, True, done.paths, notes=notes + done.notes, device=device,
                                  seconds=time.perf_counter() - started)  # fmt: skip
            except Cancelled:
                return ItemResult(item, False, error="cancelled", device=device)
            except StudioError as exc:
                return ItemResult(item, False, error=str(exc), device=device)
            except Exception as exc:
                if _is_out_of_memory(exc) and not low_memory:
                    low_memory = True
                    notes.append("out of memory: freed memory and retried with low-memory settings")
                    _free_memory()
                    continue
                traceback.print_exc()
                return ItemResult(item, False, error=f"{type(exc).__name__}: {exc}".splitlines()[0],
                                  device=device)  # fmt: skip
        return ItemResult(
            item, False, error="out of memory, also with low-memory settings", device=device
        )

    def _record(self, result: ItemResult, summary: BatchSummary) -> None:
        item = result.item
        if result.error == "cancelled":
            return  # not failed: the next run does it
        entry: dict[str, Any] = {
            "item": item.id, "index": item.index, "status": "done" if result.ok else "failed",
            "task": item.request.TYPE, "model": getattr(item.request, "model", ""),
            "seed": getattr(item.request, "seed", None), "seconds": round(result.seconds, 3),
            "device": result.device,
        }  # fmt: skip
        if result.ok:
            entry["path"] = str(result.paths[0]) if result.paths else ""
            entry["paths"] = [str(p) for p in result.paths]
            entry["sha256"] = [_sha256(p) for p in result.paths]
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


def _is_out_of_memory(exc: BaseException) -> bool:
    return type(exc).__name__ == "OutOfMemoryError" or "out of memory" in str(exc).lower()


def _free_memory() -> None:
    from studio.runtime.loaded_models import model_cache

    model_cache().clear()  # the cache releases every engine (gc + CUDA cache)
