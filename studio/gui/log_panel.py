"""The Log dock: job notes, job failures and the `studio` logger's records, newest last.

Log records can come from any thread; a logging.Handler forwards each formatted line through
a signal, so the text widget is only touched on the GUI thread.
"""

from __future__ import annotations

import logging
import time
from functools import partial

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QPlainTextEdit, QWidget

from studio.gui.bridge import JobBridge

MAX_LINES = 3000
LOGGER = "studio"


class _Lines(QObject):
    line = Signal(str)


class SignalLogHandler(logging.Handler):
    """Sends each formatted record as `lines.line`; safe to call from any thread."""

    def __init__(self, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.lines = _Lines()
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s",
                                            "%H:%M:%S"))  # fmt: skip

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.line.emit(self.format(record))
        except RuntimeError:  # the panel is gone (its Qt object deleted): drop the line
            pass
        except Exception:
            self.handleError(record)


class LogPanel(QDockWidget):
    """Listens to the `studio` logger until detach() or until the panel is deleted.

    Closing only hides a dock (the user can show it again), so it keeps listening.
    """

    def __init__(self, bridge: JobBridge | None = None, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Log"), parent)
        self.setObjectName("LogPanel")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setMaximumBlockCount(MAX_LINES)  # the oldest lines go first
        self.setWidget(self.text)
        self.handler: SignalLogHandler | None = SignalLogHandler()
        self.handler.lines.line.connect(self.append, Qt.ConnectionType.QueuedConnection)
        logging.getLogger(LOGGER).addHandler(self.handler)
        # partial holds the handler, not the panel: it still runs once the panel is gone
        self.destroyed.connect(partial(logging.getLogger(LOGGER).removeHandler, self.handler))
        if bridge is not None:  # bound methods: Qt drops the connections with the panel
            bridge.job_note.connect(self._note)
            bridge.job_failed.connect(self._failed)

    def append(self, line: str) -> None:
        self.text.appendPlainText(line)

    def _note(self, job_id: int, text: str) -> None:
        self.append(self.tr("{0} job {1}: {2}").format(time.strftime("%H:%M:%S"), job_id, text))

    def _failed(self, job_id: int, error: str) -> None:
        line = self.tr("{0} ERROR job {1} failed: {2}")
        self.append(line.format(time.strftime("%H:%M:%S"), job_id, error))

    def lines(self) -> list[str]:
        return self.text.toPlainText().splitlines()

    def detach(self) -> None:
        if self.handler is not None:
            logging.getLogger(LOGGER).removeHandler(self.handler)
            self.handler = None
