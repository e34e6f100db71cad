"""The Queue dock: the job list with progress and ETA, and the buttons that steer the queue.

It changes only when the bridge says so (no polling): a state event re-reads that job's row,
a progress event updates it in memory. Rows are in run order: running, waiting (highest
priority first), then ended jobs, newest first.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError
from studio.gui.bridge import JobBridge
from studio.gui.icons import icon
from studio.gui.stored_names import shown
from studio.runtime.jobs import Job, JobQueue, JobState

# English titles (lupdate reads the marks), translated in headerData.
COLUMNS = (
    QT_TRANSLATE_NOOP("QueueDock", "Task"), QT_TRANSLATE_NOOP("QueueDock", "Prompt"),
    QT_TRANSLATE_NOOP("QueueDock", "State"), QT_TRANSLATE_NOOP("QueueDock", "Progress"),
    QT_TRANSLATE_NOOP("QueueDock", "ETA"), QT_TRANSLATE_NOOP("QueueDock", "Device"),
)  # fmt: skip
PROGRESS_COLUMN, ETA_COLUMN = 3, 4
ProgressRole = Qt.ItemDataRole.UserRole + 1  # (done, total) for the progress delegate
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class JobRow:
    job: Job
    summary: str

    def order(self) -> tuple[int, int, int]:
        job = self.job
        if job.state == JobState.RUNNING:
            return (0, 0, job.id)
        if not job.ended:
            return (1, -job.priority, job.id)
        return (2, 0, -job.id)


def summary(job: Job) -> str:
    try:
        text = job.request.search_text()
    except StudioError as exc:  # a request this version cannot read: say so, keep the row
        return QCoreApplication.translate("QueueDock", "(unreadable request: {0})").format(exc)
    return " ".join(text.split())


def eta_text(job: Job, now: float) -> str:
    """Remaining time from the elapsed time and the steps done; blank until one step is."""
    if job.state != JobState.RUNNING or job.started is None or job.done <= 0 or not job.total:
        return ""
    left = (now - job.started) * max(job.total - job.done, 0) / job.done
    minutes, seconds = divmod(round(left), 60)
    return f"{minutes}:{seconds:02d}" if minutes < 60 else f"{minutes // 60}h{minutes % 60:02d}"


class JobTableModel(QAbstractTableModel):
    def __init__(self, queue: JobQueue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.queue = queue
        self._rows = sorted((JobRow(j, summary(j)) for j in queue.jobs()), key=JobRow.order)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("QueueDock", COLUMNS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        job, column = row.job, index.column()
        if role == ProgressRole and column == PROGRESS_COLUMN:
            if job.state == JobState.FINISHED and job.total:
                return (job.total, job.total)  # a reply that stopped early is still done
            return (job.done, job.total)
        if role == Qt.ItemDataRole.ToolTipRole and column == PROGRESS_COLUMN and job.total:
            return f"{job.done}/{job.total}"
        if role == Qt.ItemDataRole.ToolTipRole and column == 2 and job.error:
            return job.error
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        state = shown(str(job.state))
        if job.priority:
            state = self.tr("{0} (priority {1})").format(state, job.priority)
        progress = f"{job.done}/{job.total}" if job.total else ""
        cells = (
            shown(job.task),
            row.summary,
            state,
            progress,
            eta_text(job, time.time()),
            job.device,
        )
        return cells[column] or ""

    def job_id(self, row: int) -> int:
        return self._rows[row].job.id

    def row_of(self, job_id: int) -> int | None:
        return next((n for n, r in enumerate(self._rows) if r.job.id == job_id), None)

    def job(self, job_id: int) -> Job | None:
        row = self.row_of(job_id)
        return None if row is None else self._rows[row].job

    def refresh(self, job_id: int) -> None:
        """Re-read one job (after a state event) and put it where it now belongs."""
        job = self.queue.get(job_id)
        row = self.row_of(job_id)
        if job is None:
            return
        if row is None:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            self._rows.append(JobRow(job, summary(job)))
            self.endInsertRows()
        else:
            self._rows[row] = replace(self._rows[row], job=job)
            self._changed(row)
        self._sort()

    def progress(self, job_id: int, done: int, total: int) -> None:
        row = self.row_of(job_id)
        if row is not None:
            job = self._rows[row].job
            self._rows[row] = replace(self._rows[row], job=replace(job, done=done, total=total))
            self._changed(row)

    def _changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _sort(self) -> None:
        """Re-order rows; the selection follows its jobs (persistent indexes are moved)."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        kept = [(self._rows[i.row()].job.id, i.column()) for i in old]
        self._rows.sort(key=JobRow.order)
        where = {r.job.id: n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(old, [self.index(where[j], c) for j, c in kept])
        self.layoutChanged.emit()


class ProgressDelegate(QStyledItemDelegate):
    """Draws (done, total) as a progress bar."""

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        done, total = index.data(ProgressRole) or (0, 0)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 2, -2, -2)  # type: ignore[attr-defined]
        bar.minimum, bar.maximum = 0, max(total, 1)
        bar.progress = min(done, max(total, 1))
        percent = f"{100 * bar.progress // bar.maximum}%"
        eta = index.siblingAtColumn(ETA_COLUMN).data() or ""  # the ETA column stays hidden
        bar.text = (f"{percent} · {eta}" if eta else percent) if total else ""
        bar.textVisible = bool(total)
        style = option.widget.style() if option.widget else QApplication.style()  # type: ignore[attr-defined]
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)


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
