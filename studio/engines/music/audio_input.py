"""Read an input audio file (melody, clip to continue) at the rate and channels a model wants."""

from __future__ import annotations

from math import gcd
from pathlib import Path

import numpy as np
import soundfile as sf

from studio.core.errors import ValidationError, one_line

MAX_INPUT_SECONDS = 600.0


def read_audio(path: str | Path, what: str, sample_rate: int, channels: int) -> np.ndarray:
    """`path` as float32 (channels, samples) at `sample_rate`; one line when unusable."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise ValidationError(f"{what} file not found: {path}")
    try:
        info = sf.info(str(path))
        if info.frames == 0:
            raise ValidationError(f"{what} file {path.name} holds no audio")
        if info.frames / info.samplerate > MAX_INPUT_SECONDS:
            raise ValidationError(
                f"{what} file {path.name} is {info.frames / info.samplerate:.0f} s long "
                f"(at most {MAX_INPUT_SECONDS:.0f} s)"
            )
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError) as exc:
        raise ValidationError(f"cannot read {what} file {path.name}: {one_line(exc)}") from None
    audio = _to_channels(data.T, channels)
    return resample(audio, rate, sample_rate)


def _to_channels(audio: np.ndarray, channels: int) -> np.ndarray:
    if audio.shape[0] == channels:
        return audio
    mono = audio.mean(axis=0, keepdims=True)
    return np.repeat(mono, channels, axis=0)


def resample(audio: np.ndarray, rate: int, target: int) -> np.ndarray:
    """Polyphase resampling (band-limited) of (channels, samples) from `rate` to `target`."""
    if rate == target:
        return np.ascontiguousarray(audio, dtype=np.float32)
    from scipy.signal import resample_poly

    step = gcd(rate, target)
    out = resample_poly(audio, target // step, rate // step, axis=1)
    return np.ascontiguousarray(out, dtype=np.float32)
