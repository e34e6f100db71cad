"""TagEditor: an inline line edit that names a tag for the chosen outputs.

A modal dialog would stop the window for one word; this edit opens under the filter
bar, completes existing tags, tags on Enter and closes on Esc.
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from studio.core.gallery.tags import MAX_TAG_LENGTH


class TagEditor(QLineEdit):
    """Hidden until `start`; `submitted(ids, text)` on Enter, `closed` after Esc or `finish`."""

    submitted = Signal(list, str)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(MAX_TAG_LENGTH * 2)  # room for spaces the tag loses when cleaned
        self.setClearButtonEnabled(True)
        self.names = QStringListModel(self)
        completer = QCompleter(self.names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self.ids: list[int] = []
        self.returnPressed.connect(lambda: self.submitted.emit(list(self.ids), self.text()))
        self.hide()

    def start(self, ids: list[int], known: list[str]) -> None:
        """Ask for a tag for the outputs `ids`; `known` tags are offered as completions."""
        self.ids = list(ids)
        self.names.setStringList(known)
        text = self.tr("Tag for {count} output(s): Enter adds it, Esc cancels")
        self.setPlaceholderText(text.format(count=len(ids)))
        self.clear()
        self.show()
        self.setFocus()

    def finish(self) -> None:
        self.ids = []
        self.clear()
        self.hide()
        self.closed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.finish()
            return
        super().keyPressEvent(event)
