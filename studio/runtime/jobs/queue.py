"""JobQueue: a persistent, prioritised queue of generation jobs run by one worker per device.

Threading: one RLock (with a Condition on it) guards the queue's state, every job state
change in the database and the events that announce those changes, so listeners see them
in the order they happened (queued before started, started before finished). Progress,
output and note events of a running job come from its worker thread between its started
and its end event. Listeners run on whichever thread caused the event (a worker, or the
caller of submit/cancel/...): they must be quick, thread-safe and must not block on
another thread (the Qt bridge re-emits each event as a queued signal on the GUI thread).

stop() does not wait for long jobs: running handlers are cancelled, and their jobs go
back to "queued" (not cancelled: the user did not ask) and run again on the next start.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from studio.core.errors import StudioError
from studio.core.requests.base import Request
from studio.core.requests.checks import check_int
from studio.runtime.jobs import model, workers
from studio.runtime.jobs.handlers import HandlerRegistry
from studio.runtime.jobs.model import MAX_PRIORITY, Job, JobError, JobState, check_submission
from studio.runtime.jobs.store import JobStore, RunnerLock

log = logging.getLogger(__name__)
Listener = Callable[[Any], None]
QUEUED, HELD, RUNNING = JobState.QUEUED, JobState.HELD, JobState.RUNNING
# Workers and wait() also look at the database this often: another process may add jobs.
POLL_SECONDS = 1.0
CRASH_NOTE = "interrupted: the studio stopped while this job ran; queued again"


class JobQueue:
    def __init__(
        self,
        database: Path,
        devices: list[str] | None = None,
        handlers: HandlerRegistry | None = None,
        *,
        light_workers: int = 2,
    ) -> None:
        self.handlers = handlers if handlers is not None else HandlerRegistry()
        self._devices = list(devices) if devices is not None else None
        self._store = JobStore(database)
        self._runner_lock = RunnerLock(database)
        self._lock = threading.RLock()
        self._wake = threading.Condition(self._lock)
        self._listeners: tuple[Listener, ...] = ()
        self._running: dict[int, workers.Running] = {}
        self._workers: list[workers.DeviceWorker] = []
        self._light_workers = light_workers
        self._light: ThreadPoolExecutor | None = None
        self._paused = self._stopping = False

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def devices(self) -> list[str] | None:
        """The worker devices; None until start() when they are found automatically."""
        return list(self._devices) if self._devices is not None else None

    def start(self) -> None:
        """Start one worker per device; requeue jobs a dead process left running."""
        devices = self._devices if self._devices is not None else workers.visible_devices()
        with self._wake:
            if self._workers:
                if self._stopping:
                    raise JobError("the job queue is still stopping; wait for stop() first")
                return
            self._runner_lock.acquire()  # from here no live process runs these jobs
            self._devices, self._stopping = list(devices), False
            for job_id in self._store.running_ids():
                if self._store.change(job_id, {RUNNING}, state=QUEUED, attempts=1, note=CRASH_NOTE):
                    self._emit(model.JobNote(job_id, CRASH_NOTE))
                    self._emit(model.JobQueued(job_id))
            self._workers = [workers.DeviceWorker(d, self) for d in self._devices]
            for worker in self._workers:
                worker.start()

    def stop(self, wait: bool = True, timeout: float | None = None) -> bool:
        """Stop every worker (running jobs are cancelled and requeued); with wait, join them
        and the light pool. True when every thread has ended."""
        with self._wake:
            self._stopping = True
            for run in self._running.values():
                run.stopping = True
                run.cancel.set()
            self._wake.notify_all()
            threads = list(self._workers)
        if not wait:
            return False
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in threads:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        with self._wake:
            self._workers = [t for t in self._workers if t.is_alive()]
            light, self._light = self._light, None
            if not self._workers:
                self._runner_lock.release()
        if light is not None:
            light.shutdown(wait=True)
        return not self._workers

    def close(self) -> None:
        self.stop(wait=True)
        self._store.close()

    def __enter__(self) -> JobQueue:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- jobs ---------------------------------------------------------------------------------

    def submit(
        self,
        task: str,
        request: Request | str,
        priority: int = 0,
        group: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> int:
        """Persist a job and return its id; `request` is a Request or its JSON."""
        self.handlers.get(task)  # an unknown task is refused now, not when it would run
        request_json, meta, allowed = check_submission(
            request, priority, group, meta, self._devices
        )
        with self._wake:
            job_id = self._store.insert(task, request_json, priority, group, meta, allowed)
            self._emit(model.JobQueued(job_id))
            self._wake.notify_all()
        return job_id

    def cancel(self, job_id: int) -> bool:
        """Cancel a waiting job now, or ask a running one to stop; False if it had ended."""
        with self._wake:
            run = self._running.get(job_id)
            if run is not None:
                run.user_cancelled = True
                run.cancel.set()
                return True
            if self._store.change(job_id, {QUEUED, HELD}, state=JobState.CANCELLED,
                                  finished=time.time()):  # fmt: skip
                self._emit(model.JobCancelled(job_id))
                self._wake.notify_all()
                return True
            self._require(job_id)
            return False

    def retry(self, job_id: int) -> None:
        """Put a failed or cancelled job back in line (at the back of its priority)."""
        self._move(job_id, {JobState.FAILED, JobState.CANCELLED}, model.JobQueued(job_id),
                   "only failed or cancelled jobs can be retried", state=QUEUED, error="",
                   done=0, total=0, started=None, finished=None, requeue_last=True)  # fmt: skip

    def hold(self, job_id: int) -> None:
        """Keep a queued job from starting until release(); it keeps its place."""
        if self._require(job_id).state != HELD:
            self._move(job_id, {QUEUED}, model.JobHeld(job_id), "only a queued job can be held",
                       state=HELD)  # fmt: skip

    def release(self, job_id: int) -> None:
        if self._require(job_id).state != QUEUED:
            self._move(job_id, {HELD}, model.JobQueued(job_id), "it is not held", state=QUEUED)

    def set_priority(self, job_id: int, priority: int) -> None:
        check_int("priority", priority, -MAX_PRIORITY, MAX_PRIORITY)
        self._move(job_id, {QUEUED, HELD}, model.JobPriorityChanged(job_id, priority),
                   "only a waiting job can change priority", priority=priority)  # fmt: skip

    def pause(self) -> None:
        """No new job starts until resume(); running jobs finish."""
        with self._wake:
            if not self._paused:
                self._paused = True
                self._emit(model.QueuePaused())

    def resume(self) -> None:
        with self._wake:
            if self._paused:
                self._paused = False
                self._emit(model.QueueResumed())
                self._wake.notify_all()

    @property
    def paused(self) -> bool:
        return self._paused

    def get(self, job_id: int) -> Job | None:
        return self._store.get(job_id)

    def jobs(self, group: str | None = None, states: Collection[str] | None = None) -> list[Job]:
        return self._store.jobs(group, states)

    def wait(self, job_ids: Iterable[int] | None = None, timeout: float | None = None) -> bool:
        """Until these jobs (all when None; held ones count) have ended; False on timeout."""
        ids = None if job_ids is None else list(job_ids)
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._wake:
            while self._store.pending(ids):
                left = POLL_SECONDS if deadline is None else deadline - time.monotonic()
                if left <= 0:
                    return False
                self._wake.wait(min(left, POLL_SECONDS))
        return True

    # -- events and light work ------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(event)` for every event; returns the function that unsubscribes."""
        with self._lock:
            self._listeners = (*self._listeners, listener)

        def unsubscribe() -> None:
            with self._lock:
                self._listeners = tuple(x for x in self._listeners if x is not listener)

        return unsubscribe

    def light(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Run short work (thumbnails, file I/O) on a small thread pool, off the workers."""
        with self._lock:
            if self._light is None:
                self._light = ThreadPoolExecutor(self._light_workers, "studio-light")
            return self._light.submit(fn, *args, **kwargs)

    def _emit(self, event: object) -> None:
        for listener in self._listeners:
            try:
                listener(event)
            except Exception:  # one broken listener must not stop a worker or the others
                log.exception("a job event listener failed on %r", event)

    # -- helpers ---------------------------------------------------------------------------

    def _require(self, job_id: int) -> Job:
        job = self._store.get(job_id)
        if job is None:
            raise JobError(f"there is no job {job_id}")
        return job

    def _move(self, job_id: int, states: set[JobState], event: object, why: str,
              **change: Any) -> None:  # fmt: skip
        with self._wake:
            if not self._store.change(job_id, states, **change):
                raise JobError(f"job {job_id} is {self._require(job_id).state}: {why}")
            self._emit(event)
            self._wake.notify_all()

    # -- the JobSource side, called by workers (workers.py) ----------------------------------

    def next_job(self, device: str) -> workers.Running | None:
        with self._wake:
            while not self._stopping:
                try:
                    job = None if self._paused else self._store.claim(device)
                except Exception:  # a locked or broken database: try again later
                    log.exception("could not take the next job for %s", device)
                    job = None
                if job is not None:
                    run = self._running[job.id] = self._prepared(job, device)
                    self._emit(model.JobStarted(job.id, device))
                    return run
                self._wake.wait(POLL_SECONDS)
            return None

    def _prepared(self, job: Job, device: str) -> workers.Running:
        """The claimed job with its handler and context, so the worker needs nothing more."""
        run = workers.Running(job, device)
        try:
            run.handler = self.handlers.get(job.task)
        except StudioError as exc:  # unregistered since it was queued: the job fails
            run.error = str(exc)
        run.context = workers.make_context(run, self._store, self._emit)
        return run

    def finish(self, run: workers.Running, outcome: workers.Outcome) -> None:
        change, events = workers.ending(run, outcome)
        with self._wake:
            self._running.pop(run.job.id, None)
            if not self._store.change(run.job.id, {RUNNING}, attempts=1, **change):
                log.warning("job %s was changed elsewhere while it ran", run.job.id)
            for event in events:
                self._emit(event)
            self._wake.notify_all()
