"""Fake handlers and event recorders for the job queue's tests (shared by their modules)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.core.errors import Cancelled
from studio.core.requests import ImageRequest
from studio.runtime.jobs import (
    Job,
    JobContext,
    JobQueue,
    JobState,
)

ROOT = Path(__file__).resolve().parents[2]
REQUEST = ImageRequest(model="tiny", prompt="a red fox")
TIMEOUT = 5.0


def wait_until(condition: Callable[[], object], timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.005)


class OutOfMemoryError(RuntimeError):
    """Named like torch.OutOfMemoryError: the queue recognises it by its class name."""


class Fakes:
    """Handlers a test can register; each records what it did."""

    def __init__(self) -> None:
        self.runs: list[tuple[int, str]] = []  # (job id, device), in start order
        self.gate = threading.Event()
        self.lock = threading.Lock()

    def _start(self, job: Job, ctx: JobContext) -> None:
        with self.lock:
            self.runs.append((job.id, ctx.device))

    def quick(self, job: Job, ctx: JobContext) -> list[str]:
        self._start(job, ctx)
        time.sleep(float(job.meta.get("seconds", 0)))
        return [f"/out/{job.id}.png"]

    def steps(self, job: Job, ctx: JobContext) -> list[str]:
        self._start(job, ctx)
        total = int(job.meta.get("steps", 5))
        for step in range(total):
            time.sleep(float(job.meta.get("step_seconds", 0.001)))
            ctx.progress(step + 1, total, preview=f"step {step + 1}")
        ctx.output(f"/out/{job.id}-a.png")
        return [f"/out/{job.id}-a.png", f"/out/{job.id}-b.png"]

    def gated(self, job: Job, ctx: JobContext) -> list[str]:
        self._start(job, ctx)
        assert self.gate.wait(TIMEOUT), "the test never opened the gate"
        return []

    def polls_cancel(self, job: Job, ctx: JobContext) -> list[str]:
        self._start(job, ctx)
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if ctx.cancelled():
                raise Cancelled()
            time.sleep(0.002)
        raise AssertionError("never cancelled")


class Recorder:
    def __init__(self, queue: JobQueue) -> None:
        self.events: list[Any] = []
        self.lock = threading.Lock()
        queue.subscribe(self)

    def __call__(self, event: Any) -> None:
        with self.lock:
            self.events.append(event)

    def of(self, job_id: int) -> list[Any]:
        with self.lock:
            return [e for e in self.events if getattr(e, "job_id", None) == job_id]

    def kinds(self, job_id: int) -> list[str]:
        return [type(e).__name__ for e in self.of(job_id)]


def state(queue: JobQueue, job_id: int) -> JobState:
    job = queue.get(job_id)
    assert job is not None
    return job.state
