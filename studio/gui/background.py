"""Background work of the GUI that is not generation (scans, hashes, file reads, exports,
thumbnails, the queue's start), run off the GUI thread by superqt workers.

A TaskLane belongs to the widget that makes it (its Qt parent) and runs that widget's calls
on a QThreadPool of its own, named after the lane (one thread unless told more), so a
widget's calls never wait behind another's. A result or a failure comes back on the GUI
thread through the event loop (a queued connection), never inside the click that asked for
it; a failure comes as one line. A latest-only lane delivers only its newest call, so
flicking through the gallery never shows a stale file.

The window's BackgroundTasks stops every lane of the window in one call.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool

from studio.core.errors import StudioError, one_line

log = logging.getLogger(__name__)
_SKIPPED = object()  # the result of a call dropped after a thread had already taken it


class TaskLane(QObject):
    """submit(work, done, *args): work(*args) on the lane's thread, then done(result) or
    on_error(line) on the GUI thread. Without on_error a failure is only logged."""

    def __init__(
        self,
        name: str,
        parent: QObject | None = None,
        *,
        on_error: Callable[[str], None] | None = None,
        latest_only: bool = False,
        threads: int = 1,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.on_error, self.latest_only = on_error, latest_only
        self.pool = QThreadPool(self)
        self.pool.setObjectName(name)  # Qt names the pool's threads after it
        self.pool.setMaxThreadCount(threads)
        self._calls: list[_Call] = []  # submitted and not yet finished on their thread
        self._closed = False

    @property
    def name(self) -> str:
        return self.objectName()

    @property
    def busy(self) -> bool:
        """Some call's result (or failure) is still to be delivered."""
        return any(call.wanted for call in self._calls)

    @property
    def closed(self) -> bool:
        return self._closed

    def submit(
        self,
        work: Callable[..., Any],
        done: Callable[[Any], None],
        *args: Any,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Queue work(*args); ignored once the lane is closed. On a latest-only lane the
        calls before it are forgotten (see cancel)."""
        if self._closed:
            return
        if self.latest_only:
            self.cancel()
        from superqt.utils import create_worker  # at the first call: not before first paint

        call = _Call(self, done, on_error or self.on_error)
        worker = create_worker(_run, call.claim, work, args, _worker_class=_worker_class(),
                               _start_thread=False, _ignore_errors=True)  # fmt: skip
        # The call lives in the GUI thread, so its slots run there, after the click returned.
        queued = Qt.ConnectionType.QueuedConnection
        worker.returned.connect(call.returned, queued)
        worker.errored.connect(call.errored, queued)
        worker.finished.connect(call.finished, queued)
        call.worker = worker
        self._calls.append(call)
        self.pool.start(worker)  # the lane's own pool, not superqt's global one

    def drop_queued(self) -> None:
        """The calls not started yet never run; a running one goes on and reports."""
        self.pool.clear()
        for call in list(self._calls):
            if call.claim.take("dropped"):  # no thread started it: nothing more will come
                call.wanted = False
                call.forget()

    def cancel(self) -> None:
        """Forget every call: a queued one never runs, a running one finishes unseen."""
        self.drop_queued()
        for call in self._calls:
            call.wanted = False

    def stop(self) -> None:
        """Drop the queued calls and wait for the running one, whose result still arrives;
        no thread is left, and a later submit starts one again."""
        self.drop_queued()
        self.pool.waitForDone()

    def close(self) -> None:
        """For good: forget every call, wait for the running one, refuse new ones."""
        self._closed = True
        self.cancel()
        self.pool.waitForDone()

    def failure_line(self, error: BaseException) -> str:
        if isinstance(error, StudioError):  # written for the user
            return one_line(error)
        # A bug or an OS error: the type is half the story; the traceback goes to the log.
        log.error("%s failed", self.name, exc_info=error)
        return one_line(self.tr("failed: {0}: {1}").format(type(error).__name__, error))


class BackgroundTasks(QObject):
    """The window's switch for its background work: close() stops every TaskLane in the
    window's object tree (the lanes of its docks, pages and dialogs) in one call, dropping
    what is queued and waiting for what runs, so no thread outlives the window."""

    def __init__(self, window: QObject) -> None:
        super().__init__(window)
        self.window = window

    def lanes(self) -> list[TaskLane]:
        return self.window.findChildren(TaskLane)

    @property
    def busy(self) -> bool:
        return any(lane.busy for lane in self.lanes())

    def close(self) -> None:
        lanes = self.lanes()
        for lane in lanes:  # every queue first, so none starts work while another is waited for
            lane.cancel()
        for lane in lanes:
            lane.close()


class _Claim:
    """Who has a queued call first: a thread that starts it, or a cancel that drops it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.state = "queued"

    def take(self, state: str) -> bool:
        with self._lock:
            if self.state != "queued":
                return False
            self.state = state
            return True


@functools.cache
def _worker_class() -> type:
    """superqt's FunctionWorker without its capture of warnings: catch_warnings swaps the
    process-wide filters, and lanes run side by side (two would leave them swapped).
    Made at the first call: importing superqt (and qtpy) costs ~80 ms of start-up."""
    from superqt.utils import FunctionWorker

    class _Worker(FunctionWorker[Any]):
        def run(self) -> None:
            self.started.emit()
            self._running = True
            try:
                result = self.work()
                if not self.abort_requested:
                    self.returned.emit(result)
            except Exception as exc:  # delivered to the lane's call, as superqt does
                self.errored.emit(exc)
            self._running = False
            self.finished.emit()
            self._finished.emit(self)

    return _Worker


def _run(claim: _Claim, work: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """On the lane's thread."""
    if not claim.take("running"):
        return _SKIPPED
    return work(*args)


class _Call(QObject):
    """One submitted call; it receives its worker's signals on the GUI thread."""

    def __init__(self, lane: TaskLane, done: Callable[[Any], None],
                 on_error: Callable[[str], None] | None) -> None:  # fmt: skip
        super().__init__(lane)
        self.lane, self.done, self.on_error = lane, done, on_error
        self.claim = _Claim()
        self.wanted = True  # until delivered or forgotten
        self.worker: Any = None  # the superqt worker, held until it has finished

    def returned(self, result: object) -> None:
        if self.wanted and result is not _SKIPPED:
            self.wanted = False  # not busy any more while done() runs
            self.done(result)

    def errored(self, error: BaseException) -> None:
        if self.wanted:
            self.wanted = False
            line = self.lane.failure_line(error)  # logs a bug's traceback
            if self.on_error is not None:
                self.on_error(line)
            elif isinstance(error, StudioError):
                log.warning("%s: %s", self.lane.name, line)

    def finished(self) -> None:
        self.forget()

    def forget(self) -> None:
        if self in self.lane._calls:
            self.lane._calls.remove(self)
        self.worker = None
        self.deleteLater()
