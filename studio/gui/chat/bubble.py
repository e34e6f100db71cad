"""MessageBubble: one message of the transcript, its Markdown, its state and its timing."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QEnterEvent, QGuiApplication, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from studio.gui.chat.markdown import markdown_html
from studio.gui.chat.store import DONE, FAILED, STOPPED, STREAMING, ChatMessage
from studio.gui.chat.token_view import alternatives_tip, token_html, token_rows


def stats_line(stats: dict[str, Any]) -> str:
    """`12.3 tok/s · 96 tokens · first token 0.41 s`; an estimate says so."""
    translate = QCoreApplication.translate
    parts = []
    rate = stats.get("tokens_per_s")
    if isinstance(rate, int | float) and rate > 0:
        if stats.get("estimated"):
            parts.append(translate("ChatStats", "≈{0:.1f} tok/s (estimated)").format(rate))
        else:
            parts.append(translate("ChatStats", "{0:.1f} tok/s").format(rate))
    tokens = stats.get("tokens")
    if isinstance(tokens, int) and tokens > 0:
        parts.append(translate("ChatStats", "{0} tokens").format(tokens))
    ttft = stats.get("ttft_s")
    if isinstance(ttft, int | float):
        parts.append(translate("ChatStats", "first token {0:.2f} s").format(ttft))
    return " · ".join(parts)


def stats_tooltip(stats: dict[str, Any]) -> str:
    translate = QCoreApplication.translate
    lines = [
        translate("ChatStats", "First token: from Send to the first streamed text, timed here"),
        translate("ChatStats", "(waiting in the queue and loading the model included)."),
    ]
    if stats.get("estimated"):
        lines.append(translate("ChatStats", "tok/s: estimated from the streamed token count."))
    else:
        lines.append(
            translate("ChatStats", "tok/s: the model's decoding rate, timed by the engine.")
        )
    engine = stats.get("engine_ttft_s")
    if isinstance(engine, int | float):
        lines.append(
            translate("ChatStats", "The engine's own time to first token: {0:.3f} s").format(engine)
        )
    return "\n".join(lines)


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(
        *(x + (y - x) * amount for x, y in zip(a.getRgbF()[:3], b.getRgbF()[:3], strict=True))
    )


def bubble_colors(palette: QPalette) -> dict[str, QColor]:
    """The transcript's colours, mixed from the palette so that light and dark both work."""
    base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
    accent = palette.color(QPalette.ColorRole.Highlight)
    return {
        "user": _mix(base, accent, 0.16),
        "assistant": _mix(base, text, 0.05),
        "code": _mix(base, text, 0.09),
        "muted": _mix(base, text, 0.6),
        "error": QColor("#d9534f"),
    }


class MessageBubble(QFrame):
    """A question (tinted, on the right) or a reply (the column's width) with its actions:
    Copy shows on hover; Edit and Regenerate on the last question and reply."""

    edit_clicked = Signal()
    regenerate_clicked = Signal()

    def __init__(self, message: ChatMessage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = message
        self._hovered = False
        self._wanted = {"edit": False, "regenerate": False}
        self._colors = bubble_colors(self.palette())
        self.setObjectName("chat-bubble")
        self.who = QLabel()
        self.who.setTextFormat(Qt.TextFormat.RichText)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse  # the tokens' hover
        )
        self.body.linkHovered.connect(self._token_hovered)
        self.tokens_shown = False  # the reply token by token, coloured by probability
        self.footer = QLabel()
        self.footer.setWordWrap(True)
        self.copy = self._tool(self.tr("Copy"), self.tr("Copy this message"))
        self.copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.message.text))
        keep = self.copy.sizePolicy()
        keep.setRetainSizeWhenHidden(message.role == "assistant")  # hover must not move text
        self.copy.setSizePolicy(keep)
        self.edit = self._tool(self.tr("Edit"), self.tr("Edit this message and send it again"))
        self.edit.clicked.connect(self.edit_clicked)
        self.regenerate = self._tool(self.tr("Regenerate"), self.tr("Ask for another reply"))
        self.regenerate.clicked.connect(self.regenerate_clicked)
        bottom = QHBoxLayout()
        bottom.setSpacing(0)
        if message.role == "assistant":
            bottom.addWidget(self.footer, stretch=1)  # state and timing; none for a question
        else:
            bottom.addStretch(1)
        for button in (self.copy, self.edit, self.regenerate):
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 6)
        layout.setSpacing(4)
        layout.addWidget(self.who)
        layout.addWidget(self.body)
        layout.addLayout(bottom)
        self.who.setVisible(message.role == "assistant")
        color = self._colors["user" if message.role == "user" else "assistant"]
        self.setStyleSheet(
            f"QFrame#chat-bubble {{ background: {color.name()}; border-radius: 12px; }}"
        )
        self.refresh()

    def _tool(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setStyleSheet(
            f"QToolButton {{ padding: 0px 5px; color: {self._colors['muted'].name()}; }}"
        )
        return button

    def set_actions(self, *, edit: bool, regenerate: bool) -> None:
        self._wanted = {"edit": edit, "regenerate": regenerate}
        self._show_actions()

    def _show_actions(self) -> None:
        settled = self.message.state != STREAMING
        reply = self.message.role == "assistant"  # a question is selectable; no Copy needed
        self.copy.setVisible(reply and self._hovered and settled and bool(self.message.text))
        self.edit.setVisible(self._wanted["edit"])
        self.regenerate.setVisible(self._wanted["regenerate"])
        self.footer.setVisible(self.message.role == "assistant")

    def enterEvent(self, event: QEnterEvent) -> None:
        self._hovered = True
        self._show_actions()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hovered = False
        self._show_actions()
        super().leaveEvent(event)

    def fit(self, width: int) -> None:
        """At most `width` wide; a question as wide as its text needs, up to that."""
        self.setMaximumWidth(width)
        if self.message.role == "user":
            document = QTextDocument()
            document.setDefaultFont(self.body.font())
            document.setHtml(self.body.text())
            margins = self.layout().contentsMargins()
            room = width - margins.left() - margins.right()
            self.body.setMinimumWidth(min(int(document.idealWidth()) + 2, room))

    def refresh(self) -> None:
        """Show the message as it is now (text, state, timing)."""
        message = self.message
        model = message.stats.get("model", "")
        muted = self._colors["muted"].name()
        assistant = self.tr("Assistant")  # outside the f-string: lupdate reads only plain calls
        self.who.setText(
            f"<b>{assistant}</b>"
            + (
                f"&nbsp;&nbsp;<span style='color:{muted}'>{html.escape(model)}</span>"
                if model
                else ""
            )
        )
        waiting = message.state == STREAMING and not message.text
        if waiting:
            waiting_text = self.tr("Waiting for the model…")
            self.body.setText(f"<i style='color:{muted}'>{waiting_text}</i>")
        elif self.tokens_shown and self._rows():
            text = self.palette().color(QPalette.ColorRole.Text)
            self.body.setText(token_html(self._rows(), self._colors["assistant"], text))
        else:
            self.body.setText(markdown_html(message.text, self.body.font(), self._colors["code"]))
        self.body.setVisible(bool(message.text) or waiting)
        self.refresh_footer()

    def show_tokens(self, on: bool) -> None:
        """Token by token with probabilities (when the reply kept them), or as Markdown."""
        if on != self.tokens_shown:
            self.tokens_shown = on
            self.refresh()

    def _rows(self) -> list[Any]:
        return token_rows(self.message.stats) if self.message.role == "assistant" else []

    def _token_hovered(self, link: str) -> None:
        rows = self._rows()
        index = int(link.split(":", 1)[1]) if link.startswith("token:") else -1
        if 0 <= index < len(rows):
            QToolTip.showText(QCursor.pos(), alternatives_tip(rows[index]), self.body)
        else:
            QToolTip.hideText()

    def refresh_footer(self) -> None:
        """The state and timing line only (token counts arrive more often than text)."""
        message = self.message
        self.footer.setText(self._footer())
        timed = message.role == "assistant" and message.state in (DONE, STOPPED)
        self.footer.setToolTip(stats_tooltip(message.stats) if timed else "")
        color = self._colors["error" if message.state == FAILED else "muted"]
        self.footer.setStyleSheet(f"color: {color.name()};")
        self._show_actions()

    def _footer(self) -> str:
        message = self.message
        if message.role == "user":
            return ""
        facts = stats_line(message.stats)
        if message.state == STREAMING:
            tokens = message.stats.get("tokens")
            if tokens:
                return self.tr("generating… {0} tokens").format(tokens)
            return self.tr("generating…")
        if message.state == FAILED:
            return "⚠ " + (message.error or self.tr("the reply failed"))
        if message.state == STOPPED:
            return self.tr("(stopped)") + (f"  ·  {facts}" if facts else "")
        return facts
