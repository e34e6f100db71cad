"""Encode generated audio to WAV, FLAC, OGG (Vorbis/Opus) or MP3 in memory, with tags.

Every file carries its title (the prompt or text), the generator, the date, and in
its comment an "AI-generated" label followed by the full record as JSON. Where a
format's tags cannot hold the whole record (WAV's INFO strings stop near 2 KB), the
comment says so and the caller writes the record beside the file. With the privacy
setting (stripped metadata) only the label is written: a generic title, the generator
and the IPTC source type, nothing of the request.
"""

from __future__ import annotations

import io
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from studio.core.errors import OutputError, one_line
from studio.core.outputs.record import GENERATOR, OutputRecord
from studio.core.outputs.xmp import TRAINED_ALGORITHMIC

AI_LABEL = "AI-generated."
SIDECAR_NOTE = f"{AI_LABEL} The full record is in the .json file beside this one."
_TITLE_CHARS = 200
_MPEG_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)


@dataclass(frozen=True)
class AudioFormat:
    name: str
    suffix: str
    container: str  # libsndfile major format
    subtype: str
    rates: tuple[int, ...] | None  # None: any rate
    comment_bytes: int  # the longest comment tag that reads back intact (measured)


FORMATS = {
    f.name: f
    for f in (
        AudioFormat("wav", ".wav", "WAV", "PCM_16", None, 2000),
        AudioFormat("flac", ".flac", "FLAC", "PCM_16", None, 30_000),
        AudioFormat("ogg", ".ogg", "OGG", "VORBIS", None, 30_000),
        AudioFormat("opus", ".opus", "OGG", "OPUS", (8000, 12000, 16000, 24000, 48000), 30_000),
        AudioFormat("mp3", ".mp3", "MP3", "MPEG_LAYER_III", _MPEG_RATES, 30_000),
    )
}


@dataclass(frozen=True)
class AudioTags:
    title: str
    software: str
    comment: str
    date: str
    complete: bool  # False: the record did not fit and belongs in a sidecar


def _libsndfile_version() -> tuple[int, ...]:
    digits = sf.__libsndfile_version__.split("-")[0].split(".")
    return tuple(int(d) for d in digits if d.isdigit())


def check_writable(name: str, sample_rate: int, channels: int = 1) -> AudioFormat:
    """The format, if this installation can write it at this rate; else one line why not."""
    if name not in FORMATS:
        raise OutputError(f"unknown audio format {name!r} (use {', '.join(FORMATS)})")
    fmt = FORMATS[name]
    writable = fmt.container in sf.available_formats() and fmt.subtype in sf.available_subtypes(
        fmt.container
    )
    if fmt.name == "mp3" and _libsndfile_version() < (1, 1):
        writable = False
    if not writable:
        need = " (MP3 needs libsndfile 1.1 or newer)" if fmt.name == "mp3" else ""
        raise OutputError(
            f"this installation's libsndfile {sf.__libsndfile_version__} cannot write "
            f"{name} files{need}; use {_others(name)}"
        )
    if fmt.rates is not None and sample_rate not in fmt.rates:
        rates = ", ".join(f"{r / 1000:g}" for r in fmt.rates)
        raise OutputError(
            f"{name} files take {rates} kHz audio, but this model makes {sample_rate / 1000:g} kHz; "
            f"use {_others(name)}"
        )
    if fmt.name == "mp3" and channels > 2:
        raise OutputError(f"mp3 files hold at most 2 channels (this audio has {channels})")
    return fmt


def _others(name: str) -> str:
    return ", ".join(f for f in FORMATS if f != name and f != "opus")


def audio_tags(
    record: OutputRecord, fmt: AudioFormat, *, strip_metadata: bool = False
) -> AudioTags:
    """Title, software, date and the labelled record; MP3 (ID3 via LAME) gets ASCII only.

    `strip_metadata` keeps the AI label alone (as PNGs do): no prompt, no record, no date."""
    if strip_metadata:
        return AudioTags(
            title=f"AI-generated {record.request.TYPE}", software=GENERATOR,
            comment=f"{AI_LABEL} IPTC DigitalSourceType: {TRAINED_ALGORITHMIC}",
            date="", complete=True,
        )  # fmt: skip
    ascii_only = fmt.name == "mp3"  # libsndfile hands UTF-8 to LAME, which writes Latin-1
    title = record.request.search_text()
    if ascii_only:
        title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    title = " ".join(title.split()) or f"AI-generated {record.request.TYPE}"
    if len(title) > _TITLE_CHARS:
        ellipsis = "..." if ascii_only else "…"
        title = title[: _TITLE_CHARS - len(ellipsis)] + ellipsis
    data = {"ai_generated": True, "digital_source_type": TRAINED_ALGORITHMIC, **record.to_dict()}
    body = json.dumps(data, ensure_ascii=ascii_only, sort_keys=True, separators=(",", ":"))
    comment = f"{AI_LABEL} {body}"
    complete = len(comment.encode("utf-8")) <= fmt.comment_bytes
    return AudioTags(
        title=title, software=GENERATOR, comment=comment if complete else SIDECAR_NOTE,
        date=record.created[:10], complete=complete,
    )  # fmt: skip


def encode_audio(audio: np.ndarray, sample_rate: int, fmt: AudioFormat, tags: AudioTags) -> bytes:
    """`audio` is float (samples, channels) in [-1, 1]; louder samples are clipped."""
    if audio.ndim == 1:
        audio = audio[:, None]
    if audio.ndim != 2 or audio.shape[0] == 0:
        raise OutputError(f"no audio to write (shape {audio.shape})")
    samples = np.clip(np.nan_to_num(audio.astype(np.float32)), -1.0, 1.0)
    buffer = io.BytesIO()
    try:
        with sf.SoundFile(
            buffer, "w", sample_rate, samples.shape[1], subtype=fmt.subtype, format=fmt.container
        ) as out:
            out.title, out.software, out.comment = tags.title, tags.software, tags.comment
            if tags.date:  # stripped files carry no date
                out.date = tags.date
            out.write(samples)
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        raise OutputError(f"cannot encode {fmt.name} audio: {one_line(exc)}") from None
    return buffer.getvalue()


def read_audio_record(source: Path | bytes) -> dict[str, Any] | None:
    """The record a file's comment carries, or None (no comment, or only the sidecar note)."""
    handle: Any = io.BytesIO(source) if isinstance(source, bytes) else source
    with sf.SoundFile(handle) as audio:
        comment = audio.comment or ""
    start = comment.find("{")
    if not comment.startswith(AI_LABEL) or start < 0:
        return None
    try:
        data = json.loads(comment[start:])
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None
