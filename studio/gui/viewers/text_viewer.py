"""TextViewer: replies rendered as Markdown (or raw), code and data files highlighted.

The file is read on a worker thread and at most MAX_BYTES of it is shown; highlighting
runs on the GUI thread, so files longer than HIGHLIGHT_CHARS are shown plain.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError
from studio.gui.background import TaskLane
from studio.gui.viewers.highlighter import CodeHighlighter, language_for

MAX_BYTES = 2 << 20
HIGHLIGHT_CHARS = 300_000
PROSE = ("markdown", "plain")
TITLES = {"python": "Python", "javascript": "JavaScript / TypeScript",
          "c": QT_TRANSLATE_NOOP("TextViewer", "C-family"), "shell": "Shell", "json": "JSON",
          "config": QT_TRANSLATE_NOOP("TextViewer", "Config"), "markdown": "Markdown"}  # fmt: skip


def read_text(path: Path, limit: int | None = None) -> tuple[str, bool]:
    """The first `limit` (default MAX_BYTES) bytes of `path` as text, and whether there was more."""
    limit = MAX_BYTES if limit is None else limit
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise StudioError(QCoreApplication.translate("TextViewer", "the file is gone")) from None
    return data[:limit].decode("utf-8", errors="replace"), len(data) > limit


class TextViewer(QWidget):
    """load(path) shows a text output; Markdown has a rendered/raw toggle."""

    loaded = Signal(str)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.language = "plain"
        self.rendered = QTextBrowser()
        self.rendered.setOpenExternalLinks(True)
        self.raw = QPlainTextEdit()
        self.raw.setReadOnly(True)
        self.raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.highlighter = CodeHighlighter(self.raw.document())
        self.stack = QStackedWidget()
        self.stack.addWidget(self.rendered)
        self.stack.addWidget(self.raw)
        self.raw_button = QToolButton()
        self.raw_button.setText(self.tr("Raw"))
        self.raw_button.setToolTip(self.tr("Show the Markdown source"))
        self.raw_button.setCheckable(True)
        self.raw_button.setAutoRaise(True)
        self.raw_button.toggled.connect(self._show_page)
        self.info = QLabel()
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.info, stretch=1)
        bar.addWidget(self.raw_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, stretch=1)
        self.loader = TaskLane("text-viewer", self, on_error=self._failed, latest_only=True)

    def load(self, path: Path) -> None:
        self.path = Path(path)
        self.loader.submit(read_text, self._show, Path(path))

    def showing_rendered(self) -> bool:
        return self.stack.currentWidget() is self.rendered

    def clear(self) -> None:
        self.loader.cancel()
        self.path = None
        self.raw.clear()
        self.rendered.clear()
        self.info.clear()

    def shutdown(self) -> None:
        self.loader.cancel()
        self.loader.stop()

    def _show(self, result: tuple[str, bool]) -> None:
        text, truncated = result
        assert self.path is not None
        self.language = language_for(self.path)
        markdown = self.language == "markdown"
        mode = QPlainTextEdit.LineWrapMode
        self.raw.setLineWrapMode(mode.WidgetWidth if self.language in PROSE else mode.NoWrap)
        self.highlighter.set_language("plain")  # one highlighting pass, after the text is in
        self.raw.setPlainText(text)
        if len(text) <= HIGHLIGHT_CHARS:
            self.highlighter.set_language(self.language)
        if markdown:
            self.rendered.setMarkdown(text)
        self.raw_button.setVisible(markdown)
        notes = [self.tr(TITLES[self.language])] if self.language in TITLES else []
        if truncated:
            size = f"{MAX_BYTES / (1 << 20):g}"
            notes.append(self.tr("only the first {size} MB are shown").format(size=size))
        self.info.setText(" · ".join(notes))
        self._show_page()
        self.loaded.emit(str(self.path))

    def _show_page(self) -> None:
        rendered = self.language == "markdown" and not self.raw_button.isChecked()
        self.stack.setCurrentWidget(self.rendered if rendered else self.raw)

    def _failed(self, reason: str) -> None:
        name = self.path.name if self.path else ""
        text = self.tr("Cannot show {name}: {reason}").format(name=name, reason=reason)
        self.raw.setPlainText(text)
        self.highlighter.set_language("plain")
        self.raw_button.hide()
        self.info.clear()
        self.language = "plain"
        self._show_page()
        self.failed.emit(text)
