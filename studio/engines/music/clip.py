"""AudioClip: what a music or speech engine returns (speech imports it from here), and
the engine contract's run() shared by every audio engine: one clip per request."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from studio.core.errors import Cancelled, GenerationError
from studio.engines.contract import CancelledFn, ProgressFn, concrete_seed, never, no_progress

if TYPE_CHECKING:
    from studio.engines.contract import Events


@dataclass
class AudioClip:
    audio: np.ndarray  # float32 (samples, channels)
    sample_rate: int
    seed: int
    run: dict[str, Any] = field(default_factory=dict)  # device, dtype, timings, windows

    @property
    def seconds(self) -> float:
        return self.audio.shape[0] / self.sample_rate

    @property
    def channels(self) -> int:
        return int(self.audio.shape[1])


def finished_clip(
    audio: np.ndarray, sample_rate: int, seed: int, model: str, run: dict[str, Any]
) -> AudioClip:
    """Check and shape an engine's (channels, samples) output into an AudioClip."""
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim == 1:
        audio = audio[None, :]
    if audio.size == 0:
        raise GenerationError(f"{model} produced no audio")
    if not np.isfinite(audio).all():
        raise GenerationError(
            f"{model} produced NaN values (often fp16 overflow); try --precision fp32"
        )
    return AudioClip(np.ascontiguousarray(audio.T), sample_rate, seed, run)


class ClipEngine:
    """Mixin: audio engines make one clip per request. generate() checks the request and
    raises Cancelled before any work, then calls the engine's _clip(request, seed,
    progress, cancelled); run() is the engine contract over it."""

    def generate(
        self, request: Any, progress: ProgressFn = no_progress, cancelled: CancelledFn = never
    ) -> AudioClip:
        check = getattr(self, "check", None)
        if check is not None:
            check(request)
        if cancelled():
            raise Cancelled()
        return self._clip(request, concrete_seed(request.seed), progress, cancelled)

    def _clip(self, request: Any, seed: int, progress: ProgressFn,
              cancelled: CancelledFn) -> AudioClip:  # fmt: skip
        raise NotImplementedError

    def run(self, request: Any, events: Events) -> Iterator[AudioClip]:
        yield self.generate(request, events.progress, events.cancelled)
