"""Shared by the GUI tests: a job queue on fake handlers and its Qt bridge (the fixtures in
conftest.py build them)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PIL import Image

from studio.core.errors import StudioError
from studio.core.requests import ImageRequest
from studio.gui.bridge import JobBridge
from studio.runtime.jobs import HandlerRegistry, Job, JobContext, JobQueue

REQUEST = ImageRequest(model="tiny", prompt="a red fox")
TIMEOUT = 5.0
MS = int(TIMEOUT * 1000)


class Fakes:
    """Handlers for the tests; each records what it did."""

    def __init__(self) -> None:
        self.steps_after_cancel: dict[int, int] = {}
        self.failures_left = 1  # `flaky` fails this many times, then succeeds

    def one_step(self, job: Job, ctx: JobContext) -> list[str]:
        ctx.progress(1, 1, preview=Image.new("RGB", (8, 4), (255, 0, 0)))
        ctx.output(f"/out/{job.id}.png")
        return [f"/out/{job.id}.png"]

    def text_step(self, job: Job, ctx: JobContext) -> list[str]:
        ctx.progress(1, 2)
        ctx.text("a partial text")  # streamed text is its own event, not a preview
        ctx.note("half way")
        ctx.progress(2, 2)
        return []

    def stepping(self, job: Job, ctx: JobContext) -> list[str]:
        """Many slow steps; counts the steps it takes after the cancel was asked for."""
        total = int(job.meta.get("steps", 500))
        for step in range(total):
            if ctx.cancelled():
                self.steps_after_cancel[job.id] = self.steps_after_cancel.get(job.id, 0) + 1
            ctx.progress(step + 1, total)  # raises Cancelled once cancelled
            time.sleep(0.02)
        return []

    def failing(self, job: Job, ctx: JobContext) -> list[str]:
        raise StudioError("the model file is broken")

    def flaky(self, job: Job, ctx: JobContext) -> list[str]:
        if self.failures_left > 0:
            self.failures_left -= 1
            raise StudioError("first try fails")
        return [f"/out/{job.id}.png"]


def make_registry(fakes: Fakes) -> HandlerRegistry:
    registry = HandlerRegistry()
    for name in ("one_step", "text_step", "stepping", "failing", "flaky"):
        registry.register(name, getattr(fakes, name))
    return registry


def queue_for_test(tmp_path: Path, fakes: Fakes) -> Iterator[JobQueue]:
    """A started queue; stopped afterwards, leaving no thread behind."""
    before = set(threading.enumerate())
    queue = JobQueue(tmp_path / "jobs.sqlite3", ["cpu"], make_registry(fakes))
    queue.start()
    yield queue
    assert queue.stop(wait=True, timeout=TIMEOUT), "a worker did not stop"
    queue.close()
    assert set(threading.enumerate()) <= before


def bridge_for_test(queue: JobQueue, qtbot: Any) -> Iterator[JobBridge]:
    bridge = JobBridge(queue)
    yield bridge
    bridge.close()
    qtbot.wait(10)  # deliver what was posted before the bridge goes
    bridge.deleteLater()
