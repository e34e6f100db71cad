"""GalleryView: the searchable, filterable grid of every output in the gallery."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError
from studio.core.gallery.query import GalleryFilter
from studio.core.paths import data_paths
from studio.gui.gallery.model import GalleryModel
from studio.gui.gallery.thumbnails import SIZE, Thumbnailer

DEBOUNCE_MS = 250
ALL_TASKS, ALL_MODELS = "All tasks", "All models"
NEWEST, OLDEST = "Newest first", "Oldest first"


class GalleryView(QWidget):
    """Search box, task/model/order filters and a virtualized icon grid over GalleryModel."""

    def __init__(self, database: Path | None = None, thumbnailer: Thumbnailer | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.search = QLineEdit(placeholderText="Search prompts and models")
        self.search.setClearButtonEnabled(True)
        self.task = QComboBox()
        self.model_box = QComboBox()
        self.order = QComboBox()
        self.order.addItems([NEWEST, OLDEST])
        self.message = QLabel()
        self.list = QListView()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(SIZE, SIZE))
        self.list.setGridSize(QSize(SIZE + 24, SIZE + 40))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setUniformItemSizes(True)  # no per-row sizeHint: large models lay out at once
        self.list.setWordWrap(True)
        # Typing restarts the timer; only a pause in typing runs the query.
        self.debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.debounce.timeout.connect(self.apply_filter)
        bar = QHBoxLayout()
        bar.addWidget(self.search, stretch=1)
        for box in (self.task, self.model_box, self.order):
            bar.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.list, stretch=1)
        self.gallery: GalleryModel | None = None
        try:
            self.gallery = GalleryModel(database or data_paths().database, thumbnailer, parent=self)
        except StudioError as exc:
            self.message.setText(f"The gallery cannot be opened: {exc}")
            self.setEnabled(False)
            return
        self.list.setModel(self.gallery)
        self._fill_choices()
        self.search.textChanged.connect(self.debounce.start)
        for box in (self.task, self.model_box, self.order):
            box.currentIndexChanged.connect(self.apply_filter)

    def current_filter(self) -> GalleryFilter:
        return GalleryFilter(
            text=self.search.text().strip(),
            task="" if self.task.currentIndex() <= 0 else self.task.currentText(),
            model="" if self.model_box.currentIndex() <= 0 else self.model_box.currentText(),
            newest_first=self.order.currentText() == NEWEST,
        )

    def apply_filter(self) -> None:
        self.debounce.stop()
        if self.gallery is not None:
            self.gallery.set_filter(self.current_filter())
            self.message.setText("" if self.gallery.rowCount() else "No outputs match.")

    def refresh(self) -> None:
        """Re-read choices and rows (after new outputs were written)."""
        if self.gallery is not None:
            self._fill_choices()
            self.apply_filter()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.debounce.stop()
        if self.gallery is not None:
            self.gallery.close()
        super().closeEvent(event)

    def _fill_choices(self) -> None:
        assert self.gallery is not None
        for box, first, values in (
            (self.task, ALL_TASKS, self.gallery.pager.tasks()),
            (self.model_box, ALL_MODELS, self.gallery.pager.models()),
        ):
            current = box.currentText()
            box.blockSignals(True)  # one query after both lists are rebuilt, not one per item
            box.clear()
            box.addItems([first, *values])
            box.setCurrentIndex(max(box.findText(current), 0))
            box.blockSignals(False)
        if not self.gallery.rowCount():
            self.message.setText("No outputs yet.")
