"""The Settings dialog's pages: each shows some Settings fields and gives their values back.

A page knows which fields it holds (FIELDS), so the dialog can show a refused field's page.
The Outputs page, with its live file-name example, is in settings_outputs.py.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.settings import MAX_MEMORY_BUDGET_GB, Settings
from studio.gui.icons import icon

NOTE_STYLE = "color: palette(placeholder-text);"
ERROR_STYLE = "color: #d8453a;"
WARNING_STYLE = "color: #c98a12;"
# Native names: people find their language by the name they know, whatever the UI shows.
LANGUAGE_NAMES = {"en": "English", "pt_BR": "Português (Brasil)"}


def note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    return label


def select(combo: QComboBox, value: str) -> None:
    """Select the item holding `value`, adding it first (a saved value this list lacks)."""
    index = combo.findData(value)
    if index < 0:
        combo.addItem(value, value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)


def combo(items: Iterable[tuple[str, str]]) -> QComboBox:
    """A choice of (value, label) pairs; currentData() is the value."""
    box = QComboBox()
    for value, label in items:
        box.addItem(label, value)
    return box


def row(*widgets: QWidget, stretch: bool = True) -> QHBoxLayout:
    layout = QHBoxLayout()
    for widget in widgets:
        layout.addWidget(widget, stretch=0 if isinstance(widget, QToolButton) else 1)
    if stretch:
        layout.addStretch(1)
    return layout


def tool_button(icon_name: str, text: str) -> QToolButton:
    button = QToolButton()
    button.setIcon(icon(icon_name))
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    return button


class SettingsPage(QWidget):
    FIELDS: tuple[str, ...] = ()

    def load(self, settings: Settings) -> None:
        raise NotImplementedError

    def values(self) -> dict[str, object]:
        raise NotImplementedError

    def shows(self, error: str) -> bool:
        """Whether the page already shows `error` beside its field."""
        return False

    def page(self, *rows: QWidget | QFormLayout | QHBoxLayout) -> None:
        column = QVBoxLayout(self)
        for row in rows:
            if isinstance(row, QWidget):
                column.addWidget(row)
            else:
                column.addLayout(row)
        column.addStretch(1)


class ModelsPage(SettingsPage):
    FIELDS = ("model_folders",)

    def __init__(self) -> None:
        super().__init__()
        self.folders = QListWidget()
        self.folders.setMinimumHeight(120)
        add = tool_button("folder", self.tr("Add folder…"))
        add.clicked.connect(self._browse)
        self.remove = tool_button("close", self.tr("Remove"))
        self.remove.clicked.connect(self.remove_selected)
        self.remove.setEnabled(False)
        self.folders.itemSelectionChanged.connect(
            lambda: self.remove.setEnabled(bool(self.folders.selectedItems()))
        )
        buttons = row(add, self.remove)
        self.page(QLabel(self.tr("Folders searched for models:")), self.folders, buttons, note(self.tr(
            "A1111, ComfyUI and InvokeAI folder layouts are understood, and the Hugging Face "
            "cache is searched too. Changes apply at the next rescan of the Models dock."
        )))  # fmt: skip

    def load(self, settings: Settings) -> None:
        self.folders.clear()
        for folder in settings.model_folders:
            self._add_item(folder)

    def values(self) -> dict[str, object]:
        return {"model_folders": [self.folders.item(i).text() for i in range(self.folders.count())]}

    def add_folder(self, folder: Path) -> None:
        text = str(folder.expanduser().resolve())  # the form Settings.add_model_folder keeps
        if not self.folders.findItems(text, Qt.MatchFlag.MatchExactly):
            self._add_item(text)

    def remove_selected(self) -> None:
        for item in self.folders.selectedItems():
            self.folders.takeItem(self.folders.row(item))

    def _add_item(self, folder: str) -> None:
        item = QListWidgetItem(icon("folder"), folder)
        if not Path(folder).is_dir():
            item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            item.setToolTip(self.tr("Not found now (an unplugged drive?)"))
        self.folders.addItem(item)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a model folder"))
        if folder:
            self.add_folder(Path(folder))


class PerformancePage(SettingsPage):
    FIELDS = ("device", "precision", "memory_budget_gb")

    def __init__(self, devices: Sequence[str] | None) -> None:
        """`devices`: the job queue's ("cuda:0", "mps", ...); None before it found them.
        Asking torch here would cost the GUI thread seconds."""
        super().__init__()
        if devices is None:  # what this kind of machine may have
            devices = ["mps"] if sys.platform == "darwin" else ["cuda"]
        gpus = [(name, self.tr("GPU ({0})").format(name)) for name in devices if name != "cpu"]
        self.device = combo(
            [("auto", self.tr("Automatic (the best available)")), ("cpu", self.tr("CPU")), *gpus]
        )
        self.precision = combo([
            ("auto", self.tr("Automatic (fp16 on a GPU, fp32 on the CPU)")),
            ("fp32", self.tr("fp32 (full precision)")),
            ("fp16", self.tr("fp16 (half precision)")),
            ("bf16", self.tr("bf16 (bfloat16)")),
        ])  # fmt: skip
        self.memory = QDoubleSpinBox()
        self.memory.setRange(0.0, MAX_MEMORY_BUDGET_GB)
        self.memory.setDecimals(1)
        self.memory.setSingleStep(0.5)
        self.memory.setSuffix(self.tr(" GB"))
        self.memory.setSpecialValueText(self.tr("Automatic"))  # shown at 0
        self.memory.setMaximumWidth(180)
        form = QFormLayout()
        form.addRow(self.tr("Device:"), self.device)
        form.addRow(self.tr("Precision:"), self.precision)
        form.addRow(self.tr("Memory for models:"), self.memory)
        self.page(form, note(self.tr(
            "Device and precision apply from the next job. Memory 0 is automatic: 85% of the "
            "GPU's memory, or half the RAM. Beyond it, the least recently used models are "
            "released at the next model load."
        )))  # fmt: skip

    def load(self, settings: Settings) -> None:
        select(self.device, settings.device)
        select(self.precision, settings.precision)
        self.memory.setValue(settings.memory_budget_gb)

    def values(self) -> dict[str, object]:
        return {"device": str(self.device.currentData()),
                "precision": str(self.precision.currentData()),
                "memory_budget_gb": round(self.memory.value(), 1)}  # fmt: skip


class PrivacyPage(SettingsPage):
    FIELDS = ("offline",)

    def __init__(self) -> None:
        super().__init__()
        self.offline = QCheckBox(self.tr("Offline mode: never use the network"))
        self.page(self.offline, note(self.tr(
            "Models always load from this computer only. While offline mode is on, not even "
            "a model download you ask for may use the network."
        )))  # fmt: skip

    def load(self, settings: Settings) -> None:
        self.offline.setChecked(settings.offline)

    def values(self) -> dict[str, object]:
        return {"offline": self.offline.isChecked()}


class InterfacePage(SettingsPage):
    FIELDS = ("language",)

    def __init__(self) -> None:
        super().__init__()
        self.language = combo([("", self.tr("System language")), *LANGUAGE_NAMES.items()])
        form = QFormLayout()
        form.addRow(self.tr("Language:"), self.language)
        self.page(form, note(self.tr("A new language takes effect after a restart.")))

    def load(self, settings: Settings) -> None:
        select(self.language, settings.language)

    def values(self) -> dict[str, object]:
        return {"language": str(self.language.currentData())}
