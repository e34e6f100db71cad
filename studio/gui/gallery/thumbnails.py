"""Gallery thumbnails, made off the UI thread and cached on disk by path and mtime.

Images are scaled with Pillow, audio becomes a small waveform, text a rendered snippet.
Workers only touch files and Pillow; the UI thread receives the cached PNG's path (through
the event loop) and loads that small file itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw
from PySide6.QtCore import QObject, Signal

from studio.core.errors import one_line
from studio.core.paths import data_paths
from studio.gui.background import TaskLane

SIZE = 128
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"}
AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".mp3"}
BACKGROUND = (40, 42, 48)
Generator = Callable[[Path, int], Image.Image]


def render_thumbnail(source: Path, size: int = SIZE) -> Image.Image:
    """A size x size (at most) RGB picture of any gallery output; raises OSError if unreadable."""
    suffix = source.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        with Image.open(source) as image:  # a walk .gif gives its first frame
            picture = image.convert("RGB")
        picture.thumbnail((size, size))
        return picture
    if suffix in AUDIO_SUFFIXES:
        return _waveform(source, size)
    return _text_snippet(source, size)


def _waveform(source: Path, size: int) -> Image.Image:
    import numpy as np
    import soundfile

    try:
        data, _ = soundfile.read(source, dtype="float32", always_2d=True)
    except (RuntimeError, soundfile.LibsndfileError) as exc:
        raise OSError(f"unreadable audio {source}: {exc}") from None
    mono = data.mean(axis=1) if data.size else np.zeros(size, dtype="float32")
    picture = Image.new("RGB", (size, size), BACKGROUND)
    draw = ImageDraw.Draw(picture)
    middle = size / 2
    # One vertical line per column from the min to the max of its slice of samples.
    for x, chunk in enumerate(np.array_split(mono, size)):
        if chunk.size:
            top, bottom = float(chunk.max()), float(chunk.min())
            draw.line([(x, middle - top * middle), (x, middle - bottom * middle)], (90, 200, 250))
    return picture


def _text_snippet(source: Path, size: int) -> Image.Image:
    with source.open("r", encoding="utf-8", errors="replace") as handle:
        text = handle.read(400)
    picture = Image.new("RGB", (size, size), (250, 248, 240))
    draw = ImageDraw.Draw(picture)
    lines = [line[:22] for line in text.splitlines() if line.strip()][:10]
    draw.multiline_text((4, 4), "\n".join(lines), fill=(30, 30, 30), spacing=2)
    return picture


def cache_file(folder: Path, source: Path, size: int) -> Path | None:
    """Where the thumbnail of source's current version lives; None if source is missing."""
    try:
        mtime = source.stat().st_mtime_ns
    except OSError:
        return None
    key = hashlib.sha1(f"{source.resolve()}|{mtime}|{size}".encode()).hexdigest()
    return folder / key[:2] / f"{key}.png"


def make_thumbnail(
    source: Path, folder: Path, size: int, generate: Generator
) -> tuple[str, str, str]:
    """(source, cached PNG, "") once the cache holds it, or (source, "", one-line reason).
    Runs on the Thumbnailer's threads."""
    try:
        target = cache_file(folder, source, size)
        if target is None:
            raise OSError(f"missing file {source}")
        if not target.is_file():
            picture = generate(source, size)
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".part")
            picture.save(partial, format="PNG")
            partial.replace(target)  # never leave a half-written thumbnail behind
    except Exception as exc:  # any unreadable file becomes a placeholder, never a crash
        return str(source), "", one_line(exc)
    return str(source), str(target), ""


class Thumbnailer(QObject):
    """Queues thumbnail jobs on a lane of a few threads; emits ready(source, png) or
    failed(source, one-line reason)."""

    ready = Signal(str, str)
    failed = Signal(str, str)

    def __init__(self, folder: Path | None = None, size: int = SIZE,
                 generate: Generator = render_thumbnail, threads: int = 2,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.folder = folder or data_paths().cache / "thumbnails"
        self.size = size
        self.generate = generate
        self.lane = TaskLane("thumbnails", self, threads=threads)
        self._pending: set[str] = set()

    def request(self, source: Path) -> None:
        """Ask for source's thumbnail once; repeated asks while it is queued are ignored."""
        key = str(source)
        if key in self._pending:
            return
        self._pending.add(key)
        self.lane.submit(make_thumbnail, self._made, source, self.folder, self.size,
                         self.generate)  # fmt: skip

    def cancel_pending(self) -> None:
        """Drop queued jobs (a new search made them useless); running ones finish."""
        self.lane.drop_queued()
        self._pending.clear()

    def shutdown(self) -> None:
        self._pending.clear()
        self.lane.close()

    def _made(self, made: tuple[str, str, str]) -> None:
        source, target, reason = made
        self._pending.discard(source)
        if target:
            self.ready.emit(source, target)
        else:
            self.failed.emit(source, reason)
