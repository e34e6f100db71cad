"""LatestLoader: slow reads (a big image, a waveform, an export) off the GUI thread.

One worker thread per owner, so reads never pile up; only the latest call's result is
delivered, on the GUI thread, so flicking through the gallery never shows a stale file.
(studio.gui.worker.BackgroundWorker runs calls that all report; this one keeps the newest.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from studio.core.errors import one_line


class _Relay(QObject):
    # Emitted from the worker; the receiver lives in the GUI thread, so delivery is queued.
    finished = Signal(int, object)
    failed = Signal(int, str)


class _Job(QRunnable):
    def __init__(self, token: int, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.token, self.work, self.relay = token, work, relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # any failure becomes one line for the owner to show
            self.relay.failed.emit(self.token, one_line(exc))
            return
        self.relay.finished.emit(self.token, result)


class LatestLoader(QObject):
    """Runs one function at a time on its own thread; `done`/`failed` report the latest call."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._finished)
        self._relay.failed.connect(self._failed)
        self._latest = 0
        self._running = False

    def run(self, work: Callable[[], Any]) -> None:
        """Start `work()`; a call still queued is dropped, one running finishes unseen."""
        self._latest += 1
        self._running = True
        self.pool.clear()
        self.pool.start(_Job(self._latest, work, self._relay))

    def busy(self) -> bool:
        return self._running

    def cancel(self) -> None:
        """Forget the pending call: its result will not be delivered."""
        self._latest += 1
        self._running = False
        self.pool.clear()

    def shutdown(self) -> None:
        """Drop queued work and wait for the running call (the owner is closing)."""
        self.cancel()
        self.pool.waitForDone()

    def _finished(self, token: int, result: object) -> None:
        if token == self._latest:
            self._running = False
            self.done.emit(result)

    def _failed(self, token: int, reason: str) -> None:
        if token == self._latest:
            self._running = False
            self.failed.emit(reason)
