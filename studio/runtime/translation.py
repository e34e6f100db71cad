"""Run one TranslateRequest end to end: engine -> text file with its JSON sidecar -> gallery row.

The output has the input's extension (.txt for a text, the document's own for a file);
its sidecar records the request, both languages with the codes the model used, and the
run. Engines load on demand, inside functions: this module imports no ML library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from studio.core.gallery import GalleryStore
from studio.core.languages import LanguageSupport
from studio.core.outputs.record import OutputRecord
from studio.core.outputs.writer import OutputWriter
from studio.core.requests.translate import TranslateRequest
from studio.engines.contract import CancelledFn, ProgressFn, no_progress
from studio.models.catalog import ModelCatalog
from studio.models.hashing import HashCache, short_hash
from studio.models.spec import ModelSpec
from studio.runtime.loaded_models import load_engine
from studio.runtime.recording import WrittenOutput, save_text

if TYPE_CHECKING:
    from studio.engines.translate import TranslateEngine


@dataclass
class Translation:
    written: WrittenOutput
    text: str  # the translated text, as written
    sentences: int


def load_translate_engine(
    model: str, device: str = "auto", precision: str = "auto", catalog: ModelCatalog | None = None
) -> TranslateEngine:
    """A translation model by catalog id, name or path, from the cache or loaded now."""

    def load(spec: ModelSpec) -> TranslateEngine:
        from studio.engines.translate import TranslateEngine  # torch and transformers load here

        return TranslateEngine.load(spec, device=device, precision=precision)

    return load_engine("translate", model, catalog, load, device, precision)


def translation_languages(
    model: str, catalog: ModelCatalog | None = None, device: str = "auto"
) -> LanguageSupport:
    """What a model translates (loading it if needed), for language pickers."""
    return load_translate_engine(model, device, catalog=catalog).languages()


def translate(
    engine: TranslateEngine,
    request: TranslateRequest,
    writer: OutputWriter,
    gallery: GalleryStore,
    hashes: HashCache,
    progress: ProgressFn = no_progress,
    cancelled: CancelledFn = lambda: False,
) -> Translation:
    """Translate, then write the file and its gallery row (nothing is written if cancelled)."""
    result = engine.run(request, progress, cancelled)
    model_hash = short_hash(hashes.model_sha256(engine.path))
    hashes.flush()
    record = OutputRecord(
        request=request, seed=0, model_name=engine.name, model_hash=model_hash, run=result.run
    )
    written = save_text(writer, gallery, record, result.text, request.suffix)
    return Translation(written, result.text, result.sentences)
