"""BackgroundWorker: slow non-generation work (scans, hashes, imports, loads) on one worker
thread, each result handed back on the GUI thread.

Results always arrive through the event loop (a queued signal), never inside the click
that asked for them, and a failure arrives as one line, never as an exception in Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from studio.core.errors import StudioError, one_line


class BackgroundWorker(QObject):
    _work_done = Signal(object, object)  # (callback, future)

    def __init__(self, name: str, on_error: Callable[[str], None],
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.name, self.on_error = name, on_error
        self._pool: ThreadPoolExecutor | None = None  # started by the first job
        self._pending = 0
        self._closed = False
        self._work_done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def submit(self, work: Callable[..., Any], done: Callable[[Any], None], *args: Any) -> None:
        if self._closed:
            return
        if self._pool is None:  # stopped by stop(); a dock may be shown again
            self._pool = ThreadPoolExecutor(1, self.name)
        self._pending += 1
        future = self._pool.submit(work, *args)
        future.add_done_callback(lambda f: self._work_done.emit(done, f))

    def stop(self) -> None:
        """Wait for the running job, drop queued ones; no thread is left."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        self.stop()
        self._closed = True

    def _deliver(self, done: Callable[[Any], None], future: Future[Any]) -> None:
        self._pending -= 1
        if self._closed or future.cancelled():
            return
        try:
            result = future.result()
        except StudioError as exc:
            self.on_error(str(exc))
        except Exception as exc:  # a bug or an OS error: one line, the widget keeps working
            line = self.tr("failed: {0}: {1}").format(type(exc).__name__, exc)
            self.on_error(one_line(line))
        else:
            done(result)
