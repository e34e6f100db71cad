"""The check after every GUI test (conftest.py, tests/gui/leaks.py) catches what a test
leaves running: each kind of leftover is named with where it was made."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import QObject, QThread, QTimer, QVariantAnimation
from PySide6.QtWidgets import QWidget
from superqt.utils import create_worker

from studio.gui.background import TaskLane
from tests.gui.leaks import LeakWatch


def test_every_gui_test_is_watched(request: pytest.FixtureRequest) -> None:
    assert "nothing_left_running" in request.fixturenames


def test_each_kind_of_leftover_fails_the_test(qtbot: Any) -> None:
    gate = threading.Event()
    with pytest.MonkeyPatch.context() as patch:
        watch = LeakWatch(patch)
        thread = threading.Thread(target=gate.wait, name="leaky-thread")
        thread.start()
        lane = TaskLane("leaky-lane")
        lane.submit(gate.wait, lambda result: None)
        worker = create_worker(gate.wait, _start_thread=True, _ignore_errors=True)
        qthread = QThread()
        qthread.start()
        timer = QTimer()
        timer.start(60_000)
        animation = QVariantAnimation(duration=60_000, startValue=0.0, endValue=1.0)
        animation.start()
        context = QObject()  # deleting it is the one way to cancel a single shot
        QTimer.singleShot(60_000, context, lambda: None)
        window = QWidget()
        window.setWindowTitle("leaky window")
        found = "\n".join(watch.leaks(grace_s=0.1))
        here = "tests/gui/test_leaks.py:"
        for expected in (
            "thread 'leaky-thread'",
            "QThreadPool 'leaky-lane' made at studio/gui/background.py:",
            "superqt worker",
            "Qt's global thread pool has work running",
            f"QThread made at {here}",
            f"QTimer made at {here}",
            f"animation made at {here}",
            f"QTimer.singleShot from {here}",
            "top-level widget QWidget 'leaky window'",
        ):
            assert expected in found
        with pytest.raises(pytest.fail.Exception, match="the test left behind"):
            watch.check(grace_s=0.1)  # what the fixture runs; it stops timers, closes windows
        gate.set()
        thread.join()
        lane.close()
        qthread.quit()
        qthread.wait()
        context.deleteLater()
        assert not worker.abort_requested  # it ran to its end
        assert watch.leaks() == []
        assert not timer.isActive() and animation.state() == QVariantAnimation.State.Stopped
