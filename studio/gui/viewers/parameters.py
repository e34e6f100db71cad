"""How an output was made, read from its gallery record, as rows a person can read.

The gallery row holds the full OutputRecord; rows written without one (older or
imported outputs) fall back to the `<name>.json` sidecar beside the file.
"""

from __future__ import annotations

import html
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from studio.core.gallery.store import GalleryEntry
from studio.core.outputs.strip import sidecar_of
from studio.core.requests import request_from_dict
from studio.core.requests.base import Request

SIDECAR_LIMIT = 1 << 20
# Request fields shown first, in this order; the rest follow by name.
_LEADING = ("prompt", "text", "negative_prompt", "system", "mode", "source", "target",
            "language", "steps", "guidance", "strength", "seconds", "format", "init_image",
            "mask_image")  # fmt: skip
_SHOWN_ELSEWHERE = {"model", "seed", "sampler", "width", "height"}


# Labels of request fields and run facts (lupdate reads the marks; _label translates);
# a key without one is shown as its own name, capitalized.
_LABELS = {
    "prompt": QT_TRANSLATE_NOOP("ViewerParameters", "Prompt"),
    "text": QT_TRANSLATE_NOOP("ViewerParameters", "Text"),
    "negative_prompt": QT_TRANSLATE_NOOP("ViewerParameters", "Negative prompt"),
    "system": QT_TRANSLATE_NOOP("ViewerParameters", "System prompt"),
    "mode": QT_TRANSLATE_NOOP("ViewerParameters", "Mode"),
    "source": QT_TRANSLATE_NOOP("ViewerParameters", "From"),
    "target": QT_TRANSLATE_NOOP("ViewerParameters", "To"),
    "steps": QT_TRANSLATE_NOOP("ViewerParameters", "Steps"),
    "guidance": QT_TRANSLATE_NOOP("ViewerParameters", "Guidance"),
    "strength": QT_TRANSLATE_NOOP("ViewerParameters", "Strength"),
    "seconds": QT_TRANSLATE_NOOP("ViewerParameters", "Seconds"),
    "init_image": QT_TRANSLATE_NOOP("ViewerParameters", "Source image"),
    "mask_image": QT_TRANSLATE_NOOP("ViewerParameters", "Mask"),
    "model": QT_TRANSLATE_NOOP("ViewerParameters", "Model"),
    "seed": QT_TRANSLATE_NOOP("ViewerParameters", "Seed"),
    "sampler": QT_TRANSLATE_NOOP("ViewerParameters", "Sampler"),
    "size": QT_TRANSLATE_NOOP("ViewerParameters", "Size"),
    "created": QT_TRANSLATE_NOOP("ViewerParameters", "Created"),
    "file": QT_TRANSLATE_NOOP("ViewerParameters", "File"),
    "language": QT_TRANSLATE_NOOP("ViewerParameters", "Language"),
    "format": QT_TRANSLATE_NOOP("ViewerParameters", "Format"),
    "loras": QT_TRANSLATE_NOOP("ViewerParameters", "LoRAs"),
    "embeddings": QT_TRANSLATE_NOOP("ViewerParameters", "Embeddings"),
    "batch_size": QT_TRANSLATE_NOOP("ViewerParameters", "Batch size"),
    "batch_count": QT_TRANSLATE_NOOP("ViewerParameters", "Batch count"),
    "history": QT_TRANSLATE_NOOP("ViewerParameters", "History"),
    "temperature": QT_TRANSLATE_NOOP("ViewerParameters", "Temperature"),
    "top_p": QT_TRANSLATE_NOOP("ViewerParameters", "Top p"),
    "top_k": QT_TRANSLATE_NOOP("ViewerParameters", "Top k"),
    "min_p": QT_TRANSLATE_NOOP("ViewerParameters", "Min p"),
    "max_new_tokens": QT_TRANSLATE_NOOP("ViewerParameters", "Max new tokens"),
    "repetition_penalty": QT_TRANSLATE_NOOP("ViewerParameters", "Repetition penalty"),
    "stop": QT_TRANSLATE_NOOP("ViewerParameters", "Stop sequences"),
    "beams": QT_TRANSLATE_NOOP("ViewerParameters", "Beams"),
    "melody": QT_TRANSLATE_NOOP("ViewerParameters", "Melody"),
    "continue_from": QT_TRANSLATE_NOOP("ViewerParameters", "Continue from"),
    "speaker": QT_TRANSLATE_NOOP("ViewerParameters", "Speaker"),
    "vocoder": QT_TRANSLATE_NOOP("ViewerParameters", "Vocoder"),
    "pause": QT_TRANSLATE_NOOP("ViewerParameters", "Pause (s)"),
    "prefix": QT_TRANSLATE_NOOP("ViewerParameters", "Prefix"),
    "suffix": QT_TRANSLATE_NOOP("ViewerParameters", "Suffix"),
    "frames": QT_TRANSLATE_NOOP("ViewerParameters", "Frames"),
    "fps": QT_TRANSLATE_NOOP("ViewerParameters", "Frames per second"),
    "loop": QT_TRANSLATE_NOOP("ViewerParameters", "Loop"),
    "device": QT_TRANSLATE_NOOP("ViewerParameters", "Device"),
    "dtype": QT_TRANSLATE_NOOP("ViewerParameters", "Precision"),
    "family": QT_TRANSLATE_NOOP("ViewerParameters", "Family"),
    "sentences": QT_TRANSLATE_NOOP("ViewerParameters", "Sentences"),
    "tokens": QT_TRANSLATE_NOOP("ViewerParameters", "Tokens"),
    "prompt_tokens": QT_TRANSLATE_NOOP("ViewerParameters", "Prompt tokens"),
    "finish_reason": QT_TRANSLATE_NOOP("ViewerParameters", "Finish reason"),
    "template": QT_TRANSLATE_NOOP("ViewerParameters", "Chat template"),
    "duration": QT_TRANSLATE_NOOP("ViewerParameters", "Duration (s)"),
    "sample_rate": QT_TRANSLATE_NOOP("ViewerParameters", "Sample rate"),
    "channels": QT_TRANSLATE_NOOP("ViewerParameters", "Channels"),
    "pipeline": QT_TRANSLATE_NOOP("ViewerParameters", "Pipeline"),
    "notes": QT_TRANSLATE_NOOP("ViewerParameters", "Notes"),
    "dropped_messages": QT_TRANSLATE_NOOP("ViewerParameters", "Dropped messages"),
    "code_block": QT_TRANSLATE_NOOP("ViewerParameters", "Code block"),
    "reply": QT_TRANSLATE_NOOP("ViewerParameters", "Reply"),
    "folder": QT_TRANSLATE_NOOP("ViewerParameters", "Folder"),
}


def _label(key: str) -> str:
    label = _LABELS.get(key)
    if label is None:
        return key.replace("_", " ").capitalize()
    return QCoreApplication.translate("ViewerParameters", label)


def record_of(entry: GalleryEntry) -> dict[str, Any]:
    """The entry's record; its sidecar's when the row has none; {} when neither is readable."""
    if entry.record.get("request"):
        return entry.record
    try:
        sidecar = sidecar_of(entry.path)
        if sidecar.stat().st_size <= SIDECAR_LIMIT:
            data = json.loads(sidecar.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
    except (OSError, ValueError):
        pass
    return entry.record


def request_of(record: dict[str, Any]) -> Request:
    """The record's request with the seed this output used (reuse makes the same output).

    Raises ValidationError (one line) for a record this version cannot read.
    """
    request = request_from_dict(record.get("request") or {})
    seed = record.get("seed")
    if hasattr(request, "seed") and isinstance(seed, int) and seed >= 0:
        request = request.replace(seed=seed)
    return request


def source_image(record: dict[str, Any], output: Path) -> Path | None:
    """The img2img/inpaint source image of an output, when its request names one."""
    request = record.get("request") or {}
    value = request.get("init_image")
    if request.get("mode") not in ("img2img", "inpaint") or not isinstance(value, str):
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else output.parent / path


def parameter_rows(entry: GalleryEntry, record: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs: the prompt first, then model, seed, sampler, size, the rest."""
    request = dict(record.get("request") or {})
    rows: list[tuple[str, str]] = []
    if request.get("mode") == "txt2img":
        request.pop("strength", None)  # only image-to-image uses it
    for key in _LEADING:
        if key in request:
            rows.append((_label(key), _text(request.pop(key))))
    if not request and entry.prompt:
        rows.append((_label("prompt"), entry.prompt))
    model = record.get("model_name") or request.get("model") or entry.model
    if record.get("model_hash"):
        model = f"{model} [{record['model_hash']}]"
    rows.append((_label("model"), _text(model)))
    seed = record.get("seed", entry.seed)
    rows.append((_label("seed"), _text(seed)))
    rows.append((_label("sampler"), _text(record.get("sampler") or request.get("sampler"))))
    if request.get("width") and request.get("height"):
        rows.append((_label("size"), f"{request['width']} × {request['height']}"))
    for key in sorted(set(request) - _SHOWN_ELSEWHERE - {"type", "schema"}):
        value = request[key]
        if key.startswith("batch_") and value == 1:
            continue  # the default says nothing about this output
        if key == "history" and isinstance(value, list) and value:
            value = QCoreApplication.translate("ViewerParameters", "{count} earlier messages")
            value = value.format(count=len(request[key]))
        rows.append((_label(key), _text(value)))
    for key, value in sorted((record.get("run") or {}).items()):
        rows.append((_label(key), _text(value)))
    rows.append((_label("created"), _local_time(record.get("created") or entry.created)))
    rows.append((_label("file"), str(entry.path)))
    return [(label, value) for label, value in rows if value]


def parameters_html(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='color: gray; padding-right: 8px'>{html.escape(label)}</td>"
        f"<td>{html.escape(value).replace(chr(10), '<br>')}</td></tr>"
        for label, value in rows
    )
    return f"<table cellspacing='0' cellpadding='1'>{cells}</table>"


def _local_time(stamp: str) -> str:
    """An ISO time in the viewer's own time zone, to the second ("" stays "")."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp or "")
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _text(value: object) -> str:
    if value is None or value == "" or value == [] or value == ():
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
