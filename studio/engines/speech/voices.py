"""The speech model families: each turns one sentence into a waveform.

VITS/MMS-TTS (characters in, waveform out, one forward pass), SpeechT5 (mel frames
one by one, then a HiFi-GAN vocoder, voice from an x-vector) and Bark (three token
models and EnCodec). `step_modules` are the modules called once per decoding step:
the engine hooks them to cancel within a sentence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.core.errors import ModelError, ValidationError, one_line
from studio.engines.speech.speakers import default_speaker, load_bark_voice, load_speaker_embedding
from studio.models.spec import ModelSpec

_LOAD_ERRORS = (OSError, ValueError, KeyError, RuntimeError, TypeError, ImportError)


def _load(what: str, loader: Any, path: Path, **kwargs: Any) -> Any:
    try:
        return loader.from_pretrained(
            path, local_files_only=True, trust_remote_code=False, **kwargs
        )
    except _LOAD_ERRORS as exc:
        raise ModelError(f"cannot load the {what} in {path}: {one_line(exc)}") from None


def _weights(spec: ModelSpec, dtype: torch.dtype) -> dict[str, Any]:
    return {"dtype": dtype, "use_safetensors": None if spec.allow_pickle else True}


class VitsVoice:
    family = "vits"
    max_chars = 400

    def __init__(self, spec: ModelSpec, device: torch.device, dtype: torch.dtype, **_: Any) -> None:
        from transformers import AutoTokenizer, VitsModel
        from transformers.utils import is_phonemizer_available

        self.tokenizer = _load("tokenizer", AutoTokenizer, spec.path)
        if getattr(self.tokenizer, "phonemize", False) and not is_phonemizer_available():
            raise ModelError(
                f"{spec.name} reads phonemes: it needs the phonemizer package and espeak, "
                "which are not installed"
            )
        self.model = _load("VITS model", VitsModel, spec.path, **_weights(spec, dtype))
        self.model = self.model.to(device).eval()
        self.device = device
        self.sample_rate = int(self.model.config.sampling_rate)

    def load_speaker(self, ref: str | None) -> None:
        if ref:
            raise ValidationError("VITS voices take no speaker file: each model is one voice")

    def step_modules(self) -> list[torch.nn.Module]:
        return []  # one forward pass per sentence

    def speak(self, text: str, speaker: Any) -> np.ndarray:
        ids = self.tokenizer(text, return_tensors="pt")["input_ids"]
        pad = self.tokenizer.pad_token_id
        if ids.shape[1] == 0 or (pad is not None and not bool((ids != pad).any())):
            return np.zeros(0, dtype=np.float32)  # nothing this voice's alphabet can say
        waveform = self.model(input_ids=ids.to(self.device)).waveform
        return waveform[0].float().cpu().numpy()


class SpeechT5Voice:
    family = "speecht5"
    max_chars = 300

    def __init__(
        self, spec: ModelSpec, device: torch.device, dtype: torch.dtype,
        vocoder: str | None = None, **_: Any,
    ) -> None:  # fmt: skip
        from transformers import AutoTokenizer, SpeechT5ForTextToSpeech, SpeechT5HifiGan

        folder = Path(vocoder).expanduser() if vocoder else spec.path / "vocoder"
        if not (folder / "config.json").is_file():
            raise ModelError(
                f"SpeechT5 needs a HiFi-GAN vocoder: pass --vocoder DIR (e.g. a "
                f"speecht5_hifigan folder) or put it in {spec.path / 'vocoder'}"
            )
        self.tokenizer = _load("tokenizer", AutoTokenizer, spec.path)
        weights = _weights(spec, dtype)
        self.model = _load("SpeechT5 model", SpeechT5ForTextToSpeech, spec.path, **weights)
        self.vocoder = _load("vocoder", SpeechT5HifiGan, folder, **weights)
        self.model, self.vocoder = self.model.to(device).eval(), self.vocoder.to(device).eval()
        self.device, self.dtype = device, dtype
        self.sample_rate = int(self.vocoder.config.sampling_rate)
        self.max_chars = min(self.max_chars, int(self.model.config.max_text_positions) - 2)

    def load_speaker(self, ref: str | None) -> torch.Tensor:
        size = int(self.model.config.speaker_embedding_dim)
        vector = load_speaker_embedding(ref or default_speaker(), size)
        return torch.from_numpy(vector).to(self.device, self.dtype)

    def step_modules(self) -> list[torch.nn.Module]:
        return [self.model.speecht5.decoder.wrapped_decoder]

    def speak(self, text: str, speaker: Any) -> np.ndarray:
        ids = self.tokenizer(text=text, return_tensors="pt")["input_ids"].to(self.device)
        waveform = self.model.generate_speech(ids, speaker, vocoder=self.vocoder)
        return waveform.float().cpu().numpy().reshape(-1)


class BarkVoice:
    family = "bark"
    max_chars = 200  # Bark speaks about 13 s per generation

    def __init__(self, spec: ModelSpec, device: torch.device, dtype: torch.dtype, **_: Any) -> None:
        from transformers import AutoProcessor, BarkModel

        self.processor = _load("processor", AutoProcessor, spec.path)
        self.model = _load("Bark model", BarkModel, spec.path, **_weights(spec, dtype))
        self.model = self.model.to(device).eval()
        self.device = device
        self.sample_rate = int(self.model.generation_config.sample_rate)

    def load_speaker(self, ref: str | None) -> dict[str, np.ndarray] | None:
        return load_bark_voice(ref) if ref else None

    def step_modules(self) -> list[torch.nn.Module]:
        return [self.model.semantic, self.model.coarse_acoustics, self.model.fine_acoustics]

    def speak(self, text: str, speaker: Any) -> np.ndarray:
        inputs = self.processor(text, voice_preset=speaker, return_tensors="pt")
        history = inputs.get("history_prompt")
        if history is not None:
            history = {key: value.to(self.device) for key, value in history.items()}
        audio = self.model.generate(
            input_ids=inputs["input_ids"].to(self.device),
            attention_mask=inputs["attention_mask"].to(self.device),
            history_prompt=history, do_sample=True,
        )  # fmt: skip
        return audio[0].float().cpu().numpy()


VOICES: dict[str, type[VitsVoice] | type[SpeechT5Voice] | type[BarkVoice]] = {
    "vits": VitsVoice, "speecht5": SpeechT5Voice, "bark": BarkVoice,
}  # fmt: skip
