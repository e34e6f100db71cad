"""Non-modal notifications: a strip above the gallery with one line each and the details on
demand. Nothing here blocks: a failure never needs a click to let work go on."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
LEVEL_STYLE = {
    "error": "QFrame#notice { background: #fdecea; border: 1px solid #f5c2c0; border-radius: 4px; }"
    " QLabel { color: #611a15; }",
    "info": "QFrame#notice { background: #e8f1fd; border: 1px solid #bcd4f6; border-radius: 4px; }"
    " QLabel { color: #0d3c61; }",
}


class Notice(QFrame):
    """One notification: icon, message, Details toggle, close."""

    def __init__(self, message: str, details: str = "", level: str = "error",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("notice")
        self.setStyleSheet(LEVEL_STYLE.get(level, LEVEL_STYLE["info"]))
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
