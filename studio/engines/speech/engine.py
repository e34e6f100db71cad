"""SpeechEngine: text to speech, sentence by sentence, joined with short silences."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch

from studio.core.errors import Cancelled, ModelError, ValidationError
from studio.core.requests.audio import SpeechRequest
from studio.engines.contract import CancelledFn, ProgressFn, concrete_seed, no_progress
from studio.engines.devices import dtype_name, resolve_device, resolve_dtype
from studio.engines.music.clip import AudioClip, ClipEngine, finished_clip
from studio.engines.resident import ResidentModel, SpecNamed
from studio.engines.speech.sentences import split_sentences
from studio.engines.speech.voices import VOICES
from studio.models.loading.quiet import quiet_transformers
from studio.models.spec import ModelSpec


class SpeechEngine(ClipEngine, ResidentModel, SpecNamed):
    """One loaded speech model (VITS, SpeechT5 + vocoder, or Bark) on one device."""

    WEIGHTS = "voice"

    def __init__(self, spec: ModelSpec, voice: Any, device: torch.device) -> None:
        self.spec, self.voice, self.device = spec, voice, device
        self.sample_rate: int = voice.sample_rate
        self.channels = 1

    @property
    def dtype(self) -> Any:
        return self.voice.model.dtype  # the voice's acoustic model (VITS, SpeechT5, Bark)

    @classmethod
    def load(
        cls, spec: ModelSpec, device: str = "auto", precision: str = "auto",
        vocoder: str | None = None,
    ) -> SpeechEngine:  # fmt: skip
        if spec.family not in VOICES:
            raise ModelError(f"{spec.name} ({spec.family}) is not a speech model the studio runs")
        quiet_transformers()  # before transformers is imported: it warns while importing
        torch_device = resolve_device(device)
        dtype = resolve_dtype(torch_device, precision, spec.family)
        return cls(
            spec, VOICES[spec.family](spec, torch_device, dtype, vocoder=vocoder), torch_device
        )

    def generate(
        self, request: SpeechRequest, progress: ProgressFn = no_progress,
        cancelled: CancelledFn = lambda: False,
    ) -> AudioClip:  # fmt: skip
        """Speak every sentence; progress counts sentences, cancel also works mid-sentence."""
        speaker = self.voice.load_speaker(request.speaker)  # bad files fail before any work
        sentences = split_sentences(request.text, self.voice.max_chars)
        if not sentences:
            raise ValidationError("text is empty: write what should be said")
        if cancelled():
            raise Cancelled()
        seed = concrete_seed(request.seed)
        pause = np.zeros(int(request.pause * self.sample_rate), dtype=np.float32)
        started = time.perf_counter()
        torch.manual_seed(seed)
        parts: list[np.ndarray] = []
        with torch.inference_mode(), self._cancel_hooks(cancelled):
            for done, sentence in enumerate(sentences, start=1):
                if cancelled():
                    raise Cancelled()
                wave = self.voice.speak(sentence, speaker)
                if wave.size:
                    parts += [pause, wave] if parts else [wave]
                progress(done, len(sentences))
        if not parts:
            raise ValidationError(
                f"nothing in the text can be spoken by {self.name} (its alphabet lacks "
                "these characters)"
            )
        run = {
            "device": str(self.device), "dtype": dtype_name(self.voice.model.dtype),
            "family": self.spec.family, "sentences": len(sentences),
            "seconds": round(time.perf_counter() - started, 3),
        }  # fmt: skip
        return finished_clip(np.concatenate(parts), self.sample_rate, seed, self.name, run)

    @contextlib.contextmanager
    def _cancel_hooks(self, cancelled: CancelledFn) -> Iterator[None]:
        """Raise Cancelled from the next decoding step of an autoregressive voice."""

        def check(module: Any, args: Any) -> None:
            if cancelled():
                raise Cancelled()

        handles = [m.register_forward_pre_hook(check) for m in self.voice.step_modules()]
        try:
            yield
        finally:
            for handle in handles:
                handle.remove()
