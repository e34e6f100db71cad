"""Voices from files: SpeechT5 speaker embeddings (x-vectors) and Bark voice presets.

Never downloaded: the user gives a file, or SpeechT5 falls back to the neutral
synthetic vector shipped in resources/speakers/ (see its README: not a real voice).
Files are read without pickle.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from studio.core.errors import ModelError, ValidationError
from studio.core.resources import resource

DEFAULT_SPEAKER = "speakers/neutral-synthetic-xvector.npy"
_BARK_KEYS = ("semantic_prompt", "coarse_prompt", "fine_prompt")


def default_speaker() -> Path:
    path = resource(DEFAULT_SPEAKER)
    if path is None:
        raise ModelError(
            f"SpeechT5 needs a speaker embedding and this installation lacks {DEFAULT_SPEAKER}; "
            "pass --speaker FILE (.npy or .safetensors, 512 numbers)"
        )
    return path


def load_speaker_embedding(path: str | Path, size: int) -> np.ndarray:
    """A (1, size) float32 x-vector from .npy or .safetensors; one line when unusable."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise ValidationError(f"speaker embedding file not found: {path}")
    suffix = path.suffix.lower()
    if suffix == ".npy":
        try:
            array = np.load(path, allow_pickle=False)
        except ValueError as exc:
            reason = "holds pickled objects (refused)" if "pickle" in str(exc) else str(exc)
            raise ValidationError(f"speaker embedding {path.name} {reason}") from None
        except OSError as exc:
            raise ValidationError(f"cannot read speaker embedding {path.name}: {exc}") from None
    elif suffix == ".safetensors":
        array = _from_safetensors(path)
    else:
        raise ValidationError(
            f"{path.name} is not a speaker embedding file (use .npy or .safetensors)"
        )
    array = np.asarray(array)
    if array.dtype.kind not in "fiu" or array.size != size or array.squeeze().ndim != 1:
        raise ValidationError(
            f"speaker embedding {path.name} holds shape {tuple(array.shape)} ({array.dtype}); "
            f"this model wants {size} numbers (an x-vector)"
        )
    vector = array.astype(np.float32).reshape(1, size)
    if not np.isfinite(vector).all():
        raise ValidationError(f"speaker embedding {path.name} holds NaN or infinite values")
    return vector


def _from_safetensors(path: Path) -> np.ndarray:
    from safetensors import SafetensorError
    from safetensors.numpy import load_file

    try:
        tensors = load_file(str(path))
    except (SafetensorError, OSError, ValueError) as exc:
        raise ValidationError(f"cannot read speaker embedding {path.name}: {exc}") from None
    if len(tensors) != 1:
        keys = ", ".join(sorted(tensors)) or "none"
        raise ValidationError(
            f"speaker embedding {path.name} must hold one tensor (it holds: {keys})"
        )
    return next(iter(tensors.values()))


def load_bark_voice(path: str | Path) -> dict[str, np.ndarray]:
    """A Bark voice preset (.npz with semantic, coarse and fine prompts), read without pickle."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise ValidationError(f"voice preset file not found: {path}")
    if path.suffix.lower() != ".npz":
        raise ValidationError(f"{path.name} is not a Bark voice preset (an .npz file)")
    try:
        with np.load(path, allow_pickle=False) as data:
            voice = {key: np.asarray(data[key]) for key in data.files}
    except (ValueError, OSError) as exc:
        raise ValidationError(f"cannot read voice preset {path.name}: {exc}") from None
    missing = [key for key in _BARK_KEYS if key not in voice]
    if missing:
        raise ValidationError(f"voice preset {path.name} lacks {', '.join(missing)}")
    return {key: voice[key] for key in _BARK_KEYS}
