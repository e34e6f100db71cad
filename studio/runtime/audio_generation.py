"""Run a MusicRequest or SpeechRequest end to end: engine -> tagged audio file -> gallery row.

The format is checked against the model's sample rate before generating, so a
format this installation (or this rate) cannot write fails in one line and loses
nothing; a cancelled generation writes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studio.core.gallery import GalleryStore
from studio.core.outputs.atomic import write_atomic
from studio.core.outputs.record import OutputRecord
from studio.core.outputs.writer import OutputWriter
from studio.core.requests.audio import MusicRequest, SpeechRequest
from studio.engines.contract import CancelledFn, ProgressFn, no_progress
from studio.models.catalog import ModelCatalog
from studio.models.hashing import HashCache, short_hash
from studio.models.spec import ModelSpec
from studio.runtime.audio_files import audio_tags, check_writable, encode_audio
from studio.runtime.loaded_models import load_engine
from studio.runtime.recording import WrittenOutput, save_bytes

if TYPE_CHECKING:
    from studio.engines.music import MusicEngine
    from studio.engines.speech.engine import SpeechEngine


def load_music_engine(
    model: str, device: str = "auto", precision: str = "auto", catalog: ModelCatalog | None = None
) -> MusicEngine:
    """A music model (MusicGen, AudioLDM 2, Stable Audio) by catalog id, name or path."""

    def load(spec: ModelSpec) -> MusicEngine:
        from studio.engines.music import load_music_engine as load_for  # torch loads here

        return load_for(spec, device, precision)

    return load_engine("music", model, catalog, load, device, precision)


def load_speech_engine(
    model: str, device: str = "auto", precision: str = "auto",
    catalog: ModelCatalog | None = None, vocoder: str | None = None,
) -> SpeechEngine:  # fmt: skip
    """A speech model (VITS/MMS-TTS, SpeechT5 + vocoder, Bark) by catalog id, name or path."""

    def load(spec: ModelSpec) -> SpeechEngine:
        from studio.engines.speech.engine import SpeechEngine  # torch loads here

        return SpeechEngine.load(spec, device, precision, vocoder=vocoder)

    return load_engine("speech", model, catalog, load, device, precision, vocoder or "")


def generate_music(
    engine: MusicEngine, request: MusicRequest, writer: OutputWriter, gallery: GalleryStore,
    hashes: HashCache, progress: ProgressFn = no_progress,
    cancelled: CancelledFn = lambda: False,
) -> WrittenOutput:  # fmt: skip
    """Generate one clip, write it with its tags, record it in the gallery."""
    check_writable(request.format, engine.sample_rate, engine.channels)
    engine.check(request)
    clip = engine.generate(request, progress, cancelled)
    return _save(engine, request, clip, writer, gallery, hashes)


def generate_speech(
    engine: SpeechEngine, request: SpeechRequest, writer: OutputWriter, gallery: GalleryStore,
    hashes: HashCache, progress: ProgressFn = no_progress,
    cancelled: CancelledFn = lambda: False,
) -> WrittenOutput:  # fmt: skip
    """Speak the text (sentence by sentence), write the file, record it in the gallery."""
    check_writable(request.format, engine.sample_rate, engine.channels)
    clip = engine.generate(request, progress, cancelled)
    return _save(engine, request, clip, writer, gallery, hashes)


def _save(
    engine: Any, request: MusicRequest | SpeechRequest, clip: Any, writer: OutputWriter,
    gallery: GalleryStore, hashes: HashCache,
) -> WrittenOutput:  # fmt: skip
    model_hash = short_hash(hashes.model_sha256(engine.path))
    hashes.flush()
    run = {**clip.run, "sample_rate": clip.sample_rate, "channels": clip.channels,
           "duration": round(clip.seconds, 3)}  # fmt: skip
    record = OutputRecord(
        request=request, seed=clip.seed, model_name=engine.name, model_hash=model_hash, run=run
    )
    fmt = check_writable(request.format, clip.sample_rate, clip.channels)
    tags = audio_tags(record, fmt, strip_metadata=writer.strip_metadata)
    written = save_bytes(
        writer, gallery, record, encode_audio(clip.audio, clip.sample_rate, fmt, tags), fmt.suffix
    )
    if not tags.complete:  # the tags could not hold the whole record: it goes beside the file
        sidecar = written.path.with_name(written.path.name + ".json")
        write_atomic(sidecar, writer.sidecar(record))
    return written
