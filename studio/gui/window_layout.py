"""The main window's dock layout: saved on close, restored on start, reset on request."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

LAYOUT_VERSION = 2  # a saved layout of another version is ignored, not misapplied


class WindowLayout:
    def __init__(self, window: QMainWindow, file: Path) -> None:
        self.window = window
        self.settings = QSettings(str(file), QSettings.Format.IniFormat)
        self.default_state = window.saveState(LAYOUT_VERSION)  # as built, before restoring

    @property
    def saved(self) -> bool:
        return self.settings.value("state") is not None

    def restore(self) -> None:
        geometry = self.settings.value("geometry")
        state = self.settings.value("state")
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        if state is not None:
            self.window.restoreState(state, LAYOUT_VERSION)

    def save(self) -> None:
        self.settings.setValue("geometry", self.window.saveGeometry())
        self.settings.setValue("state", self.window.saveState(LAYOUT_VERSION))
        self.settings.sync()

    def reset(self, docks: tuple[QDockWidget, ...]) -> None:
        self.window.restoreState(self.default_state, LAYOUT_VERSION)
        for dock in docks:
            dock.show()

    def size_docks(self, left: tuple[QDockWidget, QDockWidget], right: QDockWidget) -> None:
        """Give the middle the room; docks can only be sized once the window is shown."""
        models, parameters = left
        self.window.resizeDocks([models, right], [330, 320], Qt.Orientation.Horizontal)
        self.window.resizeDocks([models, parameters], [300, 500], Qt.Orientation.Vertical)
