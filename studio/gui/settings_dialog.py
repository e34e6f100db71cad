"""SettingsDialog: the studio's settings in five tabs; OK validates and saves atomically.

Nothing is written before OK, and OK writes nothing while a field is wrong: the error is
one line under the tabs, on the tab that holds the field. An unreadable settings file
opens the dialog with defaults (said in one line) and is only replaced on OK.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from studio.core.errors import StudioError
from studio.core.paths import data_paths
from studio.core.settings import Settings, load_settings, save_settings
from studio.gui.settings_outputs import OutputsPage
from studio.gui.settings_pages import (
    ERROR_STYLE,
    InterfacePage,
    ModelsPage,
    PerformancePage,
    PrivacyPage,
    SettingsPage,
)


class SettingsDialog(QDialog):
    """Emits settings_changed(Settings) once OK has saved them."""

    settings_changed = Signal(object)

    def __init__(
        self, parent: QWidget | None = None, *, path: Path | None = None,
        devices: Sequence[str] | None = None,
    ) -> None:  # fmt: skip
        """`path`: the settings file (default: the data folder's). `devices`: the job
        queue's devices, listed in the device choice (None: a guess for this platform)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.path = path or data_paths().settings
        self.notice = self._line()  # the unreadable-file line
        try:
            self.saved = load_settings(self.path)
        except StudioError as exc:
            self.saved = Settings()
            self.notice.setText(
                self.tr("The settings file cannot be read, so defaults are shown; OK replaces it.")
            )
            self.notice.setToolTip(str(exc))
            self.notice.show()
        self.models, self.outputs = ModelsPage(), OutputsPage()
        self.performance = PerformancePage(devices)
        self.privacy, self.interface = PrivacyPage(), InterfacePage()
        self.tabs = QTabWidget()
        for page, title in (
            (self.models, self.tr("Models")),
            (self.outputs, self.tr("Outputs")),
            (self.performance, self.tr("Performance")),
            (self.privacy, self.tr("Privacy && network")),  # && shows one &
            (self.interface, self.tr("Interface")),
        ):
            self.tabs.addTab(page, title)
        self.error = self._line()  # what OK refused, in one line
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, stretch=1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.show_settings(self.saved)
        self.resize(540, 380)

    @property
    def pages(self) -> list[SettingsPage]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]  # type: ignore[misc]

    def show_settings(self, settings: Settings) -> None:
        for page in self.pages:
            page.load(settings)

    def settings(self) -> Settings:
        """What the dialog shows now (fields it has no page for keep their saved values)."""
        values: dict[str, object] = {}
        for page in self.pages:
            values.update(page.values())
        return dataclasses.replace(self.saved, **values)  # type: ignore[arg-type]

    def accept(self) -> None:
        candidate = self.settings()
        errors = candidate.errors_by_field(previous=self.saved)
        if errors:
            field, message = next(iter(errors.items()))
            page = next((p for p in self.pages if field in p.FIELDS), None)
            if page is not None:
                self.tabs.setCurrentWidget(page)
            if page is not None and page.shows(message):  # said beside the field: once is enough
                self.error.hide()
            else:
                self._refuse(message)
            return
        try:
            save_settings(candidate, self.path)
        except (StudioError, OSError) as exc:
            self._refuse(self.tr("The settings cannot be saved: {0}").format(exc))
            return
        self.saved = candidate
        self.notice.hide()
        self.error.hide()
        self.settings_changed.emit(candidate)
        super().accept()

    def _refuse(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _line(self) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setStyleSheet(ERROR_STYLE)
        label.hide()
        return label
