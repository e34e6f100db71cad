"""The latent forms: UnconditionalForm (DDPM/DDIM/LDM images, no prompt) and WalkForm
(frames between seeds, and prompts when the model takes them, plus an animated preview)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from studio.core.errors import ValidationError
from studio.core.requests import LatentWalkRequest, UnconditionalRequest
from studio.core.requests import image as limits
from studio.core.requests.latent import MAX_FRAMES_BETWEEN
from studio.core.requests.samplers import SAMPLER_NAMES
from studio.gui.parameters.field_form import FieldForm, Row
from studio.gui.parameters.image_form import SeedField, float_spin, spin


def _common_rows(defaults: UnconditionalRequest | LatentWalkRequest) -> list[Row]:
    """Model, steps and sampler: what both latent forms start with."""
    model = QLineEdit()
    model.setPlaceholderText(translate("LatentForms", "Select a model in the Models dock"))
    sampler = QComboBox()
    sampler.addItems(list(SAMPLER_NAMES))
    sampler.setCurrentText(defaults.sampler)
    return [Row("model", translate("LatentForms", "Model"), model),
            Row("steps", translate("LatentForms", "Steps"), spin(1, limits.MAX_STEPS, defaults.steps)),
            Row("sampler", translate("LatentForms", "Sampler"), sampler)]  # fmt: skip


translate = QCoreApplication.translate  # literal arguments, for lupdate


def _seeds(text: str) -> tuple[int, ...]:
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    try:
        return tuple(int(p) for p in parts) or (0,)
    except ValueError:
        raise ValidationError("seeds must be whole numbers separated by commas") from None


class UnconditionalForm(FieldForm):
    TASK = "unconditional"
    REQUEST = UnconditionalRequest

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        defaults = UnconditionalRequest(model="-")
        eta = float_spin(0, 1, defaults.eta, 0.1)
        eta.setToolTip(self.tr("DDIM's noise: 0 is deterministic"))
        self.add_rows([
            *_common_rows(defaults), Row("eta", self.tr("Eta"), eta),
            Row("seed", self.tr("Seed"), SeedField()),
            Row("batch_size", self.tr("Batch size"), spin(1, limits.MAX_BATCH_SIZE, 1)),
            Row("batch_count", self.tr("Batch count"), spin(1, limits.MAX_BATCH_COUNT, 1)),
        ])  # fmt: skip


class WalkForm(FieldForm):
    """Seeds as "1, 2, 3"; prompts one per line (none for an unconditional model)."""

    TASK = "walk"
    REQUEST = LatentWalkRequest

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        d = LatentWalkRequest(model="-", seeds=(1, 2))
        seeds = QLineEdit("1, 2")
        seeds.setToolTip(self.tr("One seed per keyframe, separated by commas"))
        prompts, negative = QPlainTextEdit(), QPlainTextEdit()
        prompts.setToolTip(self.tr("One prompt per line: one for all keyframes, or one each"))
        for box in (prompts, negative):
            box.setMaximumHeight(70)
        size = limits.MIN_SIZE, limits.MAX_SIZE
        self.add_rows([
            *_common_rows(d),
            Row("seeds", self.tr("Seeds"), seeds, _seeds, lambda s: ", ".join(map(str, s))),
            Row("prompts", self.tr("Prompts"), prompts,
                lambda text: tuple(line for line in text.splitlines() if line.strip()), "\n".join),
            Row("negative_prompt", self.tr("Negative prompt"), negative),
            Row("frames_between", self.tr("Frames between"), spin(0, MAX_FRAMES_BETWEEN, d.frames_between)),
            Row("loop", "", QCheckBox(self.tr("Walk back to the first keyframe"))),
            Row("width", self.tr("Width"), spin(*size, d.width, 8)),
            Row("height", self.tr("Height"), spin(*size, d.height, 8)),
            Row("guidance", self.tr("Guidance (CFG)"), float_spin(0, 100, d.guidance, 0.5)),
            Row("fps", self.tr("Frames per second"), spin(1, 60, d.fps)),
        ])  # fmt: skip
