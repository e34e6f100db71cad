"""Copies of outputs for sharing, optionally without the metadata that says how they were made.

The studio writes the prompt, seed, model and full record into every PNG (text chunks,
XMP), into audio tags, and beside text outputs (a `.json` sidecar). An export "without
metadata" re-encodes images from their pixels alone, drops WAV/FLAC tag chunks byte for
byte (no re-encoding, no quality loss) and leaves sidecars behind.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

from studio.core.errors import OutputError, one_line
from studio.core.outputs.atomic import ensure_dir, write_atomic

IMAGE_FORMATS = {
    ".png": "PNG", ".gif": "GIF", ".webp": "WEBP", ".jpg": "JPEG", ".jpeg": "JPEG", ".bmp": "BMP",
}  # fmt: skip
# Info keys that change how pixels look or move; everything else (text, EXIF, XMP, comments)
# is provenance and goes.
_KEEP = frozenset({"transparency", "duration", "loop", "background", "icc_profile", "dpi"})
_WAV_TAG_CHUNKS = {b"LIST", b"id3 ", b"ID3 ", b"bext", b"iXML", b"_PMX"}
_FLAC_TAG_BLOCKS = {4, 6}  # VORBIS_COMMENT, PICTURE
_MAX_NAME_TRIES = 1000


def sidecar_of(path: Path) -> Path:
    """Where the writer puts `path`'s record for files that cannot carry it (`<name>.json`)."""
    return path.with_name(path.name + ".json")


def strip_image(source: Path) -> bytes:
    """The image at `source` re-encoded in its own format with no text, EXIF, XMP or comment."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    fmt = IMAGE_FORMATS.get(source.suffix.lower())
    if fmt is None:
        raise OutputError(
            f"cannot strip metadata from {source.name}: not an image the studio reads"
        )
    try:
        with Image.open(source) as image:
            # Copies hold the pixels only; seeking a lazy file would reload its info.
            frames = []
            for frame in ImageSequence.Iterator(image):
                clean = frame.copy()
                clean.info = {k: v for k, v in frame.info.items() if k in _KEEP}
                frames.append(clean)
    except (OSError, UnidentifiedImageError, SyntaxError) as exc:
        raise OutputError(f"cannot read image {source.name}: {one_line(exc)}") from None
    options: dict[str, object] = {"format": fmt}
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:])
    if fmt == "JPEG":
        options.update(quality=95, subsampling=0)
    elif fmt == "WEBP":
        options.update(lossless=True)
    buffer = io.BytesIO()
    try:
        frames[0].save(buffer, **options)
    except (OSError, ValueError) as exc:
        raise OutputError(f"cannot re-encode {source.name}: {one_line(exc)}") from None
    return buffer.getvalue()


def strip_audio(source: Path) -> bytes:
    """WAV or FLAC bytes without their tag chunks/blocks; the audio data is untouched."""
    data = _read(source)
    suffix = source.suffix.lower()
    try:
        if suffix == ".wav":
            return _strip_wav(data)
        if suffix == ".flac":
            return _strip_flac(data)
    except (struct.error, ValueError, IndexError) as exc:
        raise OutputError(f"cannot strip tags from {source.name}: {exc}") from None
    raise OutputError(
        f"cannot strip tags from {suffix or 'extensionless'} audio ({source.name}); "
        "export it with its metadata, or generate WAV or FLAC"
    )


def stripped_bytes(source: Path) -> bytes:
    """`source` without provenance metadata: images re-encoded, WAV/FLAC untagged, text as is."""
    suffix = source.suffix.lower()
    if suffix in IMAGE_FORMATS:
        return strip_image(source)
    if suffix in (".wav", ".flac", ".ogg", ".opus", ".mp3"):
        return strip_audio(source)
    return _read(source)  # text carries its record in the sidecar, which is not copied


def export_output(source: Path, folder: Path, *, strip: bool = False) -> list[Path]:
    """Copy `source` into `folder` under a free name; with its sidecar unless `strip`.

    Returns the written paths (the output first). Raises OutputError in one line and
    leaves nothing half-written.
    """
    if not source.is_file():
        raise OutputError(f"cannot export {source.name}: the file is gone")
    data = stripped_bytes(source) if strip else _read(source)
    ensure_dir(folder)
    target = _write_free(folder, source.name, data)
    written = [target]
    sidecar = sidecar_of(source)
    if not strip and sidecar.is_file():
        written.append(write_atomic(sidecar_of(target), _read(sidecar), overwrite=True))
    return written


def _write_free(folder: Path, name: str, data: bytes) -> Path:
    stem, suffix = Path(name).stem, Path(name).suffix
    for attempt in range(_MAX_NAME_TRIES):
        candidate = folder / (name if attempt == 0 else f"{stem}-{attempt + 1}{suffix}")
        try:
            return write_atomic(candidate, data)
        except FileExistsError:
            continue
    raise OutputError(f"no free file name for {name} in {folder} after {_MAX_NAME_TRIES} tries")


def _strip_wav(data: bytes) -> bytes:
    if data[:4] not in (b"RIFF", b"RF64") or data[8:12] != b"WAVE":
        raise ValueError("not a RIFF/WAVE file")
    if data[:4] == b"RF64":
        raise ValueError("RF64 files are not supported")
    kept, position = [], 12
    while position + 8 <= len(data):
        kind, size = (
            data[position : position + 4],
            struct.unpack("<I", data[position + 4 : position + 8])[0],
        )
        end = position + 8 + size + (size & 1)  # chunks are padded to even sizes
        if kind not in _WAV_TAG_CHUNKS:
            kept.append(data[position : min(end, len(data))])
        position = end
    body = b"WAVE" + b"".join(kept)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _strip_flac(data: bytes) -> bytes:
    if data[:4] != b"fLaC":
        raise ValueError("not a FLAC file")
    blocks, position, last = [], 4, False
    while not last:
        header = data[position]
        last, kind = bool(header & 0x80), header & 0x7F
        size = int.from_bytes(data[position + 1 : position + 4], "big")
        if position + 4 + size > len(data):
            raise ValueError("truncated metadata block")
        if kind not in _FLAC_TAG_BLOCKS:
            blocks.append((kind, data[position + 4 : position + 4 + size]))
        position += 4 + size
    if not blocks or blocks[0][0] != 0:
        raise ValueError("no STREAMINFO block")
    out = [b"fLaC"]
    for number, (kind, body) in enumerate(blocks):
        flag = 0x80 if number == len(blocks) - 1 else 0  # the last kept block ends the headers
        out.append(bytes([flag | kind]) + len(body).to_bytes(3, "big") + body)
    out.append(data[position:])
    return b"".join(out)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise OutputError(f"cannot read {path.name}: {exc.strerror or exc}") from None
