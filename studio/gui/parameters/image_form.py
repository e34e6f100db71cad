"""The image form: prompts, size, steps, guidance, sampler, seed and batch for ImageRequest.

Every spin box is bounded by the request's own limits, so most bad values cannot be typed;
what the widgets cannot rule out (an empty model) is left to the request's validation.
"""

from __future__ import annotations

import random
from typing import Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from studio.core.requests.image import (
    MAX_BATCH_COUNT,
    MAX_BATCH_SIZE,
    MAX_SEED,
    MAX_SIZE,
    MAX_STEPS,
    MIN_SIZE,
    ImageRequest,
)
from studio.core.requests.samplers import SAMPLER_NAMES

SIZE_PRESETS: tuple[tuple[int, int], ...] = (
    (512, 512),
    (768, 768),
    (1024, 1024),
    (832, 1216),
    (1216, 832),
)
CUSTOM = "Custom"
# Fields the form has no widget for; kept from the last loaded request so reuse loses nothing.
IMAGE_CARRIED = ("mode", "strength", "init_image", "mask_image", "loras", "embeddings")


class SeedField(QWidget):
    """A seed with a randomize button and a lock: locked keeps the seed, unlocked means -1."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit("0")
        # 2**32 - 1 does not fit a QSpinBox (a C int), so digits in a line edit.
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,10}")))
        self.randomize_button = QPushButton("Randomize")
        self.randomize_button.setToolTip("Pick a new random seed and lock it")
        self.randomize_button.clicked.connect(self.randomize)
        self.lock = QPushButton("Locked")
        self.lock.setCheckable(True)
        self.lock.setToolTip("Locked: reuse this seed. Unlocked: a random seed on each run")
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
        self.lock.setText("Locked" if locked else "Random")
        self.edit.setEnabled(locked)


def spin(low: int, high: int, value: int, step: int = 1) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setValue(value)
    return box


def float_spin(low: float, high: float, value: float, step: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(2)
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setValue(value)
    return box


class ImageForm(QWidget):
    """Builds an ImageRequest from its widgets and fills them from one."""

    TASK = "image"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        defaults = ImageRequest(model="-", prompt="")
        self.model = QLineEdit()
        self.model.setPlaceholderText("Select a model in the Models dock")
        self.prompt = QPlainTextEdit()
        self.negative_prompt = QPlainTextEdit()
        self.negative_prompt.setMaximumHeight(80)
        self.size_preset = QComboBox()
        self.size_preset.addItems([f"{w}x{h}" for w, h in SIZE_PRESETS] + [CUSTOM])
        self.width_box = spin(MIN_SIZE, MAX_SIZE, defaults.width, 8)
        self.height_box = spin(MIN_SIZE, MAX_SIZE, defaults.height, 8)
        for box in (self.width_box, self.height_box):
            # Arrows step by 8 from 64; a typed size snaps to a multiple of 8 when left.
            box.editingFinished.connect(lambda box=box: box.setValue(round(box.value() / 8) * 8))
        self.size_preset.currentIndexChanged.connect(self._apply_preset)
        self.steps = spin(1, MAX_STEPS, defaults.steps)
        self.guidance = float_spin(0, 100, defaults.guidance, 0.5)
        self.sampler = QComboBox()
        self.sampler.addItems(list(SAMPLER_NAMES))
        self.seed = SeedField()
        self.batch_size = spin(1, MAX_BATCH_SIZE, defaults.batch_size)
        self.batch_count = spin(1, MAX_BATCH_COUNT, defaults.batch_count)
        self._carried: dict[str, Any] = {}
        size = QHBoxLayout()
        size.addWidget(self.size_preset)
        size.addWidget(self.width_box)
        size.addWidget(self.height_box)
        form = QFormLayout(self)
        form.addRow("Model", self.model)
        form.addRow("Prompt", self.prompt)
        form.addRow("Negative prompt", self.negative_prompt)
        form.addRow("Size (W x H)", size)
        form.addRow("Steps", self.steps)
        form.addRow("Guidance (CFG)", self.guidance)
        form.addRow("Sampler", self.sampler)
        form.addRow("Seed", self.seed)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Batch count", self.batch_count)
        self._apply_preset()

    def set_model(self, ref: str) -> None:
        self.model.setText(ref)

    def request(self) -> ImageRequest:
        """The request the form describes; ValidationError (one line) when it is not valid."""
        width, height = self._size()
        return ImageRequest(
            **{
                **self._carried,
                "model": self.model.text().strip(),
                "prompt": self.prompt.toPlainText(),
                "negative_prompt": self.negative_prompt.toPlainText(),
                "width": width,
                "height": height,
                "steps": self.steps.value(),
                "guidance": self.guidance.value(),
                "sampler": self.sampler.currentText(),
                "seed": self.seed.seed(),
                "batch_size": self.batch_size.value(),
                "batch_count": self.batch_count.value(),
            }
        )

    def load_request(self, request: ImageRequest) -> None:
        self.model.setText(request.model)
        self.prompt.setPlainText(request.prompt)
        self.negative_prompt.setPlainText(request.negative_prompt)
        size = (request.width, request.height)
        preset = SIZE_PRESETS.index(size) if size in SIZE_PRESETS else len(SIZE_PRESETS)
        self.size_preset.setCurrentIndex(preset)
        self.width_box.setValue(request.width)
        self.height_box.setValue(request.height)
        self.steps.setValue(request.steps)
        self.guidance.setValue(request.guidance)
        self.sampler.setCurrentText(request.sampler)
        self.seed.set_seed(request.seed)
        self.batch_size.setValue(request.batch_size)
        self.batch_count.setValue(request.batch_count)
        self._carried = {name: getattr(request, name) for name in IMAGE_CARRIED}

    def _size(self) -> tuple[int, int]:
        index = self.size_preset.currentIndex()
        if index < len(SIZE_PRESETS):
            return SIZE_PRESETS[index]
        return self.width_box.value(), self.height_box.value()

    def _apply_preset(self) -> None:
        """A preset fills and locks W/H; Custom unlocks them."""
        index = self.size_preset.currentIndex()
        custom = index >= len(SIZE_PRESETS)
        if not custom:
            width, height = SIZE_PRESETS[index]
            self.width_box.setValue(width)
            self.height_box.setValue(height)
        self.width_box.setEnabled(custom)
        self.height_box.setEnabled(custom)
