"""ChatList: the saved conversations, newest first, with new, rename and delete (undoable)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.gui.chat.store import ChatSummary
from studio.gui.icons import icon

PathRole = Qt.ItemDataRole.UserRole + 1


class ChatList(QWidget):
    new_requested = Signal()
    chat_selected = Signal(object)  # Path
    rename_requested = Signal(object, str)  # Path, new title
    delete_requested = Signal(object)  # Path
    undo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.new = QToolButton()
        self.new.setIcon(icon("chat"))
        self.new.setText(self.tr("New chat"))
        self.new.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.new.setToolTip(self.tr("Start a new conversation"))
        self.new.clicked.connect(self.new_requested)
        self.more = QToolButton()
        self.more.setText("⋯")
        self.more.setAutoRaise(True)
        self.more.setToolTip(self.tr("Rename or delete the selected conversation"))
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.more)
        self.rename_action = menu.addAction(self.tr("Rename"), self.rename_current)
        self.delete_action = menu.addAction(self.tr("Delete"), self.delete_current)
        self.more.setMenu(menu)
        self.list = QListWidget()
        self.list.setFrameShape(QListWidget.Shape.NoFrame)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setStyleSheet(
            "QListWidget { background: transparent; }"
            "QListWidget::item { padding: 6px; border-radius: 6px; }"
            "QListWidget::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.list.addActions([self.rename_action, self.delete_action])
        self.list.setEditTriggers(QListWidget.EditTrigger.EditKeyPressed
                                  | QListWidget.EditTrigger.DoubleClicked)  # fmt: skip
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemChanged.connect(self._renamed)
        self.undo = QLabel()
        self.undo.setWordWrap(True)
        self.undo.linkActivated.connect(lambda _link: self.undo_requested.emit())
        self.undo.hide()
        self.message = QLabel()  # unreadable files: one line each
        self.message.setWordWrap(True)
        self.message.hide()
        top = QHBoxLayout()
        top.addWidget(self.new, stretch=1)
        top.addWidget(self.more)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addLayout(top)
        layout.addWidget(self.list, stretch=1)
        layout.addWidget(self.undo)
        layout.addWidget(self.message)
        self._filling = False

    def set_chats(self, chats: list[ChatSummary], current: Path | None) -> None:
        self._filling = True
        self.list.clear()
        for summary in chats:
            item = QListWidgetItem(summary.name or self.tr("(untitled)"))
            item.setData(PathRole, str(summary.path))
            item.setToolTip(summary.updated.replace("T", " ").replace("+00:00", " UTC"))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
            if current is not None and summary.path == current:
                self.list.setCurrentItem(item)
        self._filling = False
        self._update_actions()

    def select(self, path: Path | None) -> None:
        """Mark `path` as current without announcing it (the view already shows it)."""
        self._filling = True
        self.list.setCurrentItem(self._item(path) if path is not None else None)
        self._filling = False
        self._update_actions()

    def current_path(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(PathRole)) if item is not None else None

    def rename_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item)

    def delete_current(self) -> None:
        path = self.current_path()
        if path is not None:
            self.delete_requested.emit(path)

    def show_deleted(self, name: str) -> None:
        self.undo.setText(self.tr('Deleted “{0}”. <a href="undo">Undo</a>').format(name))
        self.undo.show()

    def hide_undo(self) -> None:
        self.undo.hide()

    def show_problems(self, lines: list[str]) -> None:
        self.message.setText("\n".join(lines))
        self.message.setVisible(bool(lines))

    def _item(self, path: Path) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            if Path(self.list.item(row).data(PathRole)) == path:
                return self.list.item(row)
        return None

    def _current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        self._update_actions()
        if current is not None and not self._filling:
            self.chat_selected.emit(Path(current.data(PathRole)))

    def _renamed(self, item: QListWidgetItem) -> None:
        if not self._filling:
            path, title = Path(item.data(PathRole)), item.text().strip()
            # Announced after the editor has let go of the item: saving refills the list.
            QTimer.singleShot(0, self, lambda: self.rename_requested.emit(path, title))

    def _update_actions(self) -> None:
        chosen = self.list.currentItem() is not None
        self.rename_action.setEnabled(chosen)
        self.delete_action.setEnabled(chosen)
