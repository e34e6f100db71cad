"""Start the studio's job queue, and warm up the engines' libraries, off the GUI thread.

Finding the devices imports torch (1.5 s) and the first job would import diffusers or
transformers; both happen here, after the window is painted. Jobs submitted before then
wait in the database.
"""

from __future__ import annotations

import threading

from studio.runtime.jobs import JobQueue


class QueueStarter:
    def __init__(self, queue: JobQueue) -> None:
        self.queue = queue
        self.thread: threading.Thread | None = None
        self.warmed_up = False
        self._closed = False

    def start(self) -> None:
        """Start once; never after close() (a window closed before its start timer fired
        would otherwise leave workers running after the application quit)."""
        if self.thread is None and not self._closed:
            self.thread = threading.Thread(target=self._run, name="queue-start", daemon=True)
            self.thread.start()

    @property
    def done(self) -> bool:
        return self.thread is not None and not self.thread.is_alive()

    def close(self, timeout: float = 60.0) -> None:
        """No start from now on; wait for one in progress (the caller then stops the queue)."""
        self._closed = True
        if self.thread is not None:
            self.thread.join(timeout)

    def _run(self) -> None:
        self.queue.start()
        from studio.runtime.warm_up import warm_up_engines

        warm_up_engines()
        self.warmed_up = True
