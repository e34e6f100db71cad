"""The music engines: MusicGen (+ Melody) over transformers, audio pipelines over diffusers.

Both share one contract: `check(request)` refuses what the model cannot do, and
`generate(request, progress, cancelled)` returns an AudioClip or raises Cancelled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from studio.core.errors import ModelError
from studio.engines.music.clip import AudioClip

if TYPE_CHECKING:
    from studio.engines.music.diffusion import DiffusionMusicEngine
    from studio.engines.music.musicgen import MusicGenEngine
    from studio.models.spec import ModelSpec

    MusicEngine = MusicGenEngine | DiffusionMusicEngine

MUSICGEN_FAMILIES = ("musicgen", "musicgen-melody")
DIFFUSION_FAMILIES = ("audioldm2", "audioldm", "musicldm", "stable-audio")


def load_music_engine(
    spec: ModelSpec, device: str = "auto", precision: str = "auto"
) -> MusicEngine:
    """The engine for a music model: MusicGen folders or diffusers audio pipelines."""
    if spec.family in MUSICGEN_FAMILIES:
        from studio.engines.music.musicgen import MusicGenEngine

        return MusicGenEngine.load(spec, device, precision)
    if spec.family in DIFFUSION_FAMILIES:
        from studio.engines.music.diffusion import DiffusionMusicEngine

        return DiffusionMusicEngine.load(spec, device, precision)
    raise ModelError(f"{spec.name} ({spec.family}) is not a music model the studio runs")


__all__ = ["AudioClip", "load_music_engine"]
