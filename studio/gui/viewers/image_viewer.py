"""ImageViewer: an image output with zoom controls and a before/after compare.

Files are decoded by QImageReader on a worker thread (a 4096 x 4096 PNG takes a
noticeable moment); only the QPixmap conversion happens on the GUI thread. An animated
GIF (a latent walk) plays with QMovie once its first frame is shown.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QImage, QImageReader, QKeySequence, QMovie
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError
from studio.gui.background import TaskLane
from studio.gui.viewers.image_canvas import STEP, ImageCanvas


class ImageViewer(QWidget):
    """load(path, before=None) shows an image; `before` enables the compare split."""

    loaded = Signal(str)  # the path now shown
    failed = Signal(str)  # one line: why nothing (or no compare) is shown
    navigate = Signal(int)  # +1 next, -1 previous (Right/Left keys)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = ImageCanvas()
        self.path: Path | None = None
        self.movie: QMovie | None = None
        self.loader = TaskLane("image-viewer", self, on_error=self._failed, latest_only=True)
        self.fit_button = self._button(self.tr("Fit"), self.tr("Fit to window (Ctrl+0)"))
        self.actual_button = self._button(self.tr("1:1"), self.tr("Actual size (Ctrl+1)"))
        self.out_button = self._button("\u2212", self.tr("Zoom out (Ctrl+-)"))
        self.in_button = self._button("+", self.tr("Zoom in (Ctrl++)"))
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(44)
        self.compare_button = self._button(self.tr("Compare"), self.tr("Before / after (C)"))
        self.compare_button.setCheckable(True)
        self.split_slider = QSlider(Qt.Orientation.Horizontal)
        self.split_slider.setRange(0, 1000)
        self.split_slider.setValue(500)
        self.split_slider.setToolTip(self.tr("Left: source image. Right: result."))
        self.before_label = QLabel(self.tr("Before"))
        self.after_label = QLabel(self.tr("After"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (self.fit_button, self.actual_button, self.out_button, self.in_button):
            bar.addWidget(widget)
        bar.addWidget(self.zoom_label)
        bar.addStretch(1)
        bar.addWidget(self.compare_button)
        # Its own row: the split needs width even in a narrow dock.
        split = QHBoxLayout()
        split.setContentsMargins(4, 0, 4, 0)
        split.addWidget(self.before_label)
        split.addWidget(self.split_slider, stretch=1)
        split.addWidget(self.after_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(split)
        layout.addWidget(self.message)
        layout.addWidget(self.canvas, stretch=1)
        self.fit_button.clicked.connect(self.canvas.fit)
        self.actual_button.clicked.connect(self.canvas.actual_size)
        self.in_button.clicked.connect(lambda: self.canvas.zoom_by(STEP))
        self.out_button.clicked.connect(lambda: self.canvas.zoom_by(1 / STEP))
        self.compare_button.toggled.connect(self.set_compare)
        self.split_slider.valueChanged.connect(lambda v: self.canvas.set_split(v / 1000))
        self.canvas.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{z * 100:.0f}%"))
        self._shortcuts()
        self._update_compare()

    def load(self, path: Path, before: Path | None = None) -> None:
        """Decode `path` (and the source image `before`) off the GUI thread, then show them."""
        self.path = Path(path)
        self._stop_movie()
        self.loader.submit(_read_pair, self._show, Path(path), before)

    def show_live(self, image: QImage) -> None:
        """Show a step preview now (no file, no loader): the canvas keeps its zoom."""
        self.loader.cancel()
        self._stop_movie()
        self.path = None
        self.canvas.set_image(image)
        self.canvas.set_before(None)
        self._show_message("")
        self._update_compare()

    def set_compare(self, shown: bool) -> None:
        self.canvas.show_compare(shown)
        self._update_compare()

    def clear(self) -> None:
        self.loader.cancel()
        self._stop_movie()
        self.path = None
        self.canvas.clear()
        self._update_compare()

    def shutdown(self) -> None:
        self._stop_movie()
        self.loader.cancel()
        self.loader.stop()

    def _show(self, result: tuple[QImage, QImage | None, str]) -> None:
        image, before, problem = result
        self.canvas.set_image(image)
        self.canvas.set_before(before)
        self._show_message(problem)
        self._update_compare()
        assert self.path is not None
        if self.path.suffix.lower() == ".gif" and QImageReader(str(self.path)).imageCount() > 1:
            self.movie = QMovie(str(self.path), parent=self)
            self.movie.frameChanged.connect(self._frame)
            self.movie.start()
        self.loaded.emit(str(self.path))

    def _frame(self) -> None:
        if self.movie is not None:
            self.canvas.after.setPixmap(self.movie.currentPixmap())

    def _failed(self, reason: str) -> None:
        self.canvas.clear()
        self._update_compare()
        name = self.path.name if self.path else ""
        text = self.tr("Cannot show {name}: {reason}").format(name=name, reason=reason)
        self._show_message(text)
        self.failed.emit(text)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _update_compare(self) -> None:
        available = self.canvas.has_before()
        self.compare_button.setEnabled(available)
        if not available:
            self.compare_button.setChecked(False)
        self.canvas.show_compare(self.compare_button.isChecked())
        for widget in (self.split_slider, self.before_label, self.after_label):
            widget.setVisible(self.canvas.comparing())

    def _stop_movie(self) -> None:
        if self.movie is not None:
            self.movie.stop()
            self.movie.deleteLater()
            self.movie = None

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    def _shortcuts(self) -> None:
        keys = (
            (QKeySequence.StandardKey.ZoomIn, lambda: self.canvas.zoom_by(STEP)),
            (QKeySequence("Ctrl+="), lambda: self.canvas.zoom_by(STEP)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.canvas.zoom_by(1 / STEP)),
            (QKeySequence("Ctrl+0"), self.canvas.fit),
            (QKeySequence("Ctrl+1"), self.canvas.actual_size),
            (QKeySequence("C"), self.compare_button.toggle),
            (QKeySequence("Right"), lambda: self.navigate.emit(1)),
            (QKeySequence("Left"), lambda: self.navigate.emit(-1)),
        )
        for key, slot in keys:
            action = QAction(self)
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)


def read_image(path: Path) -> QImage:
    """Decode one image (EXIF rotation applied); StudioError with Qt's reason if it cannot."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        if not path.is_file():
            raise StudioError(QCoreApplication.translate("ImageViewer", "the file is gone"))
        raise StudioError(reader.errorString())
    return image


def _read_pair(path: Path, before: Path | None) -> tuple[QImage, QImage | None, str]:
    image = read_image(path)
    if before is None:
        return image, None, ""
    try:
        return image, read_image(before), ""
    except StudioError as exc:  # the result still shows; only the compare is missing
        text = QCoreApplication.translate(
            "ImageViewer", "No before/after: the source image cannot be read ({reason})"
        )
        return image, None, text.format(reason=exc)
