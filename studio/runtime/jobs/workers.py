"""Device workers: one thread per compute device runs its jobs one after another.

A worker asks its JobSource (the JobQueue) for the next job, runs the handler, classifies
how it ended (Outcome) and hands that back. Nothing a handler does can end the thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from os import PathLike
from typing import Any, Literal, Protocol

from studio.core.errors import Cancelled, StudioError, one_line
from studio.runtime.jobs.handlers import Handler, JobContext
from studio.runtime.jobs.model import (
    Job,
    JobCancelled,
    JobFailed,
    JobFinished,
    JobNote,
    JobOutput,
    JobProgress,
    JobQueued,
    JobState,
    JobText,
)
from studio.runtime.jobs.store import JobStore

log = logging.getLogger(__name__)

MAX_ERROR = 500  # characters of an error line; tracebacks go to the log
STOP_NOTE = "interrupted when the queue stopped; it runs again on the next start"
OOM_NOTE = "retried with low-memory settings after out-of-memory"


def visible_devices() -> list[str]:
    """One "cuda:N" per visible GPU, else ["mps"] or ["cpu"].

    Imports torch (through the engines, ~1.5 s): JobQueue calls it only when it was given
    no device list, at start(). Tests monkeypatch this function.
    """
    from studio.engines.devices import visible_devices as engine_devices

    return engine_devices()


@dataclass
class Running:
    """A job a worker has claimed, with its handler and context: shared by the worker and
    the queue under the queue lock."""

    job: Job
    device: str
    handler: Handler | None = None  # None: the task has no handler (the job fails)
    context: JobContext | None = None
    error: str = ""  # why there is no handler
    cancel: threading.Event = field(default_factory=threading.Event)
    user_cancelled: bool = False  # cancel(): ends as cancelled
    stopping: bool = False  # stop(): goes back in line, not cancelled
    outputs: list[str] = field(default_factory=list)
    began: float = field(default_factory=time.monotonic)


OutcomeKind = Literal["finished", "failed", "cancelled", "interrupted", "out_of_memory"]


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    seconds: float
    paths: tuple[str, ...] = ()
    error: str = ""


class JobSource(Protocol):
    """The queue as a worker sees it: two calls per job."""

    def next_job(self, device: str) -> Running | None:
        """Block until a job is claimed for `device` (handler and context included); None
        once the queue stops."""

    def finish(self, run: Running, outcome: Outcome) -> None: ...


class DeviceWorker(threading.Thread):
    # Daemon: a GUI that forgets stop() must still exit; the job it was running is
    # marked running in the database and comes back as queued on the next start.
    def __init__(self, device: str, source: JobSource) -> None:
        super().__init__(name=f"studio-jobs-{device}", daemon=True)
        self.device = device
        self._source = source

    def run(self) -> None:
        while (run := self._source.next_job(self.device)) is not None:
            outcome = execute(run)
            try:
                self._source.finish(run, outcome)
            except Exception:
                log.exception("could not record the end of job %s", run.job.id)


def execute(run: Running) -> Outcome:
    """Run the job's handler on this thread and say how it ended; never raises."""
    job = run.job

    def seconds() -> float:
        return time.monotonic() - run.began

    if run.handler is None or run.context is None:
        return Outcome("failed", seconds(), error=run.error or f"no handler for {job.task!r}")
    try:
        paths = run.handler(job, run.context) or ()
        if isinstance(paths, str | PathLike):  # one path returned bare, not in a list
            paths = [paths]
        return Outcome("finished", seconds(), tuple(str(p) for p in paths))
    except Cancelled:
        kind: OutcomeKind = (
            "interrupted" if run.stopping and not run.user_cancelled else "cancelled"
        )
        return Outcome(kind, seconds())
    except BaseException as exc:  # a worker never dies from a job, whatever it raises
        return _failure(job, exc, seconds())


def _failure(job: Job, exc: BaseException, seconds: float) -> Outcome:
    error = one_line(exc, MAX_ERROR, typed=True)
    if is_out_of_memory(exc) and not job.meta.get("low_memory"):
        log.warning("job %s ran out of memory on %s; retrying with low memory", job.id, job.device)
        return Outcome("out_of_memory", seconds, error=error)
    if not isinstance(exc, StudioError):
        log.error("job %s (%s) failed", job.id, job.task, exc_info=exc)
    return Outcome("failed", seconds, error=error)


def is_out_of_memory(exc: BaseException) -> bool:
    # By name: torch.OutOfMemoryError (and torch.cuda's alias) without importing torch.
    return type(exc).__name__ == "OutOfMemoryError" or "out of memory" in str(exc).lower()


def make_context(run: Running, store: JobStore, emit: Callable[[object], None]) -> JobContext:
    """The handler's JobContext: each report is stored on the job row, then announced."""
    job_id = run.job.id

    def report(done: int, total: int, preview: Any) -> None:
        try:
            store.set_progress(job_id, done, total)
        except Exception:  # a progress row is worth less than the job: go on
            log.exception("could not record the progress of job %s", job_id)
        emit(JobProgress(job_id, done, total, preview))

    def output(path: str, sha256: str) -> None:
        run.outputs.append(path)
        store.change(job_id, {JobState.RUNNING}, results=run.outputs)
        emit(JobOutput(job_id, path, sha256))

    def note(text: str) -> None:
        store.change(job_id, {JobState.RUNNING}, note=text)
        emit(JobNote(job_id, text))

    return JobContext(run.device, run.cancel, report, output, note,
                      lambda text: emit(JobText(job_id, text)))  # fmt: skip


def ending(run: Running, outcome: Outcome) -> tuple[dict[str, Any], list[object]]:
    """The row change (for JobStore.change) and the events that close this run."""
    job_id, now = run.job.id, time.time()
    if outcome.kind == "finished":
        new = [p for p in outcome.paths if p not in run.outputs]
        paths = (*run.outputs, *new)
        change = {"state": JobState.FINISHED, "results": paths, "finished": now}
        events: list[object] = [JobOutput(job_id, p) for p in new]
        return change, [*events, JobFinished(job_id, paths, outcome.seconds)]
    if outcome.kind == "failed":
        change = {"state": JobState.FAILED, "error": outcome.error, "finished": now}
        return change, [JobFailed(job_id, outcome.error)]
    if outcome.kind == "cancelled":
        return {"state": JobState.CANCELLED, "finished": now}, [JobCancelled(job_id)]
    # Back in line: interrupted by stop(), or the one retry after running out of memory.
    oom = outcome.kind == "out_of_memory"
    meta = {**run.job.meta, "low_memory": True} if oom else run.job.meta
    note = OOM_NOTE if oom else STOP_NOTE
    return {"state": JobState.QUEUED, "meta": meta, "note": note}, [
        JobNote(job_id, note),
        JobQueued(job_id),
    ]
