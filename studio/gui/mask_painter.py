"""The mask painter dialog: paint over the init image where inpainting should repaint.

Brush/erase, brush size, clear, invert and undo around a MaskCanvas. Saved masks go to
`<data folder>/masks/` as grayscale PNGs, written atomically, never over another file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import OutputError
from studio.core.outputs.atomic import write_atomic
from studio.core.paths import data_paths
from studio.gui.mask_canvas import MaskCanvas


class MaskPainter(QDialog):
    """Paint a mask over `init_image` (starting from `mask` if given); Save writes it and
    emits mask_saved(path). show() or open() it, never exec(): the studio keeps running."""

    mask_saved = Signal(str)

    def __init__(
        self, init_image: Path, mask: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Paint mask: {0}").format(Path(init_image).name))
        self.init_image = Path(init_image)
        self.saved_path: Path | None = None
        image = QImage(str(init_image))  # one picture, asked for by a click: read here
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        if image.isNull():
            image = QImage(64, 64, QImage.Format.Format_RGB32)
            image.fill(QColor(60, 60, 60))
            self.error.setText(self.tr("cannot read {0}: not an image, or damaged").format(
                self.init_image.name))  # fmt: skip
        self.canvas = MaskCanvas(image, QImage(str(mask)) if mask else None)
        self.canvas.setEnabled(not self.error.text())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            self.canvas.isEnabled()
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self._tools())
        layout.addWidget(self.canvas, stretch=1)
        layout.addWidget(self.error)
        footer = QHBoxLayout()
        hint = QLabel(self.tr("Paint where the image should change."))
        hint.setEnabled(False)
        footer.addWidget(hint, stretch=1)
        footer.addWidget(self.buttons)
        layout.addLayout(footer)
        self.error.setVisible(bool(self.error.text()))
        QShortcut(QKeySequence.StandardKey.Undo, self, activated=self.canvas.undo)
        QShortcut(QKeySequence("["), self, activated=lambda: self._step_brush(-1))
        QShortcut(QKeySequence("]"), self, activated=lambda: self._step_brush(1))

    def _tools(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.paint_button = self._tool(self.tr("Paint"), self.tr("Paint: mark what to repaint"))
        self.erase_button = self._tool(self.tr("Erase"), self.tr("Erase: keep what is there"))
        for button, erasing in ((self.paint_button, False), (self.erase_button, True)):
            button.setCheckable(True)
            button.setAutoExclusive(True)
            button.clicked.connect(lambda _=False, e=erasing: setattr(self.canvas, "erasing", e))
        self.paint_button.setChecked(True)
        row.addWidget(self.paint_button)
        row.addWidget(self.erase_button)
        self.size_slider = QSlider(Qt.Orientation.Horizontal)
        largest = max(self.canvas.image.width(), self.canvas.image.height())
        self.size_slider.setRange(1, max(64, largest // 4))
        self.size_slider.setValue(self.canvas.brush)
        self.size_slider.setToolTip(self.tr("Brush size in image pixels ([ and ] change it)"))
        self.size_label = QLabel()
        self.size_slider.valueChanged.connect(self._set_brush)
        self._set_brush(self.size_slider.value())
        row.addWidget(QLabel(self.tr("Brush")))
        row.addWidget(self.size_slider, stretch=1)
        row.addWidget(self.size_label)
        for text, tip, slot in (
            (self.tr("Clear"), self.tr("Keep the whole image"), self.canvas.clear),
            (self.tr("Invert"), self.tr("Repaint what is kept, keep what is painted"),
             self.canvas.invert),
            (self.tr("Undo"), self.tr("Undo the last change (Ctrl+Z)"), self.canvas.undo),
        ):  # fmt: skip
            button = self._tool(text, tip)
            button.clicked.connect(slot)
            row.addWidget(button)
        return row

    def _tool(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        return button

    def _set_brush(self, size: int) -> None:
        self.canvas.brush = size
        self.size_label.setText(self.tr("{0} px").format(size))
        self.size_label.setMinimumWidth(self.size_label.fontMetrics().horizontalAdvance("0000 px"))

    def _step_brush(self, direction: int) -> None:
        value = self.size_slider.value()
        self.size_slider.setValue(value + direction * max(1, value // 5))

    def mask_path(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        return data_paths().home / "masks" / f"{self.init_image.stem}-mask-{stamp}.png"

    def accept(self) -> None:
        """Write the mask; a failure is one line in the dialog, which stays open."""
        if not self.canvas.isEnabled():
            return
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.canvas.mask.save(buffer, "PNG")
        buffer.close()
        base = self.mask_path()
        try:
            base.parent.mkdir(parents=True, exist_ok=True)
            for attempt in range(1, 100):  # two saves within one second get -2, -3...
                path = base if attempt == 1 else base.with_name(f"{base.stem}-{attempt}.png")
                try:
                    self.saved_path = write_atomic(path, bytes(data.data()))
                    break
                except FileExistsError:
                    continue
        except (OSError, OutputError) as exc:
            self.error.setText(self.tr("cannot save the mask: {0}").format(exc))
            self.error.show()
            return
        if self.saved_path is not None:
            self.mask_saved.emit(str(self.saved_path))
        super().accept()
