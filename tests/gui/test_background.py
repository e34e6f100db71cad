"""TaskLane and BackgroundTasks: results on the GUI thread after the click, failures as one
line, latest-only delivery, and one close that stops every lane and leaves no thread."""

from __future__ import annotations

import threading
import time
import warnings
from typing import Any

from PySide6.QtWidgets import QWidget

from studio.core.errors import StudioError
from studio.gui.background import BackgroundTasks, TaskLane
from tests.gui.leaks import os_thread_name, threads_named

MS = 5000


def test_results_arrive_on_the_gui_thread_after_the_call(qtbot: Any) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    lane = TaskLane("lane-test", owner)
    seen: list[tuple[object, str, bool]] = []
    lane.submit(
        lambda x: (x * 2, os_thread_name()),
        lambda result: seen.append(
            (*result, threading.current_thread() is threading.main_thread())
        ),
        21,
    )
    assert seen == [] and lane.busy  # never inside the submit, even for instant work
    qtbot.waitUntil(lambda: not lane.busy, timeout=MS)
    assert seen == [(42, "lane-test", True)]  # ran on the lane's named thread, delivered here
    lane.close()


def test_a_failure_is_one_line(qtbot: Any) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    lines: list[str] = []
    lane = TaskLane("failing", owner, on_error=lines.append)

    def bug() -> None:
        raise ValueError("boom\nsecond line")

    def refusal() -> None:
        raise StudioError("the model is missing")

    for work in (bug, refusal):
        lane.submit(work, lambda result: lines.append("not reached"))
    qtbot.waitUntil(lambda: len(lines) == 2, timeout=MS)
    assert lines == ["failed: ValueError: boom", "the model is missing"]
    other: list[str] = []
    lane.submit(bug, lambda result: None, on_error=other.append)  # a call's own handler
    qtbot.waitUntil(lambda: bool(other), timeout=MS)
    assert other == ["failed: ValueError: boom"] and len(lines) == 2
    lane.close()


def test_a_latest_only_lane_delivers_the_newest_call_only(qtbot: Any) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    lane = TaskLane("latest", owner, latest_only=True)
    ran: list[int] = []
    shown: list[int] = []

    def read(number: int) -> int:
        time.sleep(0.05)
        ran.append(number)
        return number

    for number in range(5):
        lane.submit(read, shown.append, number)
    qtbot.waitUntil(lambda: not lane.busy, timeout=MS)
    qtbot.wait(100)  # a forgotten call that was running would report by now
    assert shown == [4]
    assert ran[-1] == 4 and len(ran) <= 2  # queued calls were dropped, not run
    lane.submit(read, shown.append, 5)
    lane.cancel()  # e.g. a live preview replaced the file being read
    qtbot.wait(150)
    assert shown == [4] and not lane.busy
    lane.close()


def test_lanes_side_by_side_leave_the_warning_filters_alone(qtbot: Any) -> None:
    """superqt's own run() wraps the work in warnings.catch_warnings(), which swaps the
    process-wide filters: two lanes overlapping would leave another call's in place."""
    owner = QWidget()
    qtbot.addWidget(owner)
    filters, showwarning = warnings.filters[:], warnings.showwarning
    lanes = [TaskLane(f"side-{number}", owner) for number in range(2)]
    for lane in lanes:
        for _ in range(3):
            lane.submit(time.sleep, lambda result: None, 0.03)
    qtbot.waitUntil(lambda: not any(lane.busy for lane in lanes), timeout=MS)
    assert warnings.filters == filters and warnings.showwarning is showwarning
    for lane in lanes:
        lane.close()


def test_one_close_stops_every_lane_and_leaves_no_thread(qtbot: Any) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    tasks = BackgroundTasks(window)
    page = QWidget(window)
    lanes = [
        TaskLane("plain-lane", page),  # a dock's scans
        TaskLane("latest-lane", QWidget(page), latest_only=True),  # a viewer's reads
        TaskLane("wide-lane", window, threads=2),  # thumbnails
    ]
    assert sorted(lane.name for lane in tasks.lanes()) == ["latest-lane", "plain-lane", "wide-lane"]
    running = threading.Event()
    ran: list[str] = []
    delivered: list[str] = []

    def work(name: str) -> str:
        running.set()
        time.sleep(0.2)
        ran.append(name)
        return name

    for lane in lanes:
        for number in range(4):
            lane.submit(work, delivered.append, f"{lane.name}-{number}")
    assert running.wait(2) and tasks.busy
    tasks.close()
    assert not tasks.busy and all(lane.closed for lane in lanes)
    assert all(lane.pool.activeThreadCount() == 0 for lane in lanes)  # waited for
    assert 1 <= len(ran) <= 4  # the running calls finished; queued ones never started
    qtbot.wait(50)
    assert delivered == []  # nothing reports into a closing window
    qtbot.waitUntil(lambda: not threads_named("plain-lane", "latest-lane", "wide-lane"), timeout=MS)
    lanes[0].submit(work, delivered.append, "late")  # refused once closed
    assert not lanes[0].busy and not threads_named("plain-lane")
