"""The task switcher: one checkable button per page of the modality registry, Ctrl+1 … Ctrl+N."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QToolBar, QWidget

from studio.core.modalities import modality, pages
from studio.gui.icons import icon
from studio.gui.task_labels import task_label


class TaskBar(QToolBar):
    task_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Tasks"), parent)
        self.setObjectName("task-bar")
        self.setMovable(False)
        self.setIconSize(QSize(20, 20))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions_by_task: dict[str, QAction] = {}
        self.tasks = pages()  # each page is named by the task that owns it
        for number, task in enumerate(self.tasks, start=1):
            label = task_label(task)
            action = QAction(icon(modality(task).icon), label, self)
            action.setCheckable(True)
            action.setData(task)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.setToolTip(f"{label} ({action.shortcut().toString()})")
            self.group.addAction(action)
            self.addAction(action)
            self.actions_by_task[task] = action
        self.actions_by_task[self.tasks[0]].setChecked(True)
        self.group.triggered.connect(lambda action: self.task_changed.emit(action.data()))

    @property
    def task(self) -> str:
        checked = self.group.checkedAction()
        return str(checked.data()) if checked else self.tasks[0]

    def set_task(self, task: str) -> None:
        """Check `task`'s button and announce it (only when it changes)."""
        action = self.actions_by_task.get(task)
        if action is None or action.isChecked():
            return
        action.setChecked(True)
        self.task_changed.emit(task)
