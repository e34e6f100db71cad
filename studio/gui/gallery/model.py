"""GalleryModel: a list model over the gallery database, fetched a page at a time.

Opening reads one COUNT-free page, so 100,000 rows open as fast as 100; Qt's
canFetchMore/fetchMore pulls the next page as the view scrolls near the end.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap

from studio.core.gallery.query import GalleryFilter, GalleryPager, GalleryRow
from studio.gui.gallery.thumbnails import SIZE, Thumbnailer

PAGE = 200
ICON_CACHE = 2000  # tiles kept in memory (~64 KiB each); older ones reload from disk
RowRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


class GalleryModel(QAbstractListModel):
    """Rows of one GalleryFilter; DecorationRole asks the Thumbnailer and shows a placeholder."""

    def __init__(self, database: Path, thumbnailer: Thumbnailer | None = None,
                 page: int = PAGE, parent: Any = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.pager = GalleryPager(database)
        self.thumbnailer = thumbnailer or Thumbnailer(parent=self)
        self.thumbnailer.ready.connect(self._thumbnail_ready)
        self.thumbnailer.failed.connect(self._thumbnail_failed)
        self.page_size = page
        self.filter = GalleryFilter()
        self._rows: list[GalleryRow] = []
        self._exhausted = False
        self._icons: OrderedDict[str, QIcon] = OrderedDict()  # source path -> tile icon
        self._row_of: dict[str, int] = {}
        self.placeholder = _plain_icon(QColor(70, 72, 80))
        self.missing = _plain_icon(QColor(120, 40, 40))
        self._fetch()

    def close(self) -> None:
        self.thumbnailer.shutdown()
        self.pager.close()

    def set_filter(self, view: GalleryFilter) -> None:
        """Show another search/filter/order: reset and read its first page only."""
        self.beginResetModel()
        self.thumbnailer.cancel_pending()
        self.filter = view
        self._rows, self._row_of, self._exhausted = [], {}, False
        self._fetch()
        self.endResetModel()

    def row(self, number: int) -> GalleryRow:
        return self._rows[number]

    def number_of(self, path: Path) -> int | None:
        """The row showing the output at `path`, if it is loaded."""
        return self._row_of.get(str(path))

    def remove_ids(self, ids: set[int]) -> None:
        """Take rows out (their outputs were trashed) without a reset: the view keeps its place."""
        for number in range(len(self._rows) - 1, -1, -1):
            if self._rows[number].id in ids:
                self.beginRemoveRows(QModelIndex(), number, number)
                del self._rows[number]
                self.endRemoveRows()
        self._row_of = {str(row.path): number for number, row in enumerate(self._rows)}

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        rows = self.pager.page(self.filter, len(self._rows), self.page_size)
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._append(rows)
            self.endInsertRows()
        self._exhausted = len(rows) < self.page_size

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = row.prompt or row.path.name
            return text if len(text) <= 40 else text[:37] + "..."
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self.tr("{prompt}\n{task} - seed {seed} - {model}\n{path}")
            return tip.format(
                prompt=row.prompt, task=row.task, seed=row.seed, model=row.model, path=row.path
            )
        if role == Qt.ItemDataRole.DecorationRole:
            icon = self._icons.get(str(row.path))
            if icon is None:
                self.thumbnailer.request(row.path)  # asynchronous; ready() repaints the tile
                return self.placeholder
            self._icons.move_to_end(str(row.path))
            return icon
        if role == RowRole:
            return row
        return None

    def _fetch(self) -> None:
        rows = self.pager.page(self.filter, 0, self.page_size)
        self._append(rows)
        self._exhausted = len(rows) < self.page_size

    def _append(self, rows: list[GalleryRow]) -> None:
        for row in rows:
            self._row_of[str(row.path)] = len(self._rows)
            self._rows.append(row)

    def _thumbnail_ready(self, source: str, target: str) -> None:
        image = QImage(target)
        self._update(
            source, QIcon(QPixmap.fromImage(image)) if not image.isNull() else self.missing
        )

    def _thumbnail_failed(self, source: str, reason: str) -> None:
        self._update(source, self.missing)

    def _update(self, source: str, icon: QIcon) -> None:
        self._icons[source] = icon
        if len(self._icons) > ICON_CACHE:
            self._icons.popitem(last=False)
        number = self._row_of.get(source)
        if number is not None:
            index = self.index(number)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


def _plain_icon(color: QColor) -> QIcon:
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(color)
    return QIcon(pixmap)
