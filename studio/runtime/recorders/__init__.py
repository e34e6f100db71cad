"""Recorders: how each modality's outputs become files and gallery rows.

The job path hands a recorder every output its engine yields (`add`), then asks for
what only the whole run makes (`finish`: a walk's animation). Each file is written
atomically before its gallery row; what is written comes back at once, with the sha256
computed while writing, so listeners and batch manifests never re-read a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.gallery import GalleryStore
from studio.core.outputs.record import OutputRecord
from studio.core.outputs.writer import OutputWriter
from studio.core.requests.base import Request


@dataclass
class WrittenOutput:
    path: Path
    record: OutputRecord
    gallery_id: int | None  # None for files that are not gallery outputs (a conversation)
    sha256: str


@dataclass
class RecordContext:
    """What a recorder needs to know about the run; `extras` are a front end's choices
    (the CLI's conversation file, a fill-in-the-middle file's extension)."""

    request: Request
    engine: Any  # an studio.engines.contract.Engine
    writer: OutputWriter
    gallery: GalleryStore
    model_hash: str
    extras: dict[str, Any] = field(default_factory=dict)


class Recorder:
    """Base: subclasses implement add(); begin() checks before the engine runs."""

    def __init__(self, ctx: RecordContext) -> None:
        self.ctx = ctx

    def begin(self) -> None:
        """Refuse what cannot be written before any work is done (an audio format)."""

    def add(self, output: Any) -> list[WrittenOutput]:
        raise NotImplementedError

    def finish(self) -> list[WrittenOutput]:
        return []

    def record(self, seed: int, index: int = 0, sampler: str | None = None,
               run: dict[str, Any] | None = None, request: Request | None = None,
               created: str | None = None) -> OutputRecord:  # fmt: skip
        """The record of one output of this run: the one place an OutputRecord is built."""
        ctx = self.ctx
        extra = {"created": created} if created else {}
        return OutputRecord(
            request=request or ctx.request, seed=seed, index=index, model_name=ctx.engine.name,
            model_hash=ctx.model_hash, sampler=sampler, run=dict(run or {}), **extra,
        )  # fmt: skip

    def save(self, path: Path, record: OutputRecord, sha256: str) -> WrittenOutput:
        """A file now on disk, recorded in the gallery (the row follows the file)."""
        return WrittenOutput(path, record, self.ctx.gallery.add(path, record, sha256), sha256)

    def save_text(self, text: str, record: OutputRecord, suffix: str) -> WrittenOutput:
        """A text file with its JSON sidecar (record and AI label)."""
        return self._saved(self.ctx.writer.write_text(text, record, suffix), record)

    def save_bytes(self, data: bytes, record: OutputRecord, suffix: str) -> WrittenOutput:
        """An encoded file (audio with its tags, ...)."""
        return self._saved(self.ctx.writer.write_bytes(data, record, suffix), record)

    def _saved(self, written: tuple[Path, str], record: OutputRecord) -> WrittenOutput:
        return self.save(written[0], record, written[1])
