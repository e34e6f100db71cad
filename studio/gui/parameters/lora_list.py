"""LoraList: the image form's LoRAs, one row per (LoRA, weight).

The choices are the catalog's LoRA adapters, read when the list is shown or refreshed
(one quick SQLite query, fine on the GUI thread). A LoRA of a loaded request that the
catalog does not know stays in its row as its reference, marked with a warning, so
reusing parameters from another machine loses nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import one_line
from studio.core.paths import data_paths
from studio.core.requests.image import MAX_LORA_WEIGHT
from studio.gui.icons import icon
from studio.models.catalog import CatalogEntry, ModelCatalog

DEFAULT_WEIGHT = 1.0  # what `studio generate image --lora NAME` uses
TIP_ROLE = Qt.ItemDataRole.ToolTipRole  # each item's tooltip in the open list


@dataclass(frozen=True)
class LoraChoice:
    ref: str  # what the request carries: the name when no other model has it, else the id
    label: str  # what the combo shows: the name and the family (SD1 and SDXL do not mix)
    tip: str
    aliases: frozenset[str]  # references that mean this entry: ref, id, its paths


def lora_choices(entries: Iterable[CatalogEntry]) -> list[LoraChoice]:
    """The LoRAs among `entries` (all of the catalog: names must be unique across it)."""
    entries = list(entries)
    names = Counter(e.name for e in entries)
    choices = []
    for e in sorted((e for e in entries if e.kind == "lora"), key=lambda e: e.name.lower()):
        unique = names[e.name] == 1
        label = f"{e.name} ({e.family})" if unique else f"{e.name} ({e.family}, #{e.id})"
        aliases = frozenset(
            {str(e.id), *(str(p) for p in e.paths)} | ({e.name} if unique else set())
        )
        tip = str(e.path) if e.paths else e.name
        choices.append(LoraChoice(e.name if unique else str(e.id), label, tip, aliases))
    return choices


def read_catalog() -> list[CatalogEntry]:
    with ModelCatalog(data_paths().ensure().database) as catalog:
        return catalog.entries()


class LoraRow(QWidget):
    """A LoRA combo, its weight and a remove button."""

    removed = Signal(QWidget)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        # Long names must not widen the dock: the combo shrinks and elides.
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(6)
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.combo.currentIndexChanged.connect(self._show_tip)
        self.weight = QDoubleSpinBox()
        self.weight.setDecimals(2)
        self.weight.setRange(-MAX_LORA_WEIGHT, MAX_LORA_WEIGHT)
        self.weight.setSingleStep(0.05)
        self.weight.setValue(DEFAULT_WEIGHT)
        self.weight.setToolTip(self.tr("Weight: 0 turns the LoRA off, negative inverts it"))
        self.remove_button = QToolButton()
        self.remove_button.setIcon(icon("close"))
        self.remove_button.setText(self.tr("Remove"))  # shown when the icon is missing
        self.remove_button.setToolTip(self.tr("Remove this LoRA"))
        self.remove_button.setAutoRaise(True)
        self.remove_button.clicked.connect(lambda: self.removed.emit(self))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.combo, stretch=1)
        row.addWidget(self.weight)
        row.addWidget(self.remove_button)

    def ref(self) -> str:
        return str(self.combo.currentData() or "")

    def set_choices(self, choices: Sequence[LoraChoice], ref: str) -> None:
        """Fill the combo and select `ref`; a reference no choice knows is kept, marked."""
        self.combo.blockSignals(True)
        self.combo.clear()
        known = next((c for c in choices if ref in c.aliases), None)
        if ref and known is None:
            self.combo.addItem(icon("warning"), ref, ref)
            self.combo.setItemData(0, self.tr("{0}: not in the catalog").format(ref), TIP_ROLE)
        for choice in choices:
            self.combo.addItem(choice.label, choice.ref)
            self.combo.setItemData(self.combo.count() - 1, choice.tip, TIP_ROLE)
        self.combo.setCurrentIndex(max(self.combo.findData(known.ref if known else ref), 0))
        self.combo.blockSignals(False)
        self._show_tip()

    def _show_tip(self) -> None:
        self.combo.setToolTip(str(self.combo.currentData(TIP_ROLE) or ""))


class LoraList(QWidget):
    """(LoRA, weight) rows over the catalog's LoRAs, with an Add button."""

    def __init__(
        self,
        read_entries: Callable[[], list[CatalogEntry]] = read_catalog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.read_entries = read_entries
        self.choices: list[LoraChoice] = []
        self.rows: list[LoraRow] = []
        self._problem = ""
        # The list spans the form's width (names need the room), so it carries its title.
        self.title = QLabel(self.tr("LoRAs"))
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)  # the palette's dimmed text
        self.add_button = QToolButton()
        self.add_button.setText(self.tr("Add LoRA"))
        self.add_button.setToolTip(self.tr("Add a LoRA from your model folders, with its weight"))
        self.add_button.clicked.connect(lambda: self.add_row())
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.setSpacing(8)
        header.addWidget(self.title)
        header.addWidget(self.empty, stretch=1)
        header.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignRight)
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addLayout(self.rows_layout)
        self._show_state()

    def refresh(self) -> None:
        """Re-read the catalog's LoRAs (after a scan, or when the form is shown)."""
        try:
            entries = self.read_entries()
        except Exception as exc:  # a locked or broken database: the form keeps working
            self._problem = self.tr("cannot read the model catalog: {0}").format(one_line(exc))
            entries = []
        else:
            self._problem = ""
        self.refresh_choices(entries)

    def refresh_choices(self, entries: Iterable[CatalogEntry]) -> None:
        self.choices = lora_choices(entries)
        for row in self.rows:
            row.set_choices(self.choices, row.ref())
        self._show_state()

    def loras(self) -> tuple[tuple[str, float], ...]:
        return tuple((row.ref(), row.weight.value()) for row in self.rows)

    def set_loras(self, loras: Iterable[tuple[str, float]]) -> None:
        """Rows for a loaded request's LoRAs, unknown ones included."""
        self.refresh()
        for row in list(self.rows):
            self.remove_row(row)
        for ref, weight in loras:
            self.add_row(ref, weight)

    def add_row(self, ref: str | None = None, weight: float = DEFAULT_WEIGHT) -> LoraRow | None:
        """A new row; without `ref`, the first LoRA not in a row yet. None if none to pick."""
        if ref is None:
            if not self.choices:
                return None
            used = {row.ref() for row in self.rows}
            ref = next((c.ref for c in self.choices if c.ref not in used), self.choices[0].ref)
        row = LoraRow(self)
        row.set_choices(self.choices, ref)
        row.weight.setValue(weight)
        row.removed.connect(self.remove_row)
        self.rows.append(row)
        self.rows_layout.addWidget(row)
        self._show_state()
        return row

    def remove_row(self, row: QWidget) -> None:
        if row in self.rows:
            self.rows.remove(row)  # type: ignore[arg-type]
            self.rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
            self._show_state()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():  # shown by the app (not un-minimized): catalog may differ
            self.refresh()

    def _show_state(self) -> None:
        self.add_button.setEnabled(bool(self.choices))
        text = self._problem or ("" if self.choices else self.tr("No LoRAs in your model folders"))
        self.empty.setText(text)
        self.empty.setToolTip(text)
        self.empty.setVisible(bool(text))
