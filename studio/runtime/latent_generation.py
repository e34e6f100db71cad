"""Unconditional images and latent walks, end to end: engine -> files -> gallery rows."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from studio.core.gallery import GalleryStore
from studio.core.outputs.atomic import write_atomic
from studio.core.outputs.record import OutputRecord
from studio.core.outputs.writer import OutputWriter
from studio.core.requests import ImageRequest, LatentWalkRequest, UnconditionalRequest
from studio.engines.contract import CancelledFn, ProgressFn, no_progress
from studio.models.catalog import ModelCatalog
from studio.models.hashing import HashCache, short_hash
from studio.models.spec import resolve
from studio.runtime.loaded_models import load_engine
from studio.runtime.recording import WrittenOutput

if TYPE_CHECKING:
    from PIL import Image

    from studio.engines.unconditional import UnconditionalEngine


def load_unconditional_engine(
    model: str, device: str = "auto", precision: str = "auto", catalog: ModelCatalog | None = None
) -> UnconditionalEngine:
    def load(spec: Any) -> UnconditionalEngine:
        from studio.engines.unconditional import UnconditionalEngine

        return UnconditionalEngine.load(spec, device=device, precision=precision)

    return load_engine("image-unconditional", model, catalog, load, device, precision)


def load_walk_engine(
    model: str, device: str = "auto", precision: str = "auto", catalog: ModelCatalog | None = None
) -> Any:
    """The engine a walk runs on: unconditional or text-to-image, whichever the model is."""
    from studio.runtime.loaded_models import load_image_engine

    if resolve(model, catalog).task == "image-unconditional":
        return load_unconditional_engine(model, device, precision, catalog)
    return load_image_engine(model, device, precision, catalog)


def generate_unconditional(
    engine: UnconditionalEngine, request: UnconditionalRequest, writer: OutputWriter,
    gallery: GalleryStore, hashes: HashCache, progress: ProgressFn = no_progress,
    cancelled: CancelledFn = lambda: False,
    on_output: Callable[[WrittenOutput], None] = lambda written: None,
) -> list[WrittenOutput]:  # fmt: skip
    model_hash = _model_hash(hashes, engine)
    written = []
    for batch in engine.iter_batches(request, progress, cancelled):
        for generated in batch:
            record = OutputRecord(request, generated.seed, generated.index, engine.name, model_hash,
                                  generated.sampler, run=generated.run)  # fmt: skip
            path, sha256 = writer.write_image(generated.image, record)
            item = WrittenOutput(path, record, gallery.add(path, record, sha256))
            written.append(item)
            on_output(item)
    return written


def generate_walk(
    engine: Any, request: LatentWalkRequest, writer: OutputWriter, gallery: GalleryStore,
    hashes: HashCache, progress: ProgressFn = no_progress, cancelled: CancelledFn = lambda: False,
) -> WrittenOutput:  # fmt: skip
    """Numbered PNG frames (each with its own parameters) in a new folder, then an animated
    preview beside them; the preview's gallery row carries the whole walk."""
    from studio.engines.walk import iter_walk

    model_hash = _model_hash(hashes, engine)
    walk_record = OutputRecord(
        request, request.seed_at(0), model_name=engine.name, model_hash=model_hash
    )
    folder = writer.new_folder(walk_record)
    frames: list[Image.Image] = []
    for frame in iter_walk(engine, request, progress, cancelled):
        record = OutputRecord(_frame_request(request, frame.key_a), request.seed_at(frame.key_a),
                              frame.index, engine.name, model_hash, frame.sampler,
                              run=_frame_facts(request, frame))  # fmt: skip
        write_atomic(folder / f"frame-{frame.index + 1:05d}.png", writer.png(frame.image, record))
        frames.append(frame.image)
    preview = folder / "walk.gif"
    record = OutputRecord(request, request.seed_at(0), model_name=engine.name, model_hash=model_hash,
                          sampler=(frames and frame.sampler) or None,
                          run={"frames": len(frames), "folder": folder.name})  # fmt: skip
    write_atomic(preview, _gif(frames, request.fps, writer.strip_metadata))
    write_atomic(preview.with_name(preview.name + ".json"), writer.sidecar(record))
    sha256 = hashlib.sha256(preview.read_bytes()).hexdigest()
    return WrittenOutput(preview, record, gallery.add(preview, record, sha256))


def _frame_request(request: LatentWalkRequest, key: int) -> ImageRequest | UnconditionalRequest:
    if not request.prompts:
        return UnconditionalRequest(model=request.model, steps=request.steps, seed=request.seed_at(key),
                                    sampler=request.sampler)  # fmt: skip
    return ImageRequest(
        model=request.model, prompt=request.prompt_at(key), negative_prompt=request.negative_prompt,
        width=request.width, height=request.height, steps=request.steps, guidance=request.guidance,
        sampler=request.sampler, seed=request.seed_at(key),
    )  # fmt: skip


def _frame_facts(request: LatentWalkRequest, frame: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "walk_frame": frame.index,
        "walk_keys": [frame.key_a, frame.key_b],
        "walk_t": round(frame.t, 6),
    }
    if frame.t:
        facts["variation_seed"] = request.seed_at(frame.key_b)
        facts["variation_strength"] = round(frame.t, 4)
        if request.prompt_at(frame.key_b) != request.prompt_at(frame.key_a):
            facts["prompt_b"] = request.prompt_at(frame.key_b)
    return facts


def _gif(frames: list[Image.Image], fps: int, stripped: bool) -> bytes:
    # A stripped walk's sidecar holds the label alone: the comment must not promise parameters.
    comment = b"AI-generated (latent walk)" + (
        b"" if stripped else b"; parameters in walk.gif.json"
    )
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:],
                   duration=max(1, round(1000 / fps)), loop=0, comment=comment)  # fmt: skip
    return buffer.getvalue()


def _model_hash(hashes: HashCache, engine: Any) -> str:
    path = engine.loaded.path if hasattr(engine, "loaded") else engine.path
    value = short_hash(hashes.model_sha256(path))
    hashes.flush()
    return value
