"""The audio forms: MusicForm (text to music) and SpeechForm (text to speech)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from studio.core.requests.audio import (
    AUDIO_FORMATS,
    MAX_MUSIC_SECONDS,
    MAX_PAUSE,
    MAX_STEPS,
    MusicRequest,
    SpeechRequest,
)
from studio.gui.parameters.image_form import SeedField, float_spin, spin


def path_edit(hint: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(hint)
    return edit


def format_box() -> QComboBox:
    box = QComboBox()
    box.addItems(list(AUDIO_FORMATS))
    return box


class MusicForm(QWidget):
    """Builds a MusicRequest from its widgets and fills them from one."""

    TASK = "music"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        defaults = MusicRequest(model="-", prompt="-")
        self.model = path_edit(self.tr("Select a model in the Models dock"))
        self.prompt = QPlainTextEdit()
        self.negative_prompt = QPlainTextEdit()
        self.negative_prompt.setMaximumHeight(60)
        self.negative_prompt.setToolTip(self.tr("Diffusion models only (AudioLDM 2, Stable Audio)"))
        self.seconds = float_spin(0.5, MAX_MUSIC_SECONDS, defaults.seconds, 1)
        self.guidance = float_spin(0, 100, defaults.guidance, 0.5)
        self.steps = spin(1, MAX_STEPS, defaults.steps)
        self.steps.setToolTip(self.tr("Diffusion models only; MusicGen ignores it"))
        self.melody = path_edit(self.tr("optional: audio whose melody MusicGen-Melody follows"))
        self.continue_from = path_edit(self.tr("optional: audio the music continues"))
        self.format = format_box()
        self.seed = SeedField()
        form = QFormLayout(self)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("Prompt"), self.prompt)
        form.addRow(self.tr("Negative prompt"), self.negative_prompt)
        form.addRow(self.tr("Seconds"), self.seconds)
        form.addRow(self.tr("Guidance"), self.guidance)
        form.addRow(self.tr("Steps"), self.steps)
        form.addRow(self.tr("Melody"), self.melody)
        form.addRow(self.tr("Continue from"), self.continue_from)
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("Seed"), self.seed)

    def set_model(self, ref: str) -> None:
        self.model.setText(ref)

    def request(self) -> MusicRequest:
        """The request the form describes; ValidationError (one line) when it is not valid."""
        return MusicRequest(
            model=self.model.text().strip(),
            prompt=self.prompt.toPlainText(),
            negative_prompt=self.negative_prompt.toPlainText(),
            seconds=self.seconds.value(),
            guidance=self.guidance.value(),
            steps=self.steps.value(),
            melody=self.melody.text().strip() or None,
            continue_from=self.continue_from.text().strip() or None,
            format=self.format.currentText(),
            seed=self.seed.seed(),
        )

    def load_request(self, request: MusicRequest) -> None:
        self.model.setText(request.model)
        self.prompt.setPlainText(request.prompt)
        self.negative_prompt.setPlainText(request.negative_prompt)
        self.seconds.setValue(request.seconds)
        self.guidance.setValue(request.guidance)
        self.steps.setValue(request.steps)
        self.melody.setText(request.melody or "")
        self.continue_from.setText(request.continue_from or "")
        self.format.setCurrentText(request.format)
        self.seed.set_seed(request.seed)


class SpeechForm(QWidget):
    """Builds a SpeechRequest from its widgets and fills them from one."""

    TASK = "speech"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        defaults = SpeechRequest(model="-", text="-")
        self.model = path_edit(self.tr("Select a model in the Models dock"))
        self.text = QPlainTextEdit()
        self.speaker = path_edit(
            self.tr("SpeechT5: x-vector .npy/.safetensors; Bark: voice preset .npz")
        )
        self.vocoder = path_edit(self.tr("SpeechT5 only, when not in <model>/vocoder"))
        self.pause = float_spin(0, MAX_PAUSE, defaults.pause, 0.1)
        self.pause.setToolTip(self.tr("Seconds of silence between sentences"))
        self.format = format_box()
        self.seed = SeedField()
        form = QFormLayout(self)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("Text"), self.text)
        form.addRow(self.tr("Speaker"), self.speaker)
        form.addRow(self.tr("Vocoder"), self.vocoder)
        form.addRow(self.tr("Pause (s)"), self.pause)
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("Seed"), self.seed)

    def set_model(self, ref: str) -> None:
        self.model.setText(ref)

    def request(self) -> SpeechRequest:
        """The request the form describes; ValidationError (one line) when it is not valid."""
        return SpeechRequest(
            model=self.model.text().strip(),
            text=self.text.toPlainText(),
            speaker=self.speaker.text().strip() or None,
            vocoder=self.vocoder.text().strip() or None,
            pause=self.pause.value(),
            format=self.format.currentText(),
            seed=self.seed.seed(),
        )

    def load_request(self, request: SpeechRequest) -> None:
        self.model.setText(request.model)
        self.text.setPlainText(request.text)
        self.speaker.setText(request.speaker or "")
        self.vocoder.setText(request.vocoder or "")
        self.pause.setValue(request.pause)
        self.format.setCurrentText(request.format)
        self.seed.set_seed(request.seed)
