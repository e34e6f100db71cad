"""JobBridge on a real JobQueue with fake handlers: signals on the GUI thread, in order."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCore import QEvent, QThread
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from studio.core.errors import StudioError
from studio.core.requests import ImageRequest
from studio.gui.bridge import JobBridge, preview_image
from studio.runtime.jobs import HandlerRegistry, Job, JobContext, JobQueue

REQUEST = ImageRequest(model="tiny", prompt="a red fox")
TIMEOUT = 5.0
MS = int(TIMEOUT * 1000)
SIGNALS = [
    "job_queued",
    "job_held",
    "job_priority_changed",
    "job_started",
    "job_progress",
    "job_preview",
    "job_output",
    "job_finished",
    "job_failed",
    "job_cancelled",
    "job_note",
    "queue_paused",
    "queue_resumed",
]


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
        ctx.progress(1, 2, preview="a partial text")
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


class Recorder:
    """Every bridge signal as (name, args), and whether each slot ran on the GUI thread."""

    def __init__(self, bridge: JobBridge) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.off_gui_thread = 0
        for name in SIGNALS:
            getattr(bridge, name).connect(self._slot(name))

    def _slot(self, name: str) -> Callable[..., None]:
        def slot(*args: Any) -> None:
            if QThread.currentThread() is not QApplication.instance().thread():
                self.off_gui_thread += 1
            self.calls.append((name, *args))

        return slot

    def names(self) -> list[str]:
        return [call[0] for call in self.calls]


def test_a_job_signals_on_the_gui_thread_in_strict_order(bridge, queue, qtbot) -> None:
    recorder = Recorder(bridge)
    order = [bridge.job_queued, bridge.job_started, bridge.job_progress, bridge.job_preview,
             bridge.job_output, bridge.job_finished]  # fmt: skip
    with qtbot.waitSignals(order, order="strict", timeout=MS):
        job_id = queue.submit("one_step", REQUEST)
    assert recorder.off_gui_thread == 0
    assert recorder.names() == [
        "job_queued", "job_started", "job_progress", "job_preview", "job_output", "job_finished",
    ]  # fmt: skip
    assert recorder.calls[1] == ("job_started", job_id, "cpu")
    assert recorder.calls[2] == ("job_progress", job_id, 1, 1)
    assert recorder.calls[-1] == ("job_finished", job_id, [f"/out/{job_id}.png"])
    image = recorder.calls[3][2]
    assert isinstance(image, QImage) and (image.width(), image.height()) == (8, 4)
    assert image.pixelColor(0, 0).getRgb() == (255, 0, 0, 255)


def test_a_text_preview_is_no_image_and_notes_arrive(bridge, queue, qtbot) -> None:
    recorder = Recorder(bridge)
    with qtbot.waitSignal(bridge.job_finished, timeout=MS):
        job_id = queue.submit("text_step", REQUEST)
    assert "job_preview" not in recorder.names()
    assert ("job_note", job_id, "half way") in recorder.calls
    assert recorder.names().count("job_progress") == 2


def test_failure_cancel_priority_hold_and_pause_signals(bridge, queue, qtbot) -> None:
    recorder = Recorder(bridge)
    with qtbot.waitSignal(bridge.job_failed, timeout=MS) as failed:
        failing = queue.submit("failing", REQUEST)
    assert failed.args == [failing, "the model file is broken"]
    with qtbot.waitSignals([bridge.queue_paused, bridge.job_cancelled], order="strict"):
        queue.pause()
        waiting = queue.submit("one_step", REQUEST)
        queue.set_priority(waiting, 4)
        queue.hold(waiting)
        queue.cancel(waiting)
    with qtbot.waitSignal(bridge.queue_resumed, timeout=MS):
        queue.resume()
    assert recorder.calls[-6:] == [
        ("queue_paused",), ("job_queued", waiting), ("job_priority_changed", waiting, 4),
        ("job_held", waiting), ("job_cancelled", waiting), ("queue_resumed",),
    ]  # fmt: skip
    assert recorder.off_gui_thread == 0


def test_close_unsubscribes(bridge, queue, qtbot) -> None:
    recorder = Recorder(bridge)
    bridge.close()
    bridge.close()  # twice is harmless
    queue.pause()
    qtbot.wait(50)
    assert recorder.calls == []


def test_a_deleted_bridge_stops_listening(queue, qtbot, caplog) -> None:
    bridge = JobBridge(queue)
    bridge.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    queue.pause()  # a listener left behind would fail on the deleted object and log it
    assert "listener failed" not in caplog.text


def test_preview_image_converts_pil_modes_and_ignores_other_data() -> None:
    gray = preview_image(Image.new("L", (3, 2), 128))
    assert gray is not None and gray.pixelColor(2, 1).getRgb() == (128, 128, 128, 255)
    assert preview_image("text") is None and preview_image(None) is None


def test_a_text_preview_arrives_as_job_text_and_an_image_does_not(bridge, queue, qtbot) -> None:
    texts: list[tuple[int, str]] = []
    images: list[int] = []
    bridge.job_text.connect(lambda job_id, text: texts.append((job_id, text)))
    bridge.job_preview.connect(lambda job_id, image: images.append(job_id))
    with qtbot.waitSignal(bridge.job_finished, timeout=MS):
        text_job = queue.submit("text_step", REQUEST)
    with qtbot.waitSignal(bridge.job_finished, timeout=MS):
        image_job = queue.submit("one_step", REQUEST)
    assert texts == [(text_job, "a partial text")] and images == [image_job]
