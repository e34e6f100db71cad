"""The image form: prompts, LoRAs with their weights, size, steps, guidance, sampler, seed
and batch for ImageRequest, and the init image (img2img, with its strength) and mask
(inpainting) slots.

Every spin box is bounded by the request's own limits, so most bad values cannot be typed;
what the widgets cannot rule out (an empty model, a mask without an init image) is left
to the request's validation. The mode follows from the slots: an init image alone is
img2img, with a mask inpainting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from studio.core.requests.image import (
    MAX_BATCH_COUNT,
    MAX_BATCH_SIZE,
    MAX_SIZE,
    MAX_STEPS,
    MIN_SIZE,
    ImageRequest,
)
from studio.core.requests.samplers import SAMPLER_NAMES
from studio.gui.parameters.image_slot import ImageOffer, ImageSlot
from studio.gui.parameters.lora_list import LoraList
from studio.gui.parameters.seed_field import SeedField

SIZE_PRESETS: tuple[tuple[int, int], ...] = (
    (512, 512),
    (768, 768),
    (1024, 1024),
    (832, 1216),
    (1216, 832),
)
CUSTOM = QT_TRANSLATE_NOOP("ImageForm", "Custom")
# Fields the form has no widget for; kept from the last loaded request so reuse loses nothing.
IMAGE_CARRIED = ("embeddings",)


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
        self.model.setPlaceholderText(self.tr("Select a model in the Models dock"))
        self.loras = LoraList()
        self.prompt = QPlainTextEdit()
        self.negative_prompt = QPlainTextEdit()
        self.negative_prompt.setMaximumHeight(80)
        self.size_preset = QComboBox()
        self.size_preset.addItems([f"{w}x{h}" for w, h in SIZE_PRESETS] + [self.tr(CUSTOM)])
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
        self.init_image = ImageSlot(self.tr("Init image"), self.tr("None (txt2img)"))
        self.strength = float_spin(0.01, 1.0, defaults.strength, 0.05)
        self.strength.setToolTip(
            self.tr("How much the init image may change: 1 repaints it completely")
        )
        self.mask_image = ImageSlot(self.tr("Mask"), self.tr("None"))
        self.mask_image.setToolTip(self.tr("White repaints, black keeps"))
        self.paint_button = ImageSlot.tool_button(
            "brush", self.tr("Paint…"), self.tr("Paint the mask over the init image")
        )
        self.paint_button.clicked.connect(self.paint_mask)
        self.mask_image.row.insertWidget(2, self.paint_button)
        self.init_image.changed.connect(self._show_mode)
        self.mask_image.changed.connect(self._show_mode)
        self.painter: Any = None  # the open MaskPainter, if any
        self.offer = ImageOffer()
        self.offer.chosen.connect(self._use_offered)
        self._carried: dict[str, Any] = {}
        size = QHBoxLayout()
        size.addWidget(self.size_preset)
        size.addWidget(self.width_box)
        size.addWidget(self.height_box)
        form = QFormLayout(self)
        # The scroll area frames the form; a narrow dock (or longer translated labels)
        # puts a label above its field instead of scrolling sideways.
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.offer)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.loras)
        form.addRow(self.tr("Prompt"), self.prompt)
        form.addRow(self.tr("Negative prompt"), self.negative_prompt)
        form.addRow(self.tr("Size (W x H)"), size)
        form.addRow(self.tr("Steps"), self.steps)
        form.addRow(self.tr("Guidance (CFG)"), self.guidance)
        form.addRow(self.tr("Sampler"), self.sampler)
        form.addRow(self.tr("Seed"), self.seed)
        form.addRow(self.tr("Batch size"), self.batch_size)
        form.addRow(self.tr("Batch count"), self.batch_count)
        form.addRow(self.tr("Init image"), self.init_image)
        form.addRow(self.tr("Strength"), self.strength)
        form.addRow(self.tr("Mask"), self.mask_image)
        self._apply_preset()
        self._show_mode()

    def set_model(self, ref: str) -> None:
        self.model.setText(ref)

    def request(self) -> ImageRequest:
        """The request the form describes; ValidationError (one line) when it is not valid."""
        width, height = self._size()
        return ImageRequest(
            **{
                **self._carried,
                "model": self.model.text().strip(),
                "loras": self.loras.loras(),
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
                **self._source_images(),
            }
        )

    def load_request(self, request: ImageRequest) -> None:
        self.model.setText(request.model)
        self.loras.set_loras(request.loras)
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
        self.init_image.set_path(request.init_image)
        self.mask_image.set_path(request.mask_image)
        self.strength.setValue(request.strength)
        self._carried = {name: getattr(request, name) for name in IMAGE_CARRIED}

    def offer_image(self, path: Path) -> None:
        """An image without parameters was dropped: offer it as init image or mask."""
        self.offer.offer(Path(path))

    def paint_mask(self) -> None:
        """Open the mask painter over the init image (non-modal: the studio keeps working)."""
        from studio.gui.mask_painter import MaskPainter

        if self.painter is not None:  # already open: bring it forward
            self.painter.raise_()
            self.painter.activateWindow()
            return
        if not self.init_image.path():
            return
        mask = self.mask_image.path()
        self.painter = MaskPainter(
            Path(self.init_image.path()), Path(mask) if mask else None, parent=self
        )
        self.painter.mask_saved.connect(self.mask_image.set_path)
        self.painter.finished.connect(self._painter_closed)
        self.painter.show()

    def _painter_closed(self) -> None:
        if self.painter is not None:
            self.painter.deleteLater()
            self.painter = None

    def shutdown(self) -> None:
        """Before the window closes: close the painter, wait for thumbnails being read."""
        if self.painter is not None:
            self.painter.reject()
        self.init_image.shutdown()
        self.mask_image.shutdown()

    def _source_images(self) -> dict[str, Any]:
        init, mask = self.init_image.path() or None, self.mask_image.path() or None
        mode = "inpaint" if mask else "img2img" if init else "txt2img"
        return {"mode": mode, "init_image": init, "mask_image": mask,
                "strength": self.strength.value()}  # fmt: skip

    def _show_mode(self) -> None:
        has_init = bool(self.init_image.path())
        self.strength.setEnabled(has_init)
        self.paint_button.setEnabled(has_init)

    def _use_offered(self, path: str, role: str) -> None:
        (self.mask_image if role == "mask" else self.init_image).set_path(path)

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
