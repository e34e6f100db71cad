"""The Queue dock's table: one row per job in run order, and the progress-bar delegate.

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
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
)

from studio.core.errors import StudioError
from studio.gui.stored_names import shown
from studio.runtime.jobs import Job, JobQueue, JobState

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
