"""MusicRequest and SpeechRequest: text to music (with melody or continuation) and to speech."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from studio.core.errors import ValidationError
from studio.core.requests.base import Request
from studio.core.requests.checks import check_choice, check_float, check_int, check_text

# Container/codec names the studio writes; which ones work depends on the installed libsndfile.
AUDIO_FORMATS: tuple[str, ...] = ("wav", "flac", "ogg", "opus", "mp3")
MAX_SEED = 2**32 - 1  # -1 means "pick one at random"
MAX_MUSIC_SECONDS = 300.0  # longer clips are stitched from windows; beyond this it is a job
MAX_STEPS = 1000
MAX_PROMPT = 2_000
MAX_SPEECH_TEXT = 20_000
MAX_PAUSE = 5.0


def _check_model(model: object) -> None:
    check_text("model", model, 4096)
    if not str(model).strip():
        raise ValidationError("model must name a model (got an empty string)")


def _check_path(name: str, value: object) -> None:
    if value is not None:
        check_text(name, value, 4096)
        if not str(value).strip():
            raise ValidationError(f"{name} must name a file (got an empty string)")


@dataclass(frozen=True)
class MusicRequest(Request):
    TYPE: ClassVar[str] = "music"

    model: str
    prompt: str = ""
    seconds: float = 10.0  # of new music; a continued clip comes first in the file
    seed: int = -1
    guidance: float = 3.0
    steps: int = 100  # diffusion models (AudioLDM 2, Stable Audio); MusicGen ignores it
    negative_prompt: str = ""  # diffusion models only
    melody: str | None = None  # audio file whose melody conditions MusicGen-Melody
    continue_from: str | None = None  # audio file the music continues
    format: str = "wav"

    def __post_init__(self) -> None:
        _check_model(self.model)
        check_text("prompt", self.prompt, MAX_PROMPT)
        check_text("negative_prompt", self.negative_prompt, MAX_PROMPT)
        _check_path("melody", self.melody)
        _check_path("continue_from", self.continue_from)
        if not self.prompt.strip() and not (self.melody or self.continue_from):
            raise ValidationError(
                "prompt is empty: describe the music (or give a clip to continue)"
            )
        seconds = check_float("seconds", self.seconds, 0, MAX_MUSIC_SECONDS, low_open=True)
        object.__setattr__(self, "seconds", seconds)
        object.__setattr__(self, "guidance", check_float("guidance", self.guidance, 0, 100))
        check_int("seed", self.seed, -1, MAX_SEED)
        check_int("steps", self.steps, 1, MAX_STEPS)
        check_choice("format", self.format, AUDIO_FORMATS)


@dataclass(frozen=True)
class SpeechRequest(Request):
    TYPE: ClassVar[str] = "speech"

    model: str
    text: str
    # SpeechT5: an x-vector file (.npy or .safetensors, 512 numbers); Bark: a voice preset .npz.
    speaker: str | None = None
    vocoder: str | None = None  # SpeechT5's HiFi-GAN folder when not in <model>/vocoder
    seed: int = -1
    pause: float = 0.3  # seconds of silence between sentences
    format: str = "wav"

    def __post_init__(self) -> None:
        _check_model(self.model)
        check_text("text", self.text, MAX_SPEECH_TEXT)
        if not self.text.strip():
            raise ValidationError("text is empty: write what should be said")
        _check_path("speaker", self.speaker)
        _check_path("vocoder", self.vocoder)
        check_int("seed", self.seed, -1, MAX_SEED)
        object.__setattr__(self, "pause", check_float("pause", self.pause, 0, MAX_PAUSE))
        check_choice("format", self.format, AUDIO_FORMATS)
