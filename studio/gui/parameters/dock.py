"""The Parameters dock: one form per task, and the Generate button that turns it into a request.

The dock only builds and validates requests; whoever listens to `generate_requested`
(the main window) queues them. A request the form cannot build is explained inline
in one red line, and nothing is emitted.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import ValidationError
from studio.core.modalities import MODALITIES, load_ref
from studio.core.requests.base import Request
from studio.gui.task_labels import task_label

ERROR_STYLE = "color: #c62828;"


class TaskForm(Protocol):
    TASK: str

    def set_model(self, ref: str) -> None: ...
    def request(self) -> Request: ...
    def load_request(self, request: Any) -> None: ...


class ParametersDock(QDockWidget):
    """Task switcher, the current task's form, an inline error line and Generate."""

    generate_requested = Signal(str, object)  # (task, request)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Parameters"), parent)
        self.setObjectName("ParametersDock")
        # One form per form class the registry names; tasks sharing one (text and code)
        # find it through form_tasks.
        self.forms: dict[str, Any] = {}
        self.form_tasks: dict[str, str] = {}
        made: dict[str, str] = {}
        for entry in MODALITIES:
            if entry.form not in made:
                made[entry.form] = entry.name
                self.forms[entry.name] = load_ref(entry.form)()
            self.form_tasks[entry.name] = made[entry.form]
        self._paged: set[str] = set()
        for form in self.forms.values():  # labels above fields when the dock is narrow
            layout = form.layout()
            if isinstance(layout, QFormLayout):
                layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.task_box = QComboBox()
        self.stack = QStackedWidget()
        for task, form in self.forms.items():
            self.task_box.addItem(task_label(task), task)
            self.stack.addWidget(form)
        self.task_box.currentIndexChanged.connect(self._show_task)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.stack)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.generate_button = QPushButton(self.tr("Generate"))
        self.generate_button.setToolTip(self.tr("Generate (Ctrl+Return)"))
        self.generate_button.clicked.connect(self.generate)
        # Ctrl+Return anywhere in the dock, the prompt boxes included.
        self.shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        self.shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.shortcut.activated.connect(self.generate)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.task_box)
        layout.addWidget(scroll, stretch=1)
        layout.addWidget(self.error)
        layout.addWidget(self.generate_button)
        self.setWidget(body)

    @property
    def task(self) -> str:
        return str(self.task_box.currentData())

    def current_form(self) -> TaskForm:
        return self.forms[self.task]  # type: ignore[no-any-return]

    def set_task(self, task: str) -> None:
        """Show the form of `task`; a task without a form is explained inline."""
        index = self.task_box.findData(self.form_tasks.get(task, task))
        if index < 0:
            self._show_error(self.tr("no parameters form for task {0!r} yet").format(task))
            return
        self.task_box.setCurrentIndex(index)

    def set_model(self, ref: str, task: str) -> None:
        """The Models dock selected a model: show its task's form and use the model there."""
        task = self.form_tasks.get(task, task)
        if task not in self.forms:
            self._show_error(self.tr("no parameters form for task {0!r} yet").format(task))
            return
        self.forms[task].set_model(ref)
        self.set_task(task)
        self._show_error("")

    def load_request(self, request: Request) -> None:
        """Fill the matching form from a request (reuse parameters, drag and drop)."""
        task = self.form_tasks.get(request.TYPE, request.TYPE)
        if task not in self.forms:
            self._show_error(
                self.tr("no parameters form for {0!r} requests yet").format(request.TYPE)
            )
            return
        self.forms[task].load_request(request)
        self.set_task(task)
        self._show_error("")

    def build_request(self) -> Request | None:
        """The current form's request, or None with the reason shown inline."""
        try:
            request = self.current_form().request()
        except ValidationError as exc:
            self._show_error(str(exc))
            return None
        self._show_error("")
        return request

    def generate(self) -> None:
        request = self.build_request()
        if request is not None:
            self.generate_requested.emit(self.task, request)

    def set_page_mode(self, task: str, on: bool) -> None:
        """`task` has a page of its own in the window (chat, translate): its form shows only
        the options the page lacks, and the page's own button replaces Generate."""
        form = self.forms.get(task)
        if form is not None and hasattr(form, "set_page_mode"):
            form.set_page_mode(on)
            self._paged = (self._paged | {task}) if on else (self._paged - {task})
        self._show_task()

    def _show_task(self) -> None:
        # Only the shown form counts for the stack's size: the widest hidden form must not
        # give the dock a horizontal scroll bar.
        for task, form in self.forms.items():
            policy = (
                QSizePolicy.Policy.Preferred if task == self.task else QSizePolicy.Policy.Ignored
            )
            form.setSizePolicy(policy, policy)
        self.stack.setCurrentWidget(self.forms[self.task])
        self.generate_button.setVisible(self.task not in self._paged)
        self._show_error("")

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
