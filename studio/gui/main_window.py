"""The main window: for now the recent outputs from the gallery (the full studio comes later)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from studio import __version__
from studio.core.errors import StudioError
from studio.core.gallery import GalleryEntry, GalleryStore
from studio.core.paths import data_paths

THUMB = 128
EMPTY_HINT = (
    "No outputs yet. Generate an image from the command line, for example:\n"
    'studio generate image --model PATH/TO/PIPELINE --prompt "a lighthouse at dusk"'
)


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(f"Generative Studio {__version__}")
        self.resize(1000, 700)
        self.paths = data_paths().ensure()
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.gallery = QListWidget()
        self.gallery.setViewMode(QListWidget.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(THUMB, THUMB))
        self.gallery.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.gallery.setUniformItemSizes(True)
        self.gallery.setWordWrap(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.header)
        layout.addWidget(self.gallery, stretch=1)
        self.setCentralWidget(body)
        self.statusBar().showMessage(f"Data folder: {self.paths.home}")
        self.refresh()

    def refresh(self) -> None:
        """Reload the most recent outputs from the gallery database."""
        self.gallery.clear()
        try:
            with GalleryStore(self.paths.database) as store:
                entries = store.recent(limit=200)
        except StudioError as exc:
            self.header.setText(f"The gallery cannot be opened: {exc}")
            return
        for entry in entries:
            self.gallery.addItem(_item(entry))
        count = len(entries)
        self.header.setText(f"Recent outputs ({count})" if count else EMPTY_HINT)


def _item(entry: GalleryEntry) -> QListWidgetItem:
    caption = entry.prompt if len(entry.prompt) <= 40 else entry.prompt[:37] + "..."
    item = QListWidgetItem(caption or entry.path.name)
    item.setToolTip(f"{entry.prompt}\nseed {entry.seed} - {entry.model}\n{entry.path}")
    pixmap = QPixmap(str(entry.path))
    if not pixmap.isNull():
        scaled = pixmap.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                               Qt.TransformationMode.SmoothTransformation)  # fmt: skip
        item.setIcon(QIcon(scaled))
    item.setData(Qt.ItemDataRole.UserRole, entry.id)
    return item
