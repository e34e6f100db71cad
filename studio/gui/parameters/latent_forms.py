"""The latent forms: UnconditionalForm (DDPM/DDIM/LDM images, no prompt) and WalkForm
(frames between seeds, and prompts when the model takes them, plus an animated preview)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from studio.core.errors import ValidationError
from studio.core.requests import LatentWalkRequest, UnconditionalRequest
from studio.core.requests.image import (
    MAX_BATCH_COUNT,
    MAX_BATCH_SIZE,
    MAX_SIZE,
    MAX_STEPS,
    MIN_SIZE,
)
from studio.core.requests.latent import MAX_FRAMES_BETWEEN
from studio.core.requests.samplers import SAMPLER_NAMES
from studio.gui.parameters.image_form import SeedField, float_spin, spin


def _model_edit(hint: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(hint)
    return edit


def _sampler_box(value: str) -> QComboBox:
    box = QComboBox()
    box.addItems(list(SAMPLER_NAMES))
    box.setCurrentText(value)
    return box


class UnconditionalForm(QWidget):
    """Builds an UnconditionalRequest from its widgets and fills them from one."""

    TASK = "unconditional"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        defaults = UnconditionalRequest(model="-")
        self.model = _model_edit(self.tr("Select a model in the Models dock"))
        self.steps = spin(1, MAX_STEPS, defaults.steps)
        self.sampler = _sampler_box(defaults.sampler)
        self.eta = float_spin(0, 1, defaults.eta, 0.1)
        self.eta.setToolTip(self.tr("DDIM's noise: 0 is deterministic"))
        self.seed = SeedField()
        self.batch_size = spin(1, MAX_BATCH_SIZE, defaults.batch_size)
        self.batch_count = spin(1, MAX_BATCH_COUNT, defaults.batch_count)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("Steps"), self.steps)
        form.addRow(self.tr("Sampler"), self.sampler)
        form.addRow(self.tr("Eta"), self.eta)
        form.addRow(self.tr("Seed"), self.seed)
        form.addRow(self.tr("Batch size"), self.batch_size)
        form.addRow(self.tr("Batch count"), self.batch_count)

    def set_model(self, ref: str) -> None:
        self.model.setText(ref)

    def request(self) -> UnconditionalRequest:
        return UnconditionalRequest(
            model=self.model.text().strip(), steps=self.steps.value(),
            sampler=self.sampler.currentText(), eta=self.eta.value(), seed=self.seed.seed(),
            batch_size=self.batch_size.value(), batch_count=self.batch_count.value(),
        )  # fmt: skip

    def load_request(self, request: UnconditionalRequest) -> None:
        self.model.setText(request.model)
        self.steps.setValue(request.steps)
        self.sampler.setCurrentText(request.sampler)
        self.eta.setValue(request.eta)
        self.seed.set_seed(request.seed)
        self.batch_size.setValue(request.batch_size)
        self.batch_count.setValue(request.batch_count)


class WalkForm(QWidget):
    """Builds a LatentWalkRequest: seeds as "1, 2, 3", prompts one per line (or none for
    an unconditional model)."""

    TASK = "walk"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        defaults = LatentWalkRequest(model="-", seeds=(1, 2))
        self.model = _model_edit(self.tr("Select a model in the Models dock"))
        self.seeds = QLineEdit("1, 2")
        self.seeds.setToolTip(self.tr("One seed per keyframe, separated by commas"))
        self.prompts = QPlainTextEdit()
        self.prompts.setMaximumHeight(80)
        self.prompts.setToolTip(self.tr("One prompt per line: one for all keyframes, or one each"))
        self.negative_prompt = QPlainTextEdit()
        self.negative_prompt.setMaximumHeight(60)
        self.frames = spin(0, MAX_FRAMES_BETWEEN, defaults.frames_between)
        self.loop = QCheckBox(self.tr("Walk back to the first keyframe"))
        self.width_box = spin(MIN_SIZE, MAX_SIZE, defaults.width, 8)
        self.height_box = spin(MIN_SIZE, MAX_SIZE, defaults.height, 8)
        self.steps = spin(1, MAX_STEPS, defaults.steps)
        self.guidance = float_spin(0, 100, defaults.guidance, 0.5)
        self.sampler = _sampler_box(defaults.sampler)
        self.fps = spin(1, 60, defaults.fps)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("Seeds"), self.seeds)
        form.addRow(self.tr("Prompts"), self.prompts)
        form.addRow(self.tr("Negative prompt"), self.negative_prompt)
        form.addRow(self.tr("Frames between"), self.frames)
        form.addRow(self.loop)
        form.addRow(self.tr("Width"), self.width_box)
        form.addRow(self.tr("Height"), self.height_box)
        form.addRow(self.tr("Steps"), self.steps)
        form.addRow(self.tr("Guidance (CFG)"), self.guidance)
        form.addRow(self.tr("Sampler"), self.sampler)
        form.addRow(self.tr("Frames per second"), self.fps)

    def set_model(self, ref: str) -> None:
        self.model.setText(ref)

    def request(self) -> LatentWalkRequest:
        parts = [p.strip() for p in self.seeds.text().replace(";", ",").split(",") if p.strip()]
        try:
            seeds = tuple(int(p) for p in parts)
        except ValueError:
            raise ValidationError(
                self.tr("seeds must be whole numbers separated by commas")
            ) from None
        prompts = tuple(line for line in self.prompts.toPlainText().splitlines() if line.strip())
        return LatentWalkRequest(
            model=self.model.text().strip(), seeds=seeds or (0,), prompts=prompts,
            negative_prompt=self.negative_prompt.toPlainText(),
            frames_between=self.frames.value(), loop=self.loop.isChecked(),
            width=self.width_box.value(), height=self.height_box.value(),
            steps=self.steps.value(), guidance=self.guidance.value(),
            sampler=self.sampler.currentText(), fps=self.fps.value(),
        )  # fmt: skip

    def load_request(self, request: LatentWalkRequest) -> None:
        self.model.setText(request.model)
        self.seeds.setText(", ".join(str(s) for s in request.seeds))
        self.prompts.setPlainText("\n".join(request.prompts))
        self.negative_prompt.setPlainText(request.negative_prompt)
        self.frames.setValue(request.frames_between)
        self.loop.setChecked(request.loop)
        self.width_box.setValue(request.width)
        self.height_box.setValue(request.height)
        self.steps.setValue(request.steps)
        self.guidance.setValue(request.guidance)
        self.sampler.setCurrentText(request.sampler)
        self.fps.setValue(request.fps)
