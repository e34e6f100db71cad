"""Latent walks: numbered PNG frames (each with its own parameters) in a new folder, then
an animated preview beside them whose gallery row carries the whole walk."""

from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING, Any

from studio.core.outputs.atomic import write_atomic
from studio.core.requests import ImageRequest, LatentWalkRequest, UnconditionalRequest
from studio.runtime.recorders import RecordContext, Recorder, WrittenOutput

if TYPE_CHECKING:
    from PIL import Image


class WalkRecorder(Recorder):
    def __init__(self, ctx: RecordContext) -> None:
        super().__init__(ctx)
        self.walk: LatentWalkRequest = ctx.request  # type: ignore[assignment]
        self.frames: list[Image.Image] = []
        self.sampler: str | None = None
        self.folder = ctx.writer.new_folder(self.record(self.walk.seed_at(0)))
        # A batch item writes under fixed names: a resumed one replaces its frames.
        self.replace = ctx.writer.fixed_index is not None

    def add(self, frame: Any) -> list[WrittenOutput]:
        walk = self.walk
        record = self.record(walk.seed_at(frame.key_a), frame.index, frame.sampler,
                             _frame_facts(walk, frame), _frame_request(walk, frame.key_a))  # fmt: skip
        path = self.folder / f"frame-{frame.index + 1:05d}.png"
        write_atomic(path, self.ctx.writer.png(frame.image, record), overwrite=self.replace)
        self.frames.append(frame.image)
        self.sampler = frame.sampler
        return []  # frames are parts of the walk; its preview is the gallery output

    def finish(self) -> list[WrittenOutput]:
        walk, writer = self.walk, self.ctx.writer
        record = self.record(walk.seed_at(0), sampler=self.sampler,
                             run={"frames": len(self.frames), "folder": self.folder.name})  # fmt: skip
        preview = self.folder / "walk.gif"
        data = _gif(self.frames, walk.fps, writer.strip_metadata)
        write_atomic(preview, data, overwrite=self.replace)
        write_atomic(preview.with_name(preview.name + ".json"), writer.sidecar(record),
                     overwrite=self.replace)  # fmt: skip
        return [self.save(preview, record, hashlib.sha256(data).hexdigest())]


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
