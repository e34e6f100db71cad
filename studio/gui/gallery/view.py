"""GalleryView: the searchable, filterable grid of every output in the gallery.

Double-click or Enter opens an output (`open_requested`); the context menu and keys of
GalleryActions reuse, copy, reveal, trash and export. Every outcome is one line in the
view's message and in `status_message`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError
from studio.core.gallery.query import GalleryFilter, GalleryRow
from studio.core.gallery.store import GalleryEntry, GalleryStore
from studio.core.paths import data_paths
from studio.gui.gallery.actions import GalleryActions
from studio.gui.gallery.filter_bar import GalleryFilterBar
from studio.gui.gallery.model import GalleryModel, RowRole
from studio.gui.gallery.tag_editor import TagEditor
from studio.gui.gallery.thumbnails import SIZE, Thumbnailer

DEBOUNCE_MS = 250


class GalleryView(QWidget):
    """Search and filters (GalleryFilterBar) over a virtualized icon grid of GalleryModel."""

    open_requested = Signal(object)  # GalleryRow: double-click or Enter
    current_changed = Signal(object)  # GalleryRow, or None when nothing is current
    reuse_requested = Signal(object)  # a Request: load it into the Parameters dock
    status_message = Signal(str)  # one line: what an action did, or why it could not

    def __init__(self, database: Path | None = None, thumbnailer: Thumbnailer | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.bar = GalleryFilterBar()
        # The bar's widgets, by the names the window and the tests use.
        self.search, self.task, self.model_box, self.tag = (
            self.bar.search, self.bar.task, self.bar.model_box, self.bar.tag)  # fmt: skip
        self.tag_editor = TagEditor()
        self.message = QLabel()
        self.list = QListView()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(SIZE, SIZE))
        self.list.setGridSize(QSize(SIZE + 24, SIZE + 40))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setUniformItemSizes(True)  # no per-row sizeHint: large models lay out at once
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        # Typing restarts the timer; only a pause in typing runs the query.
        self.debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.debounce.timeout.connect(self.apply_filter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.tag_editor)
        layout.addWidget(self.message)
        layout.addWidget(self.list, stretch=1)
        self.gallery: GalleryModel | None = None
        self.store: GalleryStore | None = None
        self.actions: GalleryActions | None = None
        try:
            database = database or data_paths().database
            self.gallery = GalleryModel(database, thumbnailer, parent=self)
            self.store = GalleryStore(database)  # full records and deletes; pages use the pager
        except StudioError as exc:
            if self.gallery is not None:
                self.gallery.close()
                self.gallery = None
            self.message.setText(
                self.tr("The gallery cannot be opened: {reason}").format(reason=exc)
            )
            self.setEnabled(False)
            return
        self.list.setModel(self.gallery)
        self.actions = GalleryActions(self)
        self.list.activated.connect(self.open_current)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.selectionModel().selectionChanged.connect(self.actions.update_enabled)
        self._fill_choices()
        self.bar.edited.connect(self.debounce.start)
        self.bar.changed.connect(self.apply_filter)

    def current_filter(self) -> GalleryFilter:
        return self.bar.current_filter()

    def is_filtered(self) -> bool:
        """Whether the search or a filter hides outputs (empty grid: "no match", not "none")."""
        return self.bar.narrowed()

    def apply_filter(self) -> None:
        self.debounce.stop()
        if self.gallery is None:
            return
        current = self.current_row()
        self.gallery.set_filter(self.current_filter())
        self.message.setText("" if self.gallery.rowCount() else self.tr("No outputs match."))
        # New outputs refresh the grid: the output a person was looking at stays current.
        number = self.gallery.number_of(current.path) if current is not None else None
        if number is not None:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            self.list.selectionModel().setCurrentIndex(self.gallery.index(number), flags)
        elif self.actions is not None:
            self.actions.update_enabled()

    def refresh(self) -> None:
        """Re-read choices and rows (after new outputs were written)."""
        if self.gallery is not None:
            self._fill_choices()
            self.apply_filter()

    def refresh_tags(self) -> None:
        """Re-read the tag choices after tagging; rows again only if a tag filters them."""
        if self.gallery is None:
            return
        if self.current_filter().tag:
            self.refresh()
        else:
            self._fill_choices()

    def current_row(self) -> GalleryRow | None:
        index = self.list.currentIndex()
        return index.data(RowRole) if index.isValid() else None

    def selected_rows(self) -> list[GalleryRow]:
        """The selected outputs in grid order; the current one when nothing is selected."""
        indexes = sorted(self.list.selectionModel().selectedIndexes(), key=lambda i: i.row())
        rows = [index.data(RowRole) for index in indexes]
        current = self.current_row()
        return rows or ([current] if current is not None else [])

    def entry(self, row: GalleryRow) -> GalleryEntry | None:
        """The full gallery entry (record included) of a row; None if it was removed."""
        return self.store.get(row.id) if self.store is not None else None

    def open_current(self) -> None:
        row = self.current_row()
        if row is not None:
            self.open_requested.emit(row)

    def select_next(self) -> None:
        self._step(1)

    def select_previous(self) -> None:
        self._step(-1)

    def remove_rows(self, ids: list[int]) -> None:
        """Drop outputs from the gallery database and the grid (their files are handled)."""
        if self.store is None or self.gallery is None or not ids:
            return
        for entry_id in ids:
            self.store.remove(entry_id)
        self.gallery.remove_ids(set(ids))
        if not self.gallery.rowCount():
            self.message.setText(self.tr("No outputs match.") if self.is_filtered() else "")

    def notify(self, text: str) -> None:
        self.message.setText(text)
        self.status_message.emit(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.debounce.stop()
        if self.actions is not None:
            self.actions.shutdown()
        if self.gallery is not None:
            self.gallery.close()
        if self.store is not None:
            self.store.close()
        super().closeEvent(event)

    def _step(self, step: int) -> None:
        if self.gallery is None or not self.gallery.rowCount():
            return
        current = self.list.currentIndex()
        number = current.row() + step if current.isValid() else 0
        if number >= self.gallery.rowCount() and self.gallery.canFetchMore():
            self.gallery.fetchMore()
        number = min(max(number, 0), self.gallery.rowCount() - 1)
        if number != current.row():
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            self.list.selectionModel().setCurrentIndex(self.gallery.index(number), flags)
            self.list.scrollTo(self.gallery.index(number))

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        assert self.actions is not None
        self.actions.update_enabled()
        self.current_changed.emit(current.data(RowRole) if current.isValid() else None)

    def _context_menu(self, position: QPoint) -> None:
        if self.actions is None or not self.list.indexAt(position).isValid():
            return
        self.actions.update_enabled()
        menu = self.actions.menu(self)
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.list.viewport().mapToGlobal(position))

    def _fill_choices(self) -> None:
        assert self.gallery is not None
        pager = self.gallery.pager
        self.bar.fill(pager.tasks(), pager.models(), pager.tags())
        if not self.gallery.rowCount():
            self.message.setText(self.tr("No outputs yet."))
