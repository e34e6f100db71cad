"""MaskCanvas: the init image with its inpainting mask, painted with a round brush.

The mask has the init image's own pixel size: white (255) repaints, black keeps. It is
shown as a tinted overlay (white would vanish on a light picture); strokes are drawn
into the mask and the overlay together, so a stroke costs only its own pixels.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

TINT = QColor(235, 64, 120)
OVERLAY_OPACITY = 0.55
MAX_UNDO = 30


class MaskCanvas(QWidget):
    """The init image with its mask; strokes in image pixels, whatever the zoom."""

    changed = Signal()

    def __init__(self, image: QImage, mask: QImage | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.image = image.convertToFormat(QImage.Format.Format_RGB32)
        self.mask = QImage(self.image.size(), QImage.Format.Format_Grayscale8)
        self.mask.fill(0)
        if mask is not None and not mask.isNull():
            self.mask = mask.convertToFormat(QImage.Format.Format_Grayscale8).scaled(
                self.image.size(), mode=Qt.TransformationMode.SmoothTransformation
            )
        self.brush = max(4, min(self.image.width(), self.image.height()) // 16)
        self.erasing = False
        self.history: list[QImage] = []
        self._last: QPointF | None = None
        self._hover: QPointF | None = None
        self._rebuild_overlay()
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMinimumSize(240, 180)

    def sizeHint(self) -> QSize:
        return self.image.size().scaled(QSize(640, 480), Qt.AspectRatioMode.KeepAspectRatio)

    # --- editing (image coordinates) -----------------------------------------------------

    def stroke(self, points: list[QPointF]) -> None:
        """One undoable stroke through `points` with the current brush."""
        self._remember()
        for start, end in zip(points, points[1:] or points, strict=False):
            self._draw(start, end)
        self.changed.emit()

    def clear(self) -> None:
        self._remember()
        self.mask.fill(0)
        self._rebuild_overlay()

    def invert(self) -> None:
        self._remember()
        self.mask.invertPixels()
        self._rebuild_overlay()

    def undo(self) -> None:
        if self.history:
            self.mask = self.history.pop()
            self._rebuild_overlay()

    def _remember(self) -> None:
        self.history = [*self.history[-(MAX_UNDO - 1) :], self.mask.copy()]

    def _draw(self, start: QPointF, end: QPointF) -> None:
        value = QColor(0, 0, 0) if self.erasing else QColor(255, 255, 255)
        for target, color, mode in (
            (self.mask, value, QPainter.CompositionMode.CompositionMode_Source),
            (self.overlay, TINT, QPainter.CompositionMode.CompositionMode_Clear if self.erasing
             else QPainter.CompositionMode.CompositionMode_Source),
        ):  # fmt: skip
            painter = QPainter(target)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setCompositionMode(mode)
            painter.setPen(QPen(color, self.brush, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))  # fmt: skip
            if start == end:  # a click: Qt draws nothing for a line of length zero
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(color)
                painter.drawEllipse(start, self.brush / 2, self.brush / 2)
            else:
                painter.drawLine(start, end)
            painter.end()
        self.update()

    def _rebuild_overlay(self) -> None:
        self.overlay = QImage(self.mask.size(), QImage.Format.Format_ARGB32_Premultiplied)
        self.overlay.fill(TINT)
        self.overlay.setAlphaChannel(self.mask)
        self.update()
        self.changed.emit()

    # --- view ---------------------------------------------------------------------------

    def target(self) -> QRectF:
        """Where the image is drawn: fitted to the widget, centred."""
        size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x, y = (self.width() - size.width()) / 2, (self.height() - size.height()) / 2
        return QRectF(x, y, size.width(), size.height())

    def to_image(self, pos: QPointF) -> QPointF:
        rect = self.target()
        scale = self.image.width() / max(rect.width(), 1)
        return QPointF((pos.x() - rect.x()) * scale, (pos.y() - rect.y()) * scale)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        rect = self.target()
        painter.drawImage(rect, self.image)
        painter.setOpacity(OVERLAY_OPACITY)
        painter.drawImage(rect, self.overlay)
        if self._hover is not None:  # the brush outline, at its real size
            painter.setOpacity(1.0)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(255, 255, 255), 1.5))
            radius = self.brush * rect.width() / self.image.width() / 2
            painter.drawEllipse(self._hover, radius, radius)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._last = self.to_image(event.position())
            self.stroke([self._last])

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._hover = event.position()
        if self._last is not None and event.buttons() & Qt.MouseButton.LeftButton:
            point = self.to_image(event.position())
            self._draw(self._last, point)  # the same stroke: one undo step
            self._last = point
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._last is not None:
            self._last = None
            self.changed.emit()

    def leaveEvent(self, event: object) -> None:
        self._hover = None
        self.update()
