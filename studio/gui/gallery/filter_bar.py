"""GalleryFilterBar: search, task/model/tag choices, and a Filters menu for order and date.

Two rows keep it narrow (the gallery page goes down to ~370 px): the search box with
the Filters button, then three equal combos. Order and date are used less, so they sit
in the menu; the button counts the ones that differ from the default.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.gallery.query import GalleryFilter

# Calendar days before today that a date choice reaches back (None: any time).
DATE_DAYS = (None, 0, 6, 29)


class GalleryFilterBar(QWidget):
    """The gallery's filter widgets; `changed` when a choice changes, `edited` when text does."""

    changed = Signal()
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(placeholderText=self.tr("Search prompts and models"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(80)
        self.task = QComboBox()
        self.model_box = QComboBox()
        self.tag = QComboBox()
        self.tag.setToolTip(self.tr("Show the outputs with this tag; tag outputs from their "
                                    "context menu"))  # fmt: skip
        self.menu = QMenu(self)
        self.menu.addSection(self.tr("Order"))
        self.order_actions = self._group([self.tr("Newest first"), self.tr("Oldest first")])
        self.menu.addSection(self.tr("Date"))
        self.date_actions = self._group([self.tr("Any time"), self.tr("Today"),
                                         self.tr("Last 7 days"), self.tr("Last 30 days")])  # fmt: skip
        self.filters = QToolButton()
        self.filters.setMenu(self.menu)
        self.filters.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        top = QHBoxLayout()
        top.addWidget(self.search, stretch=1)
        top.addWidget(self.filters)
        choices = QHBoxLayout()
        for box in (self.task, self.model_box, self.tag):
            # Sized to a short name, not the longest model name or tag: the bar stays narrow.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(6)
            choices.addWidget(box, stretch=1)
            box.currentIndexChanged.connect(self.changed)
        for box in (self.task, self.model_box):  # a narrow combo cuts names: the tip has them
            box.currentTextChanged.connect(box.setToolTip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(choices)
        self.search.textChanged.connect(self.edited)
        self.changed.connect(self._show_menu_state)
        self._show_menu_state()

    def current_filter(self) -> GalleryFilter:
        return GalleryFilter(
            text=self.search.text().strip(),
            task="" if self.task.currentIndex() <= 0 else self.task.currentText(),
            model="" if self.model_box.currentIndex() <= 0 else self.model_box.currentText(),
            newest_first=self.order_actions[0].isChecked(),
            tag=(self.tag.currentData() or "") if self.tag.currentIndex() > 0 else "",
            since=self.since(),
        )

    def since(self, today: date | None = None) -> str:
        """The local date the date choice starts at ("" for any time)."""
        days = DATE_DAYS[self._checked(self.date_actions)]
        if days is None:
            return ""
        return ((today or date.today()) - timedelta(days=days)).isoformat()

    def narrowed(self) -> bool:
        """Whether anything hides outputs (an empty grid then means "no match")."""
        view = self.current_filter()
        return bool(view.text or view.task or view.model or view.tag or view.since)

    def fill(self, tasks: list[str], models: list[str], tags: list[tuple[str, int]]) -> None:
        """New choices; each combo keeps its choice while it still exists."""
        for box, first, values in (
            (self.task, self.tr("All tasks"), tasks),
            (self.model_box, self.tr("All models"), models),
        ):
            current = box.currentText()
            box.blockSignals(True)  # one query after the lists are rebuilt, not one per item
            box.clear()
            box.addItems([first, *values])
            box.setCurrentIndex(max(box.findText(current), 0))
            box.blockSignals(False)
            box.setToolTip(box.currentText())
        current_tag = self.tag.currentData() if self.tag.currentIndex() > 0 else None
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem(self.tr("All tags"))
        for tag, count in tags:
            self.tag.addItem(self.tr("{tag} ({count})").format(tag=tag, count=count), tag)
        found = self.tag.findData(current_tag) if current_tag is not None else -1
        self.tag.setCurrentIndex(max(found, 0))
        self.tag.blockSignals(False)
        if current_tag is not None and found < 0:
            self.changed.emit()  # the chosen tag is gone: the grid must widen again

    def _group(self, texts: list[str]) -> list[QAction]:
        group = QActionGroup(self)  # exclusive: one order, one date range
        actions = []
        for number, text in enumerate(texts):
            action = self.menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(number == 0)
            group.addAction(action)
            action.triggered.connect(self.changed)
            actions.append(action)
        return actions

    def _checked(self, actions: list[QAction]) -> int:
        return next(n for n, action in enumerate(actions) if action.isChecked())

    def _show_menu_state(self) -> None:
        chosen = [self._checked(self.order_actions), self._checked(self.date_actions)]
        active = sum(1 for number in chosen if number)
        text = self.tr("Filters ({count})").format(count=active) if active else self.tr("Filters")
        self.filters.setText(text)
        self.filters.setToolTip(", ".join(
            group[number].text() for group, number in
            zip((self.order_actions, self.date_actions), chosen, strict=True)))  # fmt: skip
