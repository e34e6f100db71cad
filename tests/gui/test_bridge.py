"""JobBridge on a real JobQueue with fake handlers: signals on the GUI thread, in order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PIL import Image
from PySide6.QtCore import QEvent, QThread
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from studio.gui.bridge import JobBridge, preview_image
from tests.gui.helpers import MS, REQUEST

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
