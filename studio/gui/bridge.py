"""JobBridge: job queue events, which arrive on worker threads, as Qt signals on the GUI thread.

Every event goes through one private signal with a queued connection, even when the event
comes from the GUI thread itself (submit, cancel): a direct call would overtake events a
worker queued just before, and widgets must see a job's events in the order they happened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QImage

from studio.runtime import jobs
from studio.runtime.jobs import JobQueue


def preview_image(preview: Any) -> QImage | None:
    """A PIL image as a QImage (safe off the GUI thread, unlike QPixmap); None for other data."""
    if not (hasattr(preview, "convert") and hasattr(preview, "tobytes")):
        return None
    rgba = preview.convert("RGBA")
    width, height = rgba.size
    image = QImage(rgba.tobytes(), width, height, 4 * width, QImage.Format.Format_RGBA8888)
    return image.copy()  # own the pixels: the bytes object above goes away


class JobBridge(QObject):
    """Create in the GUI thread; connect widgets to its signals; close() when done."""

    job_queued = Signal(int)
    job_held = Signal(int)
    job_priority_changed = Signal(int, int)
    job_started = Signal(int, str)  # job id, device
    job_progress = Signal(int, int, int)  # job id, done, total
    job_preview = Signal(int, QImage)
    job_text = Signal(int, str)  # job id, a text job's reply so far (each event: all of it)
    job_output = Signal(int, str)
    job_finished = Signal(int, list)  # job id, result paths
    job_failed = Signal(int, str)
    job_cancelled = Signal(int)
    job_note = Signal(int, str)
    queue_paused = Signal()
    queue_resumed = Signal()

    _event = Signal(object)  # (event, preview QImage or None), emitted on any thread

    def __init__(self, queue: JobQueue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.queue = queue
        self._event.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = queue.subscribe(self._on_event)
        # Deleted without close() (with its parent window): stop listening all the same.
        self.destroyed.connect(self._unsubscribe)

    def close(self) -> None:
        """Stop listening; events already posted are still delivered."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_event(self, event: object) -> None:
        # A queue listener: runs on the thread that caused the event. Convert the preview
        # here, so a large image costs the worker, not the GUI.
        image = preview_image(event.preview) if isinstance(event, jobs.JobProgress) else None
        self._event.emit((event, image))

    @Slot(object)
    def _dispatch(self, item: tuple[object, QImage | None]) -> None:
        event, image = item
        match event:
            case jobs.JobProgress(job_id, done, total):
                self.job_progress.emit(job_id, done, total)
                if image is not None:
                    self.job_preview.emit(job_id, image)
            case jobs.JobText(job_id, text):
                self.job_text.emit(job_id, text)
            case jobs.JobQueued(job_id):
                self.job_queued.emit(job_id)
            case jobs.JobHeld(job_id):
                self.job_held.emit(job_id)
            case jobs.JobPriorityChanged(job_id, priority):
                self.job_priority_changed.emit(job_id, priority)
            case jobs.JobStarted(job_id, device):
                self.job_started.emit(job_id, device)
            case jobs.JobOutput(job_id, path):
                self.job_output.emit(job_id, path)
            case jobs.JobFinished(job_id, paths):
                self.job_finished.emit(job_id, list(paths))
            case jobs.JobFailed(job_id, error):
                self.job_failed.emit(job_id, error)
            case jobs.JobCancelled(job_id):
                self.job_cancelled.emit(job_id)
            case jobs.JobNote(job_id, text):
                self.job_note.emit(job_id, text)
            case jobs.QueuePaused():
                self.queue_paused.emit()
            case jobs.QueueResumed():
                self.queue_resumed.emit()
