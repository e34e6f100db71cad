"""LanguagePickers: "from" and "into" language boxes and a swap button, limited to what
one model translates (a LanguageSupport), or every language when that is not known."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QToolButton, QWidget

from studio.core.languages import LANGUAGES, LanguageSupport


def user_language() -> str:
    """The interface's language code (`pt` for pt_BR): a good first target."""
    return QLocale.system().name().split("_")[0]


class LanguagePickers(QWidget):
    """source()/target() are studio language codes; changed() after any choice."""

    changed = Signal()
    swapped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.support: LanguageSupport | None = None
        self.source_box = self._box(self.tr("Translate from"))
        self.target_box = self._box(self.tr("Translate into"))
        self.swap_button = QToolButton()
        self.swap_button.setText("⇄")
        self.swap_button.setToolTip(self.tr("Swap the languages"))
        self.swap_button.clicked.connect(self.swap)
        self.source_box.currentIndexChanged.connect(self._fill_targets)
        self.target_box.currentIndexChanged.connect(self._changed)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.source_box, stretch=1)
        row.addWidget(self.swap_button)
        row.addWidget(self.target_box, stretch=1)
        self.set_support(None)

    def _box(self, tip: str) -> QComboBox:
        box = QComboBox()
        box.setToolTip(tip)
        # Sized for a typical name, not the longest ("Chinese (Traditional)"): stays compact.
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(12)
        return box

    def source(self) -> str:
        return str(self.source_box.currentData() or "")

    def target(self) -> str:
        return str(self.target_box.currentData() or "")

    def sources(self) -> list[str]:
        return _codes(self.source_box)

    def targets(self) -> list[str]:
        return _codes(self.target_box)

    def set_support(self, support: LanguageSupport | None) -> None:
        """List what `support` translates (None: every language); keeps the choice if it can."""
        self.support = support
        _fill(self.source_box, support.sources if support else tuple(LANGUAGES),
              self.source() or "en")  # fmt: skip
        self._fill_targets()

    def set_pair(self, source: str, target: str) -> None:
        _fill(self.source_box, self.sources(), source)
        self._fill_targets(keep=target)

    def can_swap(self) -> bool:
        source, target = self.source(), self.target()
        if not (source and target):
            return False
        return self.support is None or self.support.supports(target, source)

    def swap(self) -> None:
        if self.can_swap():
            self.set_pair(self.target(), self.source())
            self.swapped.emit()

    def _targets_for(self, source: str) -> tuple[str, ...]:
        if self.support is not None:
            return self.support.targets_for(source)
        return tuple(code for code in LANGUAGES if code != source)

    def _fill_targets(self, *_: object, keep: str | None = None) -> None:
        # Keep the target; else the user's own language; else the first one.
        keep = keep or self.target() or user_language()
        _fill(self.target_box, self._targets_for(self.source()), keep)
        self._changed()

    def _changed(self) -> None:
        can = self.can_swap()
        self.swap_button.setEnabled(can)
        self.swap_button.setToolTip(
            self.tr("Swap the languages")
            if can
            else self.tr("This model does not translate {0} into {1}").format(
                _name(self.target()), _name(self.source())
            )
        )
        self.changed.emit()

    def summary(self) -> str:
        """`Portuguese → English`, `English → 3 languages`, `100 languages`: for the model line."""
        if self.support is None:
            return ""
        sources, targets = self.support.sources, self.support.targets
        many = self.tr("{0} languages")
        left = _name(sources[0]) if len(sources) == 1 else many.format(len(sources))
        right = _name(targets[0]) if len(targets) == 1 else many.format(len(targets))
        if len(sources) > 1 and set(sources) == set(targets) and self.support.pairs is None:
            return many.format(len(sources))  # any of them into any other
        return f"{left} → {right}"


def _name(code: str) -> str:
    language = LANGUAGES.get(code)
    return language.name if language else code


def _codes(box: QComboBox) -> list[str]:
    return [str(box.itemData(i)) for i in range(box.count())]


def _fill(box: QComboBox, codes: tuple[str, ...] | list[str], keep: str) -> None:
    """Languages by name (the code in the tooltip), `keep` chosen when listed."""
    box.blockSignals(True)
    box.clear()
    for code in sorted(codes, key=lambda c: LANGUAGES[c].name):
        box.addItem(LANGUAGES[code].name, code)
        box.setItemData(box.count() - 1, code, Qt.ItemDataRole.ToolTipRole)
    index = box.findData(keep)
    box.setCurrentIndex(index if index >= 0 else 0)
    box.blockSignals(False)
