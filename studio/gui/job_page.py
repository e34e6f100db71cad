"""JobPage: a page of the window that queues its own jobs (chat, translate) and follows
them through the bridge; the window's Parameters form adds the options it lacks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from studio.core.requests.base import Request
from studio.gui.bridge import JobBridge


class JobPage(QWidget):
    """Subclasses build their widgets in build(), called once the page's fields are set."""

    def __init__(
        self, bridge: JobBridge, submit: Callable[[str, Request], int],
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.bridge, self.submit = bridge, submit  # submit(task, request) -> job id
        self.options: Callable[[], dict[str, Any]] = dict  # extra fields (the window's form)
        self.build()

    def build(self) -> None:
        raise NotImplementedError
