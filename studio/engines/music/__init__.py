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


def load_music_engine(
    spec: ModelSpec, device: str = "auto", precision: str = "auto"
) -> MusicEngine:
    """The engine for a music model: MusicGen folders or diffusers audio pipelines, as the
    modality registry's music backends choose by family."""
    from studio.core.modalities import load_ref, modality

    backend = modality("music").backend_for(spec.task, spec.format, spec.family)
    if backend is None:
        raise ModelError(f"{spec.name} ({spec.family}) is not a music model the studio runs")
    return load_ref(backend.engine).load(spec, device, precision)  # type: ignore[no-any-return]


__all__ = ["AudioClip", "load_music_engine"]
