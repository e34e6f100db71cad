"""Write an output and record it: the file first (atomically), then its gallery row."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studio.core.gallery import GalleryStore
from studio.core.outputs.record import OutputRecord
from studio.core.outputs.writer import OutputWriter


@dataclass
class WrittenOutput:
    path: Path
    record: OutputRecord
    gallery_id: int


def save_bytes(
    writer: OutputWriter, gallery: GalleryStore, record: OutputRecord, data: bytes, suffix: str
) -> WrittenOutput:
    """An encoded file (audio with its tags, an animation, ...)."""
    path, sha256 = writer.write_bytes(data, record, suffix)
    return WrittenOutput(path, record, gallery.add(path, record, sha256))


def save_text(
    writer: OutputWriter,
    gallery: GalleryStore,
    record: OutputRecord,
    text: str,
    suffix: str = ".txt",
) -> WrittenOutput:
    """A text file with a JSON sidecar holding its record and AI label."""
    path, sha256 = writer.write_text(text, record, suffix)
    return WrittenOutput(path, record, gallery.add(path, record, sha256))
