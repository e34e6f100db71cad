"""Icons from `resources/icons/ui`: line-art SVGs drawn in the palette's text colour.

The SVGs say `currentColor`, which Qt's SVG renderer does not resolve, so the colour is
filled in here; each icon is rendered at 1x, 2x and 3x so it stays sharp on high-DPI screens.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from studio.core.resources import resource

SIZES = (16, 24, 32, 48, 64, 96)


def icon(name: str) -> QIcon:
    """The UI icon `name` in the current palette's colour; an empty icon if it is missing."""
    return _icon(name, _text_color().name())


def clear_cache() -> None:
    """Forget rendered icons (the palette changed: light to dark)."""
    _icon.cache_clear()


def _text_color() -> QColor:
    if QCoreApplication.instance() is None:
        return QColor("#404040")
    return QGuiApplication.palette().color(QPalette.ColorRole.WindowText)


@cache
def _icon(name: str, color: str) -> QIcon:
    path = resource(f"icons/ui/{name}.svg")
    if path is None:
        return QIcon()
    svg = path.read_text(encoding="utf-8").replace("currentColor", color)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    result = QIcon()
    for size in SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(pixmap)
    return result
