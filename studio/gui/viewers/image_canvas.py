"""ImageCanvas: one image in a QGraphicsView; fit, zoom, pan, and a before/after split.

The "after" image fills the scene; the "before" image (an img2img or inpaint source) sits
in a clipping rectangle over its left part, scaled to the same size, so moving the split
reveals one or the other at the same pixels.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

MIN_ZOOM, MAX_ZOOM = 0.02, 32.0
STEP = 1.25  # one wheel notch or Ctrl+plus
BACKGROUND = QColor(32, 33, 38)


class ImageCanvas(QGraphicsView):
    """Shows an image; the wheel zooms under the mouse, dragging pans, resizing refits."""

    zoom_changed = Signal(float)  # the scale now shown (1.0 is one image pixel per screen pixel)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.after = QGraphicsPixmapItem()
        self.after.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.clip = QGraphicsRectItem()
        self.clip.setPen(QPen(Qt.PenStyle.NoPen))
        self.clip.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape)
        self.before = QGraphicsPixmapItem(self.clip)
        self.before.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        pen = QPen(QColor(255, 255, 255, 220), 2)
        pen.setCosmetic(True)  # stays 2 screen pixels wide at any zoom
        self.divider = QGraphicsLineItem()
        self.divider.setPen(pen)
        for item in (self.after, self.clip, self.divider):
            self.scene().addItem(item)
        self.setBackgroundBrush(BACKGROUND)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.fitting = True  # follow the window size until the user zooms
        self._split = 0.5
        self.show_compare(False)

    def set_image(self, image: QImage) -> None:
        """Show `image` (QPixmap is made here, on the GUI thread) and fit it to the window."""
        self.after.setPixmap(QPixmap.fromImage(image))
        self.scene().setSceneRect(QRectF(self.after.pixmap().rect()))
        self._place_before()
        self.fit()

    def set_before(self, image: QImage | None) -> None:
        self.before.setPixmap(QPixmap() if image is None else QPixmap.fromImage(image))
        self._place_before()

    def has_before(self) -> bool:
        return not self.before.pixmap().isNull()

    def clear(self) -> None:
        self.after.setPixmap(QPixmap())
        self.set_before(None)
        self.scene().setSceneRect(QRectF())

    def show_compare(self, shown: bool) -> None:
        visible = shown and self.has_before()
        self.clip.setVisible(visible)
        self.divider.setVisible(visible)

    def comparing(self) -> bool:
        return self.clip.isVisible()

    def set_split(self, fraction: float) -> None:
        """Show the before image left of `fraction` (0..1) of the width, the result right of it."""
        self._split = min(max(fraction, 0.0), 1.0)
        self._place_before()

    def split(self) -> float:
        return self._split

    def zoom(self) -> float:
        return self.transform().m11()

    def fit(self) -> None:
        self.fitting = True
        if not self.after.pixmap().isNull():
            self.fitInView(self.after, Qt.AspectRatioMode.KeepAspectRatio)
        self.zoom_changed.emit(self.zoom())

    def actual_size(self) -> None:
        self.fitting = False
        self.resetTransform()
        self.zoom_changed.emit(1.0)

    def zoom_by(self, factor: float) -> None:
        target = min(max(self.zoom() * factor, MIN_ZOOM), MAX_ZOOM)
        self.fitting = False
        self.scale(target / self.zoom(), target / self.zoom())
        self.zoom_changed.emit(self.zoom())

    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120
        if notches:
            self.zoom_by(STEP**notches)
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitting:
            self.fit()

    def _place_before(self) -> None:
        bounds = self.after.boundingRect()
        pixmap = self.before.pixmap()
        if bounds.isEmpty() or pixmap.isNull():
            return
        # The source may differ in size (the pipeline resized it): stretch it over the result.
        self.before.setTransform(
            QTransform.fromScale(bounds.width() / pixmap.width(), bounds.height() / pixmap.height())
        )
        x = bounds.width() * self._split
        self.clip.setRect(QRectF(0, 0, x, bounds.height()))
        self.divider.setLine(x, 0, x, bounds.height())
