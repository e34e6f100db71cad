"""Melody conditioning for MusicGen-Melody: a one-hot chromagram of the melody audio.

transformers' MusicgenMelodyFeatureExtractor needs torchaudio, which the studio does
not ship; this computes the same features (torchaudio's normalized power spectrogram,
librosa's chroma filters, argmax one-hot) with torch.stft from the model's own
preprocessor_config.json.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch


@dataclass(frozen=True)
class ChromaSettings:
    sampling_rate: int = 32000
    n_fft: int = 16384
    hop_length: int = 4096
    num_chroma: int = 12

    @property
    def frame_rate(self) -> float:
        return self.sampling_rate / self.hop_length

    @classmethod
    def for_model(cls, folder: Path) -> ChromaSettings:
        try:
            data = json.loads((folder / "preprocessor_config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()  # the released checkpoints' values
        defaults = cls()
        return cls(
            int(data.get("sampling_rate", defaults.sampling_rate)),
            int(data.get("n_fft", defaults.n_fft)),
            int(data.get("hop_length", defaults.hop_length)),
            int(data.get("num_chroma", defaults.num_chroma)),
        )


def chromagram(melody: np.ndarray, settings: ChromaSettings) -> torch.Tensor:
    """(frames, num_chroma) one-hot: the strongest pitch class of each frame of mono audio."""
    from transformers.audio_utils import chroma_filter_bank

    wave = torch.from_numpy(np.asarray(melody, dtype=np.float32))
    if wave.shape[-1] < settings.n_fft:
        pad = settings.n_fft - wave.shape[-1]
        wave = torch.nn.functional.pad(wave, (pad // 2, pad - pad // 2))
    window = torch.hann_window(settings.n_fft)
    spec = torch.stft(
        wave, settings.n_fft, hop_length=settings.hop_length, window=window, center=True,
        pad_mode="reflect", return_complex=True,
    )  # fmt: skip
    power = spec.abs().pow(2) / window.pow(2).sum()  # torchaudio's normalized=True, power=2
    filters = chroma_filter_bank(
        num_frequency_bins=settings.n_fft, num_chroma=settings.num_chroma,
        sampling_rate=settings.sampling_rate, tuning=0,
    )  # fmt: skip
    raw = torch.from_numpy(filters).float() @ power  # (chroma, frames)
    strongest = raw.argmax(dim=0)
    return torch.nn.functional.one_hot(strongest, settings.num_chroma).float()


def chroma_span(chroma: torch.Tensor, rate: float, start_s: float, end_s: float) -> torch.Tensor:
    """The chroma frames covering [start_s, end_s], looping a melody shorter than the clip."""
    first = math.floor(start_s * rate)
    count = max(1, math.ceil(end_s * rate) - first)
    index = torch.arange(first, first + count) % chroma.shape[0]
    return chroma[index]
