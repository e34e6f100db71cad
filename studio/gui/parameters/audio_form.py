"""The audio forms: MusicForm (text to music) and SpeechForm (text to speech)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from studio.core.requests.audio import (
    AUDIO_FORMATS,
    MAX_MUSIC_SECONDS,
    MAX_PAUSE,
    MAX_STEPS,
    MusicRequest,
    SpeechRequest,
)
from studio.gui.parameters.field_form import FieldForm, Row
from studio.gui.parameters.image_form import SeedField, float_spin, spin


def path_edit(hint: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(hint)
    return edit


translate = QCoreApplication.translate  # literal arguments, for lupdate


def _optional(text: str) -> str | None:
    return text or None  # an empty path field: none given


def _shown(value: str | None) -> str:
    return value or ""


def format_box() -> QComboBox:
    box = QComboBox()
    box.addItems(list(AUDIO_FORMATS))
    return box


class AudioForm(FieldForm):
    """The model first, then the task's own rows, then the file format and the seed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = path_edit(translate("AudioForm", "Select a model in the Models dock"))
        self.format = format_box()
        self.seed = SeedField()

    def add_audio_rows(self, rows: list[Row]) -> None:
        self.add_rows([
            Row("model", translate("AudioForm", "Model"), self.model), *rows,
            Row("format", translate("AudioForm", "Format"), self.format),
            Row("seed", translate("AudioForm", "Seed"), self.seed),
        ])  # fmt: skip


class MusicForm(AudioForm):
    """Text to music: MusicGen (melody, continuation) or a diffusion pipeline."""

    TASK = "music"
    REQUEST = MusicRequest

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        defaults = MusicRequest(model="-", prompt="-")
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
        self.add_audio_rows([
            Row("prompt", self.tr("Prompt"), self.prompt),
            Row("negative_prompt", self.tr("Negative prompt"), self.negative_prompt),
            Row("seconds", self.tr("Seconds"), self.seconds),
            Row("guidance", self.tr("Guidance"), self.guidance),
            Row("steps", self.tr("Steps"), self.steps),
            Row("melody", self.tr("Melody"), self.melody, _optional, _shown),
            Row("continue_from", self.tr("Continue from"), self.continue_from, _optional, _shown),
        ])  # fmt: skip


class SpeechForm(AudioForm):
    """Text to speech, sentence by sentence, with an optional speaker and vocoder."""

    TASK = "speech"
    REQUEST = SpeechRequest

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        defaults = SpeechRequest(model="-", text="-")
        self.text = QPlainTextEdit()
        self.speaker = path_edit(
            self.tr("SpeechT5: x-vector .npy/.safetensors; Bark: voice preset .npz")
        )
        self.vocoder = path_edit(self.tr("SpeechT5 only, when not in <model>/vocoder"))
        self.pause = float_spin(0, MAX_PAUSE, defaults.pause, 0.1)
        self.pause.setToolTip(self.tr("Seconds of silence between sentences"))
        self.add_audio_rows([
            Row("text", self.tr("Text"), self.text),
            Row("speaker", self.tr("Speaker"), self.speaker, _optional, _shown),
            Row("vocoder", self.tr("Vocoder"), self.vocoder, _optional, _shown),
            Row("pause", self.tr("Pause (s)"), self.pause),
        ])  # fmt: skip
