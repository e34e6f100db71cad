"""What a job handler gets (JobContext) and the registry that maps a task name to its handler.

A handler is `fn(job, ctx) -> list of result paths`. It runs on the worker thread of
`ctx.device`, reports with `ctx.progress`, `ctx.text`, `ctx.output` and `ctx.note`, and stops by raising
`studio.core.errors.Cancelled` once `ctx.cancelled()` is true (`ctx.progress` raises it
for the handler). `job.meta["low_memory"]` is true on the retry after an out-of-memory error.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from os import PathLike
from typing import Any

from studio.core.errors import Cancelled, ValidationError
from studio.runtime.jobs.model import Job

# At most ~20 progress events per second per job: a fast engine must not flood the GUI.
PROGRESS_INTERVAL = 0.05


class JobContext:
    """The running job's line back to the queue. Made by the worker, one per run."""

    def __init__(
        self,
        device: str,
        cancel: threading.Event,
        report: Callable[[int, int, Any], None],
        output: Callable[[str, str], None],
        note: Callable[[str], None],
        text: Callable[[str], None] = lambda text: None,
    ) -> None:
        self.device = device
        self._cancel = cancel
        self._report = report
        self._output = output
        self._note = note
        self._text = text
        self._last = -PROGRESS_INTERVAL  # monotonic time of the last report sent on
        self._sent_first = False
        self._reply, self._text_sent = "", 0
        self._last_text = -PROGRESS_INTERVAL

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def raise_if_cancelled(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def progress(self, done: int, total: int, preview: Any = None) -> None:
        """Report a step; throttled, except the first and the last (done >= total).

        Raises Cancelled when the job was cancelled, so a handler that reports every step
        stops within one step even if it never calls cancelled() itself.
        """
        self.raise_if_cancelled()
        now = time.monotonic()
        last = total > 0 and done >= total
        if self._sent_first and not last and now - self._last < PROGRESS_INTERVAL:
            return
        self._sent_first, self._last = True, now
        self._report(done, total, preview)

    def text(self, chunk: str) -> None:
        """A chunk of a text job's reply; throttled like progress, each event carries the
        whole reply so far, so one that is dropped loses nothing."""
        self._reply += chunk
        now = time.monotonic()
        if now - self._last_text >= PROGRESS_INTERVAL:
            self._last_text, self._text_sent = now, len(self._reply)
            self._text(self._reply)

    def flush_text(self) -> None:
        """Send the reply's last chunks if the throttle held them back."""
        if len(self._reply) > self._text_sent:
            self._text_sent = len(self._reply)
            self._text(self._reply)

    def output(self, path: str | PathLike[str], sha256: str = "") -> None:
        """A result file is complete on disk (events JobOutput at once, not at the end)."""
        self._output(str(path), sha256)

    def note(self, text: str) -> None:
        """A line the user should see about this job (kept with the job, and an event)."""
        self._note(str(text))


Handler = Callable[[Job, JobContext], Sequence[str | PathLike[str]] | None]


class HandlerRegistry:
    """task name -> handler. The application registers real engines; tests register fakes."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}
        self._lock = threading.Lock()

    def register(self, task: str, fn: Handler) -> None:
        if not isinstance(task, str) or not task.strip():
            raise ValidationError(f"a job task must be a non-empty name (got {task!r})")
        with self._lock:
            self._handlers[task] = fn

    def unregister(self, task: str) -> None:
        with self._lock:
            self._handlers.pop(task, None)

    def get(self, task: str) -> Handler:
        with self._lock:
            handler = self._handlers.get(task)
        if handler is None:
            raise ValidationError(f"no handler for job task {task!r} (known: {self.describe()})")
        return handler

    def tasks(self) -> list[str]:
        with self._lock:
            return sorted(self._handlers)

    def describe(self) -> str:
        return ", ".join(self.tasks()) or "none"

    def __contains__(self, task: object) -> bool:
        with self._lock:
            return task in self._handlers
