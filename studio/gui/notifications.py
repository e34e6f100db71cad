"""Non-modal notifications: a strip above the gallery with one line each and the details on
demand. Nothing here blocks: a failure never needs a click to let work go on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.gui.icons import icon

MAX_SHOWN = 3  # older notices are dropped: the Log dock keeps everything
# (background, border, text) for light and dark palettes
COLORS = {
    ("error", False): ("#fdecea", "#f5c2c0", "#611a15"),
    ("info", False): ("#e8f1fd", "#bcd4f6", "#0d3c61"),
    ("error", True): ("#4a2224", "#7a3337", "#ffd9d6"),
    ("info", True): ("#1f3347", "#30506e", "#d6e8ff"),
}


def notice_style(level: str, dark: bool) -> str:
    background, border, text = COLORS.get((level, dark), COLORS[("info", dark)])
    return (f"QFrame#notice {{ background: {background}; border: 1px solid {border}; "
            f"border-radius: 4px; }} QLabel {{ color: {text}; }}")  # fmt: skip


class Notice(QFrame):
    """One notification: icon, message, Details toggle, close."""

    def __init__(self, message: str, details: str = "", level: str = "error",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("notice")
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        self.setStyleSheet(notice_style(level, dark))
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(160)
        self.details.hide()
        self.toggle = QToolButton()
        self.toggle.setText(self.tr("Details"))
        self.toggle.setCheckable(True)
        self.toggle.setVisible(bool(details))
        self.toggle.toggled.connect(self.details.setVisible)
        close = QToolButton()
        close.setIcon(icon("close"))
        close.setToolTip(self.tr("Dismiss"))
        close.setAutoRaise(True)
        close.clicked.connect(self.dismiss)
        badge = QLabel()
        badge.setPixmap(icon("warning" if level == "error" else "generate").pixmap(16, 16))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(badge, alignment=Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.message, stretch=1)
        row.addWidget(self.toggle, alignment=Qt.AlignmentFlag.AlignTop)
        row.addWidget(close, alignment=Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.details)

    def dismiss(self) -> None:
        self.hide()
        self.deleteLater()


class NotificationArea(QWidget):
    """Holds the latest few notices; hidden when there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)

    def notices(self) -> list[Notice]:
        return [n for n in self.findChildren(Notice) if not n.isHidden()]

    def notify(self, message: str, details: str = "", level: str = "error") -> Notice:
        for old in self.notices()[: max(0, len(self.notices()) - MAX_SHOWN + 1)]:
            old.dismiss()
        notice = Notice(message, details, level, self)
        self._layout.addWidget(notice)
        notice.show()  # a child added to a shown parent stays hidden until shown
        self.show()
        return notice
