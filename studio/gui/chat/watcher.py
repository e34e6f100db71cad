"""ReplyWatcher: follows the one job whose reply a chat view waits for, through the bridge.

Text (the reply so far) and token counts update the reply's message as they come; the
end of the job (finished, failed, cancelled) settles it and says so with `ended`. A
finished reply is read back from its output file, which holds all of it and the
engine's timing (the stream may have skipped its last few characters).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from studio.core.errors import StudioError
from studio.gui.bridge import JobBridge
from studio.gui.chat.replies import PendingReply, read_reply
from studio.gui.chat.store import DONE, FAILED, STOPPED

Later = Callable[..., None]  # later(work, done, *args): work off the GUI thread, done on it


class ReplyWatcher(QObject):
    changed = Signal(object)  # the reply's ChatMessage: new text
    counted = Signal(object)  # the reply's ChatMessage: only its token count moved
    ended = Signal(object)  # the PendingReply, settled (done, failed or stopped)

    def __init__(self, bridge: JobBridge, later: Later, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge, self._later = bridge, later
        self.pending: PendingReply | None = None
        bridge.job_text.connect(self._on_text)
        bridge.job_progress.connect(self._on_progress)
        bridge.job_finished.connect(self._on_finished)
        bridge.job_failed.connect(self._on_failed)
        bridge.job_cancelled.connect(self._on_cancelled)

    def watch(self, pending: PendingReply) -> None:
        self.pending = pending

    def stop(self) -> None:
        """Cancel the reply; what has streamed so far stays, marked as stopped."""
        pending = self.pending
        if pending is None or pending.stopping:
            return
        pending.stopping = True
        with contextlib.suppress(StudioError):  # it has just ended: its end event is coming
            self.bridge.queue.cancel(pending.job_id)

    def _mine(self, job_id: int) -> PendingReply | None:
        return self.pending if self.pending is not None and self.pending.job_id == job_id else None

    def _on_text(self, job_id: int, text: str) -> None:
        if (pending := self._mine(job_id)) is not None:
            pending.text(text)
            self.changed.emit(pending.message)

    def _on_progress(self, job_id: int, done: int, _total: int) -> None:
        if (pending := self._mine(job_id)) is not None:
            pending.progress(done)
            pending.message.stats["tokens"] = pending.tokens
            self.counted.emit(pending.message)

    def _on_finished(self, job_id: int, paths: list[str]) -> None:
        if (pending := self._mine(job_id)) is not None:
            self._later(read_reply, lambda reply: self._complete(pending, *reply), list(paths))

    def _complete(self, pending: PendingReply, text: str | None, run: dict[str, Any],
                  model: str) -> None:  # fmt: skip
        if text is not None:
            pending.message.text = text
        pending.message.state, pending.message.stats = DONE, pending.stats(run, model)
        self._end(pending)

    def _on_failed(self, job_id: int, error: str) -> None:
        if (pending := self._mine(job_id)) is not None:
            pending.message.state, pending.message.error = FAILED, error
            pending.message.stats = {"model": pending.model}
            self._end(pending)

    def _on_cancelled(self, job_id: int) -> None:
        if (pending := self._mine(job_id)) is not None:
            pending.message.state, pending.message.stats = STOPPED, pending.stats()
            self._end(pending)

    def _end(self, pending: PendingReply) -> None:
        if self.pending is pending:
            self.pending = None
        self.ended.emit(pending)
