"""SeedField: a seed with a randomize button and a lock (shared by the image, text and
audio forms)."""

from __future__ import annotations

import random

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from studio.core.requests.image import MAX_SEED


class SeedField(QWidget):
    """A seed with a randomize button and a lock: locked keeps the seed, unlocked means -1."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit("0")
        # 2**32 - 1 does not fit a QSpinBox (a C int), so digits in a line edit.
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,10}")))
        self.randomize_button = QPushButton(self.tr("Randomize"))
        self.randomize_button.setToolTip(self.tr("Pick a new random seed and lock it"))
        self.randomize_button.clicked.connect(self.randomize)
        self.lock = QPushButton(self.tr("Locked"))
        self.lock.setCheckable(True)
        self.lock.setToolTip(
            self.tr("Locked: reuse this seed. Unlocked: a random seed on each run")
        )
        self.lock.toggled.connect(self._show_lock)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, stretch=1)
        row.addWidget(self.randomize_button)
        row.addWidget(self.lock)
        self._show_lock(False)

    def seed(self) -> int:
        """The request's seed: the typed one when locked, -1 (random) otherwise."""
        if not self.lock.isChecked():
            return -1
        text = self.edit.text().strip()
        return int(text) if text else -1

    def set_seed(self, seed: int) -> None:
        """-1 unlocks; any other seed is shown and locked."""
        if seed >= 0:
            self.edit.setText(str(seed))
        self.lock.setChecked(seed >= 0)

    def randomize(self) -> None:
        self.set_seed(random.randint(0, MAX_SEED))

    def _show_lock(self, locked: bool) -> None:
        self.lock.setText(self.tr("Locked") if locked else self.tr("Random"))
        self.edit.setEnabled(locked)
