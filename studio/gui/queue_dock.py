"""The Queue dock: the job list with progress and ETA, and the buttons that steer the queue."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QObject,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError
from studio.gui.bridge import JobBridge
from studio.gui.icons import icon
from studio.gui.queue_model import (  # noqa: F401 - the table's names, as before
    COLUMNS,
    ETA_COLUMN,
    PROGRESS_COLUMN,
    JobTableModel,
    ProgressDelegate,
    ProgressRole,
    eta_text,
    summary,
)


# English titles (lupdate reads the marks), translated in headerData.
class QueueDock(QDockWidget):
    """Job list and controls. Buttons act on the selected job; Delete cancels it."""

    def __init__(self, bridge: JobBridge, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Queue"), parent)
        self.setObjectName("QueueDock")
        self.queue = bridge.queue
        self.model = JobTableModel(self.queue, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(PROGRESS_COLUMN, ProgressDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        # Fixed widths: sizing to contents re-measures every row on every progress event,
        # which costs the GUI tens of milliseconds per event in a long queue.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        for column, width in ((0, 64), (2, 68), (PROGRESS_COLUMN, 92)):
            header.resizeSection(column, width)
        self.view.setColumnHidden(ETA_COLUMN, True)  # shown inside the progress bar
        self.view.setColumnHidden(COLUMNS.index("Device"), True)  # one device: no news
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.installEventFilter(self)
        self.message = QLabel()  # the last refused action, in one line
        self.buttons: dict[str, QToolButton] = {}
        row = QHBoxLayout()
        row.setSpacing(2)
        # Icons with tooltips: the dock stays narrow and the gallery keeps the room.
        for name, label, icon_name, slot in (
            ("cancel", self.tr("Cancel"), "stop", self.cancel_selected),
            ("retry", self.tr("Retry"), "retry", self.retry_selected),
            ("up", self.tr("Move up"), "up", lambda: self.move_selected(1)),
            ("down", self.tr("Move down"), "down", lambda: self.move_selected(-1)),
            ("pause", self.tr("Pause queue"), "pause", self.toggle_pause),
        ):
            button = self.buttons[name] = QToolButton()
            button.setText(label)
            button.setToolTip(label)
            button.setIcon(icon(icon_name))
            button.setAutoRaise(True)
            button.clicked.connect(slot)
            row.addWidget(button)
        self.buttons["pause"].setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        row.addStretch(1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.view, stretch=1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.setWidget(body)
        # Qt passes a slot only the arguments it takes: refresh(job_id) fits every event.
        for signal in (bridge.job_queued, bridge.job_held, bridge.job_cancelled,
                       bridge.job_priority_changed, bridge.job_started, bridge.job_finished,
                       bridge.job_failed):  # fmt: skip
            signal.connect(self.model.refresh)
        bridge.job_progress.connect(self.model.progress)
        bridge.queue_paused.connect(self._show_paused)
        bridge.queue_resumed.connect(self._show_paused)
        self._show_paused()

    def selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.job_id(rows[0].row()) if rows else None

    def select(self, job_id: int) -> None:
        row = self.model.row_of(job_id)
        if row is not None:
            self.view.selectRow(row)

    def cancel_selected(self) -> None:
        self._act(self.queue.cancel)

    def retry_selected(self) -> None:
        self._act(self.queue.retry)

    def move_selected(self, step: int) -> None:
        """Raise (step 1) or lower (step -1) the priority of a waiting job by one."""
        job_id = self.selected_id()
        job = None if job_id is None else self.model.job(job_id)
        if job is not None:
            self._act(lambda i: self.queue.set_priority(i, job.priority + step))

    def toggle_pause(self) -> None:
        if self.queue.paused:
            self.queue.resume()
        else:
            self.queue.pause()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Delete
        ):
            self.cancel_selected()
            return True
        return super().eventFilter(watched, event)

    def _act(self, action: Any) -> None:
        job_id = self.selected_id()
        if job_id is None:
            self.message.setText(self.tr("Select a job first."))
            return
        try:
            action(job_id)
        except StudioError as exc:  # e.g. retrying a running job: one line, nothing lost
            self.message.setText(str(exc))
        else:
            self.message.clear()

    def _show_paused(self) -> None:
        paused = self.queue.paused
        pause = self.buttons["pause"]
        pause.setText(self.tr("Resume queue") if paused else self.tr("Pause queue"))
        pause.setIcon(icon("play" if paused else "pause"))
        pause.setToolTip(pause.text())
        self.setWindowTitle(self.tr("Queue (paused)") if paused else self.tr("Queue"))
