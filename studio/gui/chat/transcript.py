"""Transcript: the conversation's bubbles in a centred column that follows new text."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from studio.gui.chat.bubble import MessageBubble, bubble_colors
from studio.gui.chat.store import ChatMessage

COLUMN_WIDTH = 860  # px: long lines are hard to read; wide windows get margins instead
USER_SHARE = 0.8  # a question takes at most this share of the column, on the right


class Transcript(QScrollArea):
    edit_requested = Signal()
    regenerate_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.column = QWidget()
        self.column.setMaximumWidth(COLUMN_WIDTH)
        self._rows = QVBoxLayout(self.column)
        self._rows.setContentsMargins(16, 16, 16, 16)
        self._rows.setSpacing(12)
        self.placeholder = QLabel()
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        muted = bubble_colors(self.palette())["muted"].name()
        self.placeholder.setStyleSheet(f"color: {muted}; font-size: 11pt; padding: 48px 24px;")
        self._rows.addWidget(self.placeholder)
        self._rows.addStretch(1)
        page = QWidget()
        page.setBackgroundRole(QPalette.ColorRole.Base)
        centre = QHBoxLayout(page)
        centre.setContentsMargins(0, 0, 0, 0)
        centre.addWidget(self.column)
        self.setWidget(page)
        self.bubbles: list[MessageBubble] = []
        self.tokens_shown = False
        self._stick = True  # follow the end while the user has not scrolled up
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(lambda value: setattr(self, "_stick", value >= bar.maximum() - 8))
        bar.rangeChanged.connect(lambda _low, high: bar.setValue(high) if self._stick else None)

    def show_messages(self, messages: list[ChatMessage]) -> None:
        while self.bubbles:
            self._remove_last()
        for message in messages:
            self.add(message)
        self._stick = True

    def add(self, message: ChatMessage) -> MessageBubble:
        bubble = MessageBubble(message)
        bubble.show_tokens(self.tokens_shown)
        bubble.edit_clicked.connect(self.edit_requested)
        bubble.regenerate_clicked.connect(self.regenerate_requested)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        if message.role == "user":
            line.addStretch(1)
        line.addWidget(bubble)
        self._rows.insertWidget(self._rows.count() - 1, row)  # before the closing stretch
        self.bubbles.append(bubble)
        self._fit(bubble)
        self.placeholder.hide()
        return bubble

    def remove_from(self, index: int) -> None:
        """Drop the bubbles of messages `index` and after (a reply regenerated, an edit)."""
        while len(self.bubbles) > index:
            self._remove_last()

    def refresh(self, message: ChatMessage) -> None:
        bubble = self.bubble_for(message)
        if bubble is not None:
            bubble.refresh()

    def bubble_for(self, message: ChatMessage) -> MessageBubble | None:
        return next((b for b in reversed(self.bubbles) if b.message is message), None)

    def show_tokens(self, on: bool) -> None:
        """Every reply token by token, coloured by probability (where it kept them)."""
        self.tokens_shown = on
        for bubble in self.bubbles:
            bubble.show_tokens(on)

    def set_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)
        self.placeholder.setVisible(not self.bubbles)

    def set_actions(self, enabled: bool) -> None:
        """Edit on the last question and Regenerate on the last reply, when nothing runs."""
        last_user = next((b for b in reversed(self.bubbles) if b.message.role == "user"), None)
        last = self.bubbles[-1] if self.bubbles else None
        for bubble in self.bubbles:
            bubble.set_actions(
                edit=enabled and bubble is last_user,
                regenerate=enabled and bubble is last and bubble.message.role == "assistant",
            )

    def scroll_to_end(self) -> None:
        self._stick = True
        self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())

    def _remove_last(self) -> None:
        self.bubbles.pop()
        item = self._rows.takeAt(self._rows.count() - 2)  # the row before the stretch
        row = item.widget() if item is not None else None
        if row is not None:
            row.setParent(None)  # off screen now, not at the next turn of the event loop
            row.deleteLater()
        self.placeholder.setVisible(not self.bubbles)

    def _fit(self, bubble: MessageBubble) -> None:
        width = min(self.viewport().width(), COLUMN_WIDTH) - 32
        share = USER_SHARE if bubble.message.role == "user" else 1.0
        bubble.fit(max(200, int(width * share)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for bubble in self.bubbles:
            self._fit(bubble)
