"""Start the studio's job queue, and warm up the engines' libraries, off the GUI thread.

Finding the devices imports torch (1.5 s) and the first job would import diffusers or
transformers; both happen here, after the window is painted. Jobs submitted before then
wait in the database.
"""

from __future__ import annotations

from collections.abc import Callable

from studio.gui.background import TaskLane
from studio.runtime.jobs import JobQueue


class QueueStarter:
    """Runs the start on `lane` (the window's: closing the window waits for it); a failure
    goes to on_error as one line (its traceback to the log)."""

    def __init__(self, queue: JobQueue, lane: TaskLane, on_error: Callable[[str], None]) -> None:
        self.queue, self.lane, self.on_error = queue, lane, on_error
        self.started = False
        self.done = False  # the start has ended (failed or not)
        self.warmed_up = False

    def start(self) -> None:
        """Start once; never after the lane closed (a window closed before its start timer
        fired would otherwise leave workers running after the application quit)."""
        if not self.started and not self.lane.closed:
            self.started = True
            self.lane.submit(self._run, self._ended, on_error=self._failed)

    def _run(self) -> bool:
        self.queue.start()
        from studio.runtime.warm_up import warm_up_engines

        warm_up_engines()
        return True

    def _ended(self, warmed_up: bool) -> None:
        self.done, self.warmed_up = True, warmed_up

    def _failed(self, line: str) -> None:
        self.done = True
        self.on_error(line)
