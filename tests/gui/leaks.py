"""LeakWatch: what a GUI test left behind. conftest.py's autouse fixture fails a test that
leaves a thread, work in a QThreadPool (a superqt worker among it), a running QThread,
QTimer, pending single shot or animation, or a top-level widget: such a leftover runs on
into the next tests, or into a deleted object, and crashes the suite far from its cause.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import (
    QAbstractAnimation,
    QCoreApplication,
    QEvent,
    QObject,
    QParallelAnimationGroup,
    QPropertyAnimation,
    QSequentialAnimationGroup,
    QThread,
    QThreadPool,
    QTimer,
    QVariantAnimation,
)
from PySide6.QtWidgets import QApplication, QWidget
from superqt.utils import WorkerBase

ROOT = Path(__file__).resolve().parents[2]
TASKS = Path("/proc/self/task")  # Linux: the process's OS threads
GRACE_S = 2.0  # what is ending when the test ends gets this long to finish
# Library threads outside our control: tqdm's monitor (diffusers' step bars) lives as long
# as any bar object does. Our own long-lived threads would belong here too: there are none.
LONG_LIVED = {"TMonitor"}  # thread classes


def live_threads() -> set[threading.Thread]:
    """The threads that run now. Python keeps a foreign thread that once ran Python code
    (a Qt pool thread) as a _DummyThread forever: it counts while its OS thread exists."""
    return {
        thread
        for thread in threading.enumerate()
        if not isinstance(thread, threading._DummyThread)
        or (TASKS.is_dir() and (TASKS / str(thread.native_id)).exists())
    }


def os_thread_names() -> list[str]:
    """The names of the process's OS threads (Qt names a pool's threads after the pool)."""
    if not TASKS.is_dir():
        return [thread.name for thread in live_threads()]
    names = []
    for task in TASKS.iterdir():
        with contextlib.suppress(OSError):  # the thread ended meanwhile
            names.append((task / "comm").read_text().strip())
    return names


def threads_named(*prefixes: str) -> list[str]:
    """The OS threads whose names start with one of `prefixes` (a lane's name). Qt lets a
    pool's threads go when the pool has waited for them; the OS takes a moment more."""
    return [name for name in os_thread_names() if name.startswith(prefixes)]


def os_thread_name() -> str:
    """The calling thread's OS name: on a lane's thread, the lane's name."""
    comm = TASKS / str(threading.get_native_id()) / "comm"
    return comm.read_text().strip() if comm.exists() else threading.current_thread().name


def _caller() -> str:
    """file:line of the first frame in this repository's code (not this file, not .venv)."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(str(ROOT)) and ".venv" not in name and name != __file__:
            return f"{Path(name).relative_to(ROOT)}:{frame.f_lineno}"
        frame = frame.f_back
    return "outside the project"


def _pointer(widget: QWidget) -> int:
    return int(shiboken6.getCppPointer(widget)[0])


class _SingleShot:
    def __init__(self, where: str, context: QObject | None) -> None:
        self.where, self.fired = where, False
        self.context = weakref.ref(context) if context is not None else None

    def pending(self) -> bool:
        if self.fired:
            return False
        if self.context is None:
            return True
        context = self.context()  # Qt drops the call when its context object goes
        return context is not None and shiboken6.isValid(context)


ANIMATIONS = (QVariantAnimation, QPropertyAnimation, QSequentialAnimationGroup,
              QParallelAnimationGroup)  # fmt: skip
# kind -> (its classes, what one is while still running, the check)
WATCHED: dict[str, tuple[tuple[type, ...], str, Callable[[Any], bool]]] = {
    "QThreadPool": ((QThreadPool,), "has work running", lambda pool: pool.activeThreadCount() > 0),
    "QThread": ((QThread,), "runs", lambda thread: thread.isRunning()),
    "QTimer": ((QTimer,), "is active", lambda timer: timer.isActive()),
    "animation": (ANIMATIONS, "runs", lambda a: a.state() == QAbstractAnimation.State.Running),
}


class LeakWatch:
    """Notes what runs when a test starts, and where each Qt thread, pool, timer and
    animation is made during it. Their constructors are wrapped, not their start methods:
    a signal connected to timer.start must keep reaching Qt's own slot."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.threads = live_threads()
        self.widgets = {_pointer(w) for w in QApplication.topLevelWidgets()}
        self.made: dict[str, weakref.WeakKeyDictionary[QObject, str]] = {
            kind: weakref.WeakKeyDictionary() for kind in WATCHED
        }
        self.single_shots: list[_SingleShot] = []
        for kind, (classes, _, _) in WATCHED.items():
            for cls in classes:
                monkeypatch.setattr(cls, "__init__", self._recording_init(cls.__init__, kind))
        monkeypatch.setattr(
            QTimer, "singleShot", staticmethod(self._single_shot(QTimer.singleShot))
        )

    def _recording_init(self, init: Callable[..., None], kind: str) -> Callable[..., None]:
        made = self.made[kind]

        def recording_init(obj: QObject, *args: Any, **kwargs: Any) -> None:
            init(obj, *args, **kwargs)
            made[obj] = _caller()

        return recording_init

    def _single_shot(self, single_shot: Callable[..., Any]) -> Callable[..., Any]:
        def recording_single_shot(*args: Any) -> Any:
            *head, callback = args
            if not callable(callback):  # a slot named by a string
                return single_shot(*args)
            context = next((a for a in head if isinstance(a, QObject)), None)
            owner = getattr(callback, "__self__", None)
            if context is None and isinstance(owner, QObject) and len(head) == 1:
                # Qt ties a bound method's call to its object; the wrapper must keep that.
                context, head = owner, [head[0], owner, *head[1:]]
            shot = _SingleShot(_caller(), context)
            self.single_shots.append(shot)

            def fire(*fired_args: Any) -> Any:
                shot.fired = True
                return callback(*fired_args)

            return single_shot(*head, fire)

        return recording_single_shot

    def leaks(self, grace_s: float = GRACE_S) -> list[str]:
        """One line per leftover, after giving what is ending up to grace_s to end."""
        deadline = time.monotonic() + grace_s
        _flush()
        found = self._look()
        while found and time.monotonic() < deadline:
            time.sleep(0.02)
            _flush(collect=True)
            found = self._look()
        return found

    def check(self, grace_s: float = GRACE_S) -> None:
        """What the fixture runs after each test: fail it on any leftover (then clean up,
        so one leak fails one test)."""
        found = self.leaks(grace_s)
        if found:
            self.clean_up()
            pytest.fail("the test left behind:\n  " + "\n  ".join(found), pytrace=False)

    def _look(self) -> list[str]:
        found = [
            f"thread {thread.name!r} ({type(thread).__name__})"
            for thread in live_threads() - self.threads
            if type(thread).__name__ not in LONG_LIVED
        ]
        for kind, made in self.made.items():
            _, state, running = WATCHED[kind]
            for obj, where in list(made.items()):
                if shiboken6.isValid(obj) and running(obj):
                    label = f"{kind} {obj.objectName()!r}" if obj.objectName() else kind
                    found.append(f"{label} made at {where} {state}")
        if QThreadPool.globalInstance().activeThreadCount():
            found.append("Qt's global thread pool has work running")
        found += [f"superqt worker {worker!r} runs" for worker in list(WorkerBase._worker_set)]
        found += [f"QTimer.singleShot from {s.where} pending" for s in self.single_shots
                  if s.pending()]  # fmt: skip
        found += [f"top-level widget {_describe(w)}" for w in self._new_widgets()]
        return found

    def _new_widgets(self) -> list[QWidget]:
        return [w for w in QApplication.topLevelWidgets() if _pointer(w) not in self.widgets]

    def clean_up(self) -> None:
        """Stop what can be stopped (threads and single shots cannot)."""
        for kind, made in self.made.items():
            for obj in list(made):
                if not shiboken6.isValid(obj):
                    continue
                if kind == "QThreadPool":
                    obj.clear()
                    obj.waitForDone(2000)
                elif kind == "QThread":
                    obj.quit()
                    obj.wait(2000)
                else:
                    obj.stop()
        for widget in self._new_widgets():
            widget.close()
            widget.deleteLater()
        _flush()


def _describe(widget: QWidget) -> str:
    title = widget.windowTitle() or widget.objectName()
    return f"{type(widget).__name__}" + (f" {title!r}" if title else "")


def _flush(collect: bool = False) -> None:
    """Deliver what is posted and delete what was deleteLater()'d."""
    if collect:
        gc.collect()
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
