"""The task switcher: one checkable button per kind of work, Ctrl+1 … Ctrl+6."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QToolBar, QWidget

from studio.gui.icons import icon

TASKS = ("image", "text", "code", "translate", "music", "speech")
ICONS = {"image": "image", "text": "chat", "code": "code", "translate": "translate",
         "music": "music", "speech": "speech"}  # fmt: skip


class TaskBar(QToolBar):
    task_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Tasks"), parent)
        self.setObjectName("task-bar")
        self.setMovable(False)
        self.setIconSize(QSize(20, 20))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        labels = {
            "image": self.tr("Image"), "text": self.tr("Chat"), "code": self.tr("Code"),
            "translate": self.tr("Translate"), "music": self.tr("Music"),
            "speech": self.tr("Speech"),
        }  # fmt: skip
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions_by_task: dict[str, QAction] = {}
        for number, task in enumerate(TASKS, start=1):
            action = QAction(icon(ICONS[task]), labels[task], self)
            action.setCheckable(True)
            action.setData(task)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.setToolTip(f"{labels[task]} ({action.shortcut().toString()})")
            self.group.addAction(action)
            self.addAction(action)
            self.actions_by_task[task] = action
        self.actions_by_task["image"].setChecked(True)
        self.group.triggered.connect(lambda action: self.task_changed.emit(action.data()))

    @property
    def task(self) -> str:
        checked = self.group.checkedAction()
        return str(checked.data()) if checked else "image"

    def set_task(self, task: str) -> None:
        """Check `task`'s button and announce it (only when it changes)."""
        action = self.actions_by_task.get(task)
        if action is None or action.isChecked():
            return
        action.setChecked(True)
        self.task_changed.emit(task)
