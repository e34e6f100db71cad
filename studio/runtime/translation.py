"""What a translation model translates, for the language pickers (loads it if needed)."""

from __future__ import annotations

from studio.core.languages import LanguageSupport
from studio.models.catalog import ModelCatalog
from studio.runtime.loaded_models import load_engine


def translation_languages(
    model: str, catalog: ModelCatalog | None = None, device: str = "auto"
) -> LanguageSupport:
    """The (source, target) languages of a translation model, in studio codes."""
    return load_engine("translate", model, device, catalog=catalog).languages()  # type: ignore[attr-defined]
