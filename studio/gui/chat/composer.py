"""Composer: the message editor with Send/Stop, an edit banner, one error line and the
sampling settings (system prompt, temperature, max tokens) folded away until wanted."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.requests.text import MAX_NEW_TOKENS
from studio.gui.chat.bubble import bubble_colors
from studio.gui.icons import icon

SEND_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class PromptEdit(QPlainTextEdit):
    """Ctrl+Return sends (and is claimed before any window-wide shortcut sees it)."""

    send = Signal()

    def _is_send(self, event: QKeyEvent) -> bool:
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        return bool(ctrl) and event.key() in SEND_KEYS

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._is_send(event):  # type: ignore[arg-type]
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._is_send(event):
            self.send.emit()
            return
        super().keyPressEvent(event)


class Composer(QWidget):
    send_requested = Signal()
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        colors = bubble_colors(self.palette())
        self.editor = PromptEdit()
        self.editor.setPlaceholderText(self.tr("Message the model… (Ctrl+Return sends)"))
        self.editor.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.editor.send.connect(self.send_requested)
        self.send = self._button("generate", self.tr("Send"), self.tr("Send (Ctrl+Return)"))
        self.send.clicked.connect(self.send_requested)
        self.stop = self._button("stop", self.tr("Stop"), self.tr("Stop the reply; keep what came"))
        self.stop.clicked.connect(self.stop_requested)
        self.settings_button = QToolButton()
        self.settings_button.setIcon(icon("settings"))
        self.settings_button.setCheckable(True)
        self.settings_button.setAutoRaise(True)
        self.settings_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.settings_button.setToolTip(self.tr("Sampling settings and system prompt"))
        self.settings = self._settings_row()
        self.settings_button.toggled.connect(self.settings.setVisible)
        self.settings.hide()
        for box in (self.temperature, self.max_tokens):
            box.valueChanged.connect(self._summarize)
        self.system.textChanged.connect(self._summarize)
        self.banner = QWidget()
        banner = QHBoxLayout(self.banner)
        banner.setContentsMargins(0, 0, 0, 0)
        banner.addWidget(
            QLabel(self.tr("Editing your last message: Send replaces it and its reply."))
        )
        banner.addStretch(1)
        self.cancel_edit = QToolButton()
        self.cancel_edit.setText(self.tr("Cancel edit"))
        self.cancel_edit.setAutoRaise(True)
        self.cancel_edit.clicked.connect(self.end_edit)
        banner.addWidget(self.cancel_edit)
        self.banner.hide()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {colors['error'].name()};")
        self.error.hide()
        buttons = QVBoxLayout()
        buttons.addWidget(self.send)
        buttons.addWidget(self.stop)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.editor, stretch=1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 8)
        layout.setSpacing(4)
        layout.addWidget(self.banner)
        layout.addWidget(self.error)
        layout.addLayout(row)
        layout.addWidget(self.settings_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.settings)
        self.editing = False
        self.set_busy(False)

    def _button(self, icon_name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon(icon_name))
        button.setIconSize(QSize(18, 18))
        button.setText(text)
        button.setToolTip(tip)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setMinimumWidth(84)
        return button

    def _settings_row(self) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.system = QPlainTextEdit()
        self.system.setPlaceholderText(
            self.tr("System prompt (optional): how the assistant should behave")
        )
        self.system.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 12)
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0, 5)
        self.temperature.setSingleStep(0.05)
        self.temperature.setToolTip(self.tr("Temperature: 0 always picks the likeliest token"))
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(1, MAX_NEW_TOKENS)
        self.max_tokens.setToolTip(self.tr("The longest reply, in tokens"))
        line.addWidget(self.system, stretch=1)
        for label, box in (
            (self.tr("Temp."), self.temperature),
            (self.tr("Max tokens"), self.max_tokens),
        ):
            column = QVBoxLayout()
            column.addWidget(QLabel(label))
            column.addWidget(box)
            line.addLayout(column)
        return row

    def _summarize(self) -> None:
        """The settings button says what the settings are, folded or not."""
        text = self.tr("Temperature {0:.2f} · up to {1} tokens").format(
            self.temperature.value(), self.max_tokens.value()
        )
        if self.system.toPlainText().strip():
            text += self.tr(" · system prompt")
        self.settings_button.setText(text)

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        self.editor.setPlainText(text)

    def set_defaults(self, temperature: float, max_tokens: int) -> None:
        self.temperature.setValue(temperature)
        self.max_tokens.setValue(max_tokens)

    def set_busy(self, busy: bool) -> None:
        """While a reply streams: Stop instead of Send."""
        self.send.setVisible(not busy)
        self.stop.setVisible(busy)
        self.stop.setEnabled(busy)

    def begin_edit(self, text: str) -> None:
        self.editing = True
        self.set_text(text)
        self.banner.show()
        self.editor.setFocus()

    def end_edit(self) -> None:
        if self.editing:
            self.editing = False
            self.banner.hide()
            self.editor.clear()

    def show_error(self, line: str) -> None:
        self.error.setText(line)
        self.error.setVisible(bool(line))
