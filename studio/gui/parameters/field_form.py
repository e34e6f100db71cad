"""FieldForm: a parameters form whose rows each edit one field of its request type, so
building the request and filling the form from one are written once, not per form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpacerItem,
    QWidget,
)

from studio.core.requests.base import Request
from studio.gui.parameters.seed_field import SeedField


@dataclass
class Row:
    field: str  # the request field this row edits
    label: str  # shown beside the widget ("" puts the widget across the row)
    widget: QWidget
    to_field: Callable[[Any], Any] = lambda value: value  # widget value -> field value
    to_widget: Callable[[Any], Any] = lambda value: value  # field value -> widget value


def read(widget: QWidget) -> Any:
    if isinstance(widget, SeedField):
        return widget.seed()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QAbstractSpinBox):
        return widget.value()  # type: ignore[attr-defined]
    raise TypeError(f"no value to read from {type(widget).__name__}")


def write(widget: QWidget, value: Any) -> None:
    if isinstance(widget, SeedField):
        widget.set_seed(value)
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QComboBox):
        widget.setCurrentText(str(value))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value))
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value))
    elif isinstance(widget, QAbstractSpinBox):
        widget.setValue(value)  # type: ignore[attr-defined]
    else:
        raise TypeError(f"cannot show a value in {type(widget).__name__}")


class FieldForm(QWidget):
    """Subclasses set TASK and REQUEST, then add their rows with add_rows()."""

    TASK: ClassVar[str]
    REQUEST: ClassVar[type[Request]]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, Row] = {}
        self.layout_ = QFormLayout(self)
        # Takes the dock's spare height, so no row is stretched (a combo would float).
        self._spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

    def add_rows(self, rows: list[Row]) -> None:
        self.layout_.removeItem(self._spacer)
        for row in rows:
            self.rows[row.field] = row
            if row.field == "model":
                self.model = row.widget  # the window and the Models dock fill it
            if row.label:
                self.layout_.addRow(row.label, row.widget)
            else:
                self.layout_.addRow(row.widget)
        self.layout_.addItem(self._spacer)

    def set_model(self, ref: str) -> None:
        write(self.rows["model"].widget, ref)

    def request(self) -> Request:
        """The request the form describes; ValidationError (one line) when it is not valid."""
        return self.REQUEST(
            **{name: row.to_field(read(row.widget)) for name, row in self.rows.items()}
        )

    def load_request(self, request: Request) -> None:
        for name, row in self.rows.items():
            write(row.widget, row.to_widget(getattr(request, name)))
