"""Load a model ahead of its first job (the Models dock's Load), through the same model
cache the jobs use, so the first generation starts at once."""

from __future__ import annotations

from typing import Any

from studio.core.errors import ModelError
from studio.core.settings import load_settings
from studio.models.catalog import ModelCatalog


def preload_model(model: str, catalog: ModelCatalog) -> str:
    """Load `model` (catalog id, name or path) on the settings' device; returns its name."""
    from studio.runtime.audio_generation import load_music_engine, load_speech_engine
    from studio.runtime.latent_generation import load_unconditional_engine
    from studio.runtime.loaded_models import load_image_engine
    from studio.runtime.text_generation import load_text_engine
    from studio.runtime.translation import load_translate_engine

    loaders: dict[str, Any] = {
        "image": load_image_engine, "text": load_text_engine, "translate": load_translate_engine,
        "music": load_music_engine, "speech": load_speech_engine,
        "image-unconditional": load_unconditional_engine,
    }  # fmt: skip
    entry = catalog.find(model)
    loader = loaders.get(entry.task)
    if loader is None:
        raise ModelError(
            f"{entry.name} is {entry.task or 'an unknown kind of'} model: not loadable"
        )
    settings = load_settings()
    loader(str(entry.id), settings.device, settings.precision, catalog)
    return entry.name
