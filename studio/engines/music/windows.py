"""Long clips from a model with a fixed window: plan the windows, then stitch them.

MusicGen hears at most one window (30 s for the released models). A longer clip is
generated window by window: each later window gets the last part of the audio so far
as its audio prompt and continues it; the windows are joined with a short crossfade
over the prompt region, where both hold (almost) the same audio.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Window:
    prompt_frames: int  # frames of earlier audio given as the audio prompt
    new_frames: int  # frames this window adds


def frames_for(seconds: float, frame_rate: float) -> int:
    """Codec frames for `seconds` of audio (at least one)."""
    return max(1, round(seconds * frame_rate))


def tokens_for(frames: int, delay: int) -> int:
    """New decoder tokens that yield `frames` frames: the codebook delay pattern costs
    `delay` (= codebooks per channel - 1) extra steps."""
    return frames + delay


def plan_windows(
    total_frames: int, window_frames: int, context_frames: int, start_frames: int = 0
) -> list[Window]:
    """Windows that add `total_frames` after `start_frames` of existing audio.

    Each window holds its prompt plus its new frames, so new frames never exceed
    window - prompt; the prompt is at most `context_frames` of the audio so far.
    """
    if not 0 <= context_frames < window_frames:
        raise ValueError(f"context {context_frames} must be below the window {window_frames}")
    windows: list[Window] = []
    have, remaining = start_frames, total_frames
    while remaining > 0:
        prompt = min(have, context_frames)
        new = min(remaining, window_frames - prompt)
        windows.append(Window(prompt, new))
        have += new
        remaining -= new
    return windows


def join_continuation(
    audio: np.ndarray | None, window_out: np.ndarray, prompt_samples: int, fade_samples: int
) -> np.ndarray:
    """Append a window's new audio to `audio`, both (channels, samples).

    `window_out` starts with the (re-encoded) prompt, then the new audio. The last
    `fade` samples of `audio` crossfade into the matching samples of the window.
    """
    if audio is None:
        return window_out
    new_part = window_out[:, prompt_samples:]
    fade = min(fade_samples, prompt_samples, audio.shape[1])
    if fade == 0:
        return np.concatenate([audio, new_part], axis=1)
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    blended = (
        audio[:, -fade:] * (1.0 - ramp)
        + window_out[:, prompt_samples - fade : prompt_samples] * ramp
    )
    return np.concatenate([audio[:, :-fade], blended, new_part], axis=1)
