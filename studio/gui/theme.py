"""Light and dark palettes that follow the system's colour scheme.

Fusion draws the same on every platform and honours the palette fully, so one dark
palette is enough; the light one is Fusion's own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from studio.gui import icons

_DARK = {
    QPalette.ColorRole.Window: "#2b2d31",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1f22",
    QPalette.ColorRole.AlternateBase: "#26282c",
    QPalette.ColorRole.ToolTipBase: "#3a3d42",
    QPalette.ColorRole.ToolTipText: "#e6e6e6",
    QPalette.ColorRole.PlaceholderText: "#8a8f98",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#35383d",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Highlight: "#3d7be0",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#6ea8ff",
    QPalette.ColorRole.Mid: "#44474d",
    QPalette.ColorRole.Dark: "#18191b",
}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in _DARK.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.WindowText):  # fmt: skip
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7b7f86"))
    return palette


def is_dark(app: QApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, scheme: str = "system") -> str:
    """Fusion with a palette for `scheme` ("system", "light" or "dark"); returns the one used.
    With "system", later changes of the system's scheme are followed."""
    app.setStyle(QStyleFactory.create("Fusion"))
    dark = scheme == "dark" or (scheme == "system" and is_dark(app))
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
    icons.clear_cache()
    if scheme == "system" and not app.property("studio-follows-scheme"):
        app.setProperty("studio-follows-scheme", True)
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_theme(app, "system"))
    return "dark" if dark else "light"
