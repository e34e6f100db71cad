"""QueueDock and LogPanel driven by a real JobQueue through the bridge."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication

from studio.core.requests import ImageRequest
from studio.gui.bridge import JobBridge
from studio.gui.log_panel import LOGGER, LogPanel, SignalLogHandler
from studio.gui.queue_dock import (
    ETA_COLUMN,
    PROGRESS_COLUMN,
    ProgressRole,
    QueueDock,
    eta_text,
    summary,
)
from studio.runtime.jobs import Job, JobState
from tests.gui.helpers import MS, REQUEST

COLUMN = {"task": 0, "prompt": 1, "state": 2}


def dispose(widget: Any) -> None:
    """Close and delete now, then check no widget of ours is left alive."""
    kind = type(widget)
    widget.close()
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not [w for w in QApplication.allWidgets() if isinstance(w, kind)]


@pytest.fixture
def dock(bridge: JobBridge, qtbot: Any) -> Iterator[QueueDock]:
    dock = QueueDock(bridge)
    dock.show()
    yield dock
    dispose(dock)


@pytest.fixture
def panel(bridge: JobBridge) -> Iterator[LogPanel]:
    panel = LogPanel(bridge)
    yield panel
    dispose(panel)
    assert not [h for h in logging.getLogger(LOGGER).handlers if isinstance(h, SignalLogHandler)]


def cell(dock: QueueDock, job_id: int, column: int, role: Any = Qt.ItemDataRole.DisplayRole) -> Any:
    row = dock.model.row_of(job_id)
    assert row is not None, f"no row for job {job_id}"
    return dock.model.index(row, column).data(role)


def state_of(dock: QueueDock, job_id: int) -> str:
    return str(cell(dock, job_id, COLUMN["state"])).split(" ")[0]


def test_dock_lists_jobs_with_prompt_state_and_progress(dock, queue, qtbot) -> None:
    assert dock.windowTitle() == "Queue"
    job_id = queue.submit("stepping", ImageRequest(model="m", prompt="a  lighthouse\nat dusk"),
                          meta={"steps": 400})  # fmt: skip
    qtbot.waitUntil(lambda: (cell(dock, job_id, PROGRESS_COLUMN, ProgressRole) or (0, 0))[0] >= 3,
                    timeout=MS)  # fmt: skip
    assert cell(dock, job_id, COLUMN["task"]) == "stepping"
    assert cell(dock, job_id, COLUMN["prompt"]) == "a lighthouse at dusk"
    assert state_of(dock, job_id) == "running"
    assert cell(dock, job_id, 5) == "cpu"
    assert cell(dock, job_id, PROGRESS_COLUMN).endswith("/400")
    assert ":" in cell(dock, job_id, ETA_COLUMN)
    dock.view.grab()  # paints the progress bar delegate
    queue.cancel(job_id)
    qtbot.waitUntil(lambda: state_of(dock, job_id) == "cancelled", timeout=MS)


def test_cancel_button_and_delete_key_stop_a_running_job_within_one_step(
    dock, queue, fakes, qtbot
) -> None:
    first = queue.submit("stepping", REQUEST)
    qtbot.waitUntil(lambda: state_of(dock, first) == "running", timeout=MS)
    dock.select(first)
    with qtbot.waitSignal(dock.model.layoutChanged, timeout=MS):
        dock.buttons["cancel"].click()
    qtbot.waitUntil(lambda: state_of(dock, first) == "cancelled", timeout=MS)
    assert fakes.steps_after_cancel.get(first, 0) <= 1
    second = queue.submit("stepping", REQUEST)
    qtbot.waitUntil(lambda: state_of(dock, second) == "running", timeout=MS)
    dock.select(second)
    qtbot.keyClick(dock.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: state_of(dock, second) == "cancelled", timeout=MS)
    assert fakes.steps_after_cancel.get(second, 0) <= 1


def test_retry_requeues_a_failed_job_and_refusals_are_one_line(dock, queue, qtbot) -> None:
    job_id = queue.submit("flaky", REQUEST)
    qtbot.waitUntil(lambda: state_of(dock, job_id) == "failed", timeout=MS)
    assert cell(dock, job_id, COLUMN["state"], Qt.ItemDataRole.ToolTipRole) == "first try fails"
    dock.select(job_id)
    dock.buttons["retry"].click()
    qtbot.waitUntil(lambda: state_of(dock, job_id) == "finished", timeout=MS)
    dock.buttons["retry"].click()  # a finished job cannot be retried: told, not raised
    assert "only failed or cancelled jobs can be retried" in dock.message.text()
    dock.view.clearSelection()
    dock.buttons["cancel"].click()
    assert dock.message.text() == "Select a job first."


def test_move_up_raises_priority_and_the_row_moves_with_its_selection(dock, queue, qtbot) -> None:
    queue.pause()
    first, second = queue.submit("one_step", REQUEST), queue.submit("one_step", REQUEST)
    qtbot.waitUntil(lambda: dock.model.rowCount() == 2, timeout=MS)
    assert [dock.model.job_id(r) for r in range(2)] == [first, second]
    dock.select(second)
    with qtbot.waitSignal(dock.model.layoutChanged, timeout=MS):
        dock.buttons["up"].click()
    job = queue.get(second)
    assert job is not None and job.priority == 1
    assert [dock.model.job_id(r) for r in range(2)] == [second, first]
    assert dock.selected_id() == second
    assert cell(dock, second, COLUMN["state"]) == "queued (priority 1)"
    with qtbot.waitSignal(dock.model.layoutChanged, timeout=MS):
        dock.buttons["down"].click()
        dock.buttons["down"].click()
    assert [dock.model.job_id(r) for r in range(2)] == [first, second]


def test_pause_and_resume_the_whole_queue(dock, queue, qtbot) -> None:
    with qtbot.waitSignal(dock.model.layoutChanged, timeout=MS):  # the paused event first
        dock.buttons["pause"].click()
        job_id = queue.submit("one_step", REQUEST)
    assert queue.paused and dock.windowTitle() == "Queue (paused)"
    assert dock.buttons["pause"].text() == "Resume queue"
    qtbot.wait(50)
    assert state_of(dock, job_id) == "queued"
    dock.buttons["pause"].click()
    qtbot.waitUntil(lambda: state_of(dock, job_id) == "finished", timeout=MS)
    assert dock.windowTitle() == "Queue" and dock.buttons["pause"].text() == "Pause queue"


def test_a_dock_opened_late_shows_jobs_already_in_the_queue(bridge, queue, qtbot) -> None:
    queue.pause()
    job_id = queue.submit("one_step", REQUEST)
    late = QueueDock(bridge)
    try:
        assert late.model.rowCount() == 1 and state_of(late, job_id) == "queued"
        assert late.windowTitle() == "Queue (paused)"
    finally:
        dispose(late)


def test_a_deleted_panel_stops_listening_without_detach(qtbot) -> None:
    panel = LogPanel()
    assert panel.handler in logging.getLogger(LOGGER).handlers
    panel.close()  # only hides the dock
    assert panel.handler in logging.getLogger(LOGGER).handlers
    dispose(panel)
    assert not [h for h in logging.getLogger(LOGGER).handlers if isinstance(h, SignalLogHandler)]
    logging.getLogger("studio").warning("nobody listens")  # no error from a deleted panel


def test_unreadable_request_is_named_in_the_row_not_raised() -> None:
    assert summary(Job(3, "t", "not json")).startswith("(unreadable request: ")


def test_eta_comes_from_elapsed_time_and_steps_done() -> None:
    job = Job(1, "t", REQUEST.to_json(), state=JobState.RUNNING, done=2, total=10, started=100.0)
    assert eta_text(job, now=110.0) == "0:40"
    assert eta_text(job, now=100.0 + 1350) == "1h30"
    assert eta_text(Job(2, "t", "{}", state=JobState.QUEUED), now=5.0) == ""


def test_log_panel_shows_failures_notes_and_studio_log_records(panel, queue, qtbot) -> None:
    assert panel.windowTitle() == "Log"
    job_id = queue.submit("failing", REQUEST)
    qtbot.waitUntil(lambda: any("failed" in line for line in panel.lines()), timeout=MS)
    assert f"ERROR job {job_id} failed: the model file is broken" in panel.lines()[-1]
    queue.submit("text_step", REQUEST)
    qtbot.waitUntil(lambda: any("half way" in line for line in panel.lines()), timeout=MS)
    worker = threading.Thread(target=logging.getLogger("studio.gui.test").warning,
                              args=("disk %s almost full", "D:"))  # fmt: skip
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: "disk D: almost full" in panel.lines()[-1], timeout=MS)
    assert "WARNING studio.gui.test: disk D: almost full" in panel.lines()[-1]
    panel.detach()
    logging.getLogger("studio").warning("after detach")
    qtbot.wait(20)
    assert "after detach" not in panel.text.toPlainText()
