"""ImageSlot: one image input of a form (init image, mask) as a small thumbnail.

Takes a dropped file, a browsed one or a path from a loaded request. The thumbnail is
decoded off the GUI thread (at thumbnail size where the format allows); the pixel size
is read from the file header only, which is quick.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QImageReader, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.gui.background import TaskLane
from studio.gui.drop import local_files
from studio.gui.icons import icon

THUMB = 48
IMAGE_FILTER = "*.png *.jpg *.jpeg *.webp *.bmp"


def read_thumbnail(path: str, edge: int) -> tuple[str, QImage, str]:
    """(path, the image scaled to fit edge x edge, why it is null); QImage is safe off the
    GUI thread, unlike QPixmap."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid():  # JPEG decodes straight at the smaller size
        reader.setScaledSize(size.scaled(edge, edge, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return path, image, "" if not image.isNull() else reader.errorString()


class ImageSlot(QWidget):
    """A path to an image, shown as a thumbnail with its name and size; '' when empty."""

    changed = Signal(str)

    def __init__(self, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title, self.empty_text = title, empty_text
        self._path = ""
        self.worker = TaskLane("thumbnail", self, on_error=lambda line: None)
        self.setAcceptDrops(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.thumb = QLabel()
        self.thumb.setFixedSize(THUMB, THUMB)
        self.thumb.setFrameShape(QFrame.Shape.StyledPanel)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = QLabel()
        self.detail = QLabel()
        self.detail.setEnabled(False)  # the palette's dimmed text
        for label in (self.name, self.detail):  # elided to fit: never widen the form
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.browse_button = self.tool_button(
            "folder", self.tr("Choose…"), self.tr("Choose a file")
        )
        self.browse_button.clicked.connect(self.browse)
        self.clear_button = self.tool_button("close", self.tr("Clear"), self.tr("Remove"))
        self.clear_button.clicked.connect(lambda: self.set_path(""))
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addStretch(1)
        text.addWidget(self.name)
        text.addWidget(self.detail)
        text.addStretch(1)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(self.thumb)
        self.row.addLayout(text, stretch=1)
        self.row.addWidget(self.browse_button)
        self.row.addWidget(self.clear_button)
        self._show()

    @staticmethod
    def tool_button(icon_name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon(icon_name))
        button.setText(text)  # shown when the icon is missing
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    def path(self) -> str:
        return self._path

    def set_path(self, path: str | Path | None) -> None:
        text = str(path) if path else ""
        if text != self._path:
            self._path = text
            self._show()
            self.changed.emit(text)

    def browse(self) -> None:
        start = str(Path(self._path).parent) if self._path else ""
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.title, start, self.tr("Images ({0})").format(IMAGE_FILTER)
        )
        if chosen:
            self.set_path(chosen)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.set_path(files[0])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _show(self) -> None:
        self.clear_button.setVisible(bool(self._path))
        self.thumb.setPixmap(QPixmap())
        self.thumb.setText("")
        if not self._path:
            self.name.setEnabled(False)
            self.setToolTip("")
            self._elide()
            return
        path = Path(self._path)
        self.name.setEnabled(True)
        self.setToolTip(str(path))
        size = QImageReader(str(path)).size() if path.is_file() else QSize()
        if not path.is_file():
            self.detail.setText(self.tr("missing file"))
        elif not size.isValid():
            self.detail.setText(self.tr("not an image"))
        else:
            self.detail.setText(f"{size.width()} × {size.height()}")
            edge = round(THUMB * self.devicePixelRatioF())
            self.worker.submit(read_thumbnail, self._thumbnail_ready, str(path), edge)
        self._elide()

    def _elide(self) -> None:
        """Fit the file name, or the empty slot's hints, to the labels' width (a long
        name or a longer translation must not be cut off mid-letter)."""
        width = max(40, self.name.width())
        if self._path:
            name = Path(self._path).name
            self.name.setText(
                self.name.fontMetrics().elidedText(name, Qt.TextElideMode.ElideMiddle, width)
            )
            return
        for label, text in ((self.name, self.empty_text), (self.detail, self.tr("drop an image"))):
            label.setText(label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width))

    def _thumbnail_ready(self, read: tuple[str, QImage, str]) -> None:
        source, image, reason = read
        if source != self._path:
            return  # an older choice
        if image.isNull():
            self.detail.setText(self.tr("not an image"))
            self.detail.setToolTip(reason)
            return
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.thumb.setPixmap(pixmap)

    def shutdown(self) -> None:
        self.worker.close()


class ImageOffer(QFrame):
    """An inline offer, for a dropped image without parameters: use it as init image or
    mask. chosen(path, "init" | "mask"); hidden again once answered."""

    chosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._path = ""
        self.label = QLabel()
        self.label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Use as:")))
        for role, text in (("init", self.tr("Init image")), ("mask", self.tr("Mask"))):
            button = QToolButton()
            button.setText(text)
            button.clicked.connect(lambda _=False, r=role: self._choose(r))
            row.addWidget(button)
        row.addStretch(1)
        dismiss = ImageSlot.tool_button("close", self.tr("Dismiss"), self.tr("Dismiss"))
        dismiss.clicked.connect(self.hide)
        row.addWidget(dismiss)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addLayout(row)
        self.hide()

    def offer(self, path: Path) -> None:
        self._path = str(path)
        self.label.setText(self.tr("{0} has no generation parameters.").format(path.name))
        self.show()

    def _choose(self, role: str) -> None:
        self.hide()
        self.chosen.emit(self._path, role)
