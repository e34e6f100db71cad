"""Unhandled exceptions, from a slot or any thread, are logged to a file in the data folder
and shown as a notification; the application keeps running."""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from studio.core.errors import one_line

Notify = Callable[[str, str], None]  # (one line, details)
translate = QCoreApplication.translate  # literal arguments below, for lupdate


class _Relay(QObject):
    """Carries a report from any thread to the GUI thread."""

    report = Signal(str, str)


class CrashGuard:
    """install() replaces sys.excepthook and threading.excepthook; uninstall() restores them."""

    def __init__(self, log_file: Path, notify: Notify) -> None:
        self.log_file = log_file
        self._relay = _Relay()
        self._relay.report.connect(notify, Qt.ConnectionType.QueuedConnection)
        self._previous: tuple[object, object] | None = None

    def install(self) -> CrashGuard:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._on_exception
        threading.excepthook = self._on_thread_exception
        return self

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None

    def handle(self, kind: type[BaseException], value: BaseException,
               tb: TracebackType | None, thread: str = "") -> None:  # fmt: skip
        """Log and show one exception; `thread`: the name of the thread it ended, if not
        the GUI's. The log file stays in English; the notification is translated."""
        details = "".join(traceback.format_exception(kind, value, tb))
        line = one_line(value, typed=True)
        written = self._write(f" in thread {thread}" if thread else "", details)
        note = (
            translate("CrashGuard", "(saved to {0})").format(self.log_file)
            if written
            else translate("CrashGuard", "(the error log could not be written)")
        )
        message = (
            translate("CrashGuard", "Unexpected error in thread {0}: {1}").format(thread, line)
            if thread
            else translate("CrashGuard", "Unexpected error: {0}").format(line)
        )
        self._relay.report.emit(message, f"{details}\n{note}")

    def _on_exception(self, kind: type[BaseException], value: BaseException,
                      tb: TracebackType | None) -> None:  # fmt: skip
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        self.handle(kind, value, tb)

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "?"
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, name)

    def _write(self, where: str, details: str) -> bool:
        try:
            self.log_file.parent.mkdir(parents=True, exist_ok=True)
            with self.log_file.open("a", encoding="utf-8") as log:
                log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')}{where}\n{details}\n")
            return True
        except OSError:
            return False  # a full disk must not turn one error into two
