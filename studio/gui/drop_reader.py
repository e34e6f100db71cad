"""What a dropped file says: the request that made it, read from its metadata.

Ours (the PNG record, a text or audio output's `.json` sidecar, a saved request),
AUTOMATIC1111's (PNG `parameters`, JPEG/WebP EXIF UserComment) and ComfyUI's (PNG
`prompt` graph), through studio.core.outputs.reader. read_dropped touches only the
file (run it off the GUI thread); restore_request then matches the model the file
names against the catalog: a model that is not here keeps the current one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from studio.core.errors import ModelError, StudioError, ValidationError
from studio.core.outputs.reader import RestoredParameters, read_parameters
from studio.core.outputs.record import OutputRecord
from studio.core.requests import request_from_dict
from studio.core.requests.base import Request
from studio.models.catalog import ModelCatalog

AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".mp3"}
ADAPTER_KINDS = {"lora", "embedding", "vae", "peft"}


@dataclass(frozen=True)
class DroppedFile:
    """What a dropped file says; read off the GUI thread, no catalog involved yet."""

    path: Path
    request: Request | None = None  # ours: the complete request
    restored: RestoredParameters | None = None  # parameters read from an image's metadata
    model_name: str | None = None  # the model the file names, to look up here
    model_hash: str | None = None
    is_image: bool = False  # can serve as an init image or a mask
    problem: str = ""  # one line when no parameters could be read


def read_dropped(path: Path) -> DroppedFile:
    """The parameters a file carries (pure: no Qt, no catalog; slow only for big files)."""
    name = path.name
    if not path.is_file():
        text = QCoreApplication.translate("Drop", "cannot read {0}: not a file")
        return DroppedFile(path, problem=text.format(name))
    sidecar = path.with_name(path.name + ".json")
    if path.suffix.lower() == ".json":
        return _from_json(path, path)
    if sidecar.is_file():  # text and translation outputs keep their record beside them
        return _from_json(path, sidecar)
    if path.suffix.lower() in AUDIO_SUFFIXES:
        return _from_audio(path)
    try:
        restored = read_parameters(path)
    except StudioError:
        if _readable_image(path):
            return _no_parameters(path, is_image=True)
        text = QCoreApplication.translate("Drop", "cannot read {0}: not an image, or damaged")
        return DroppedFile(path, problem=text.format(name))
    if restored.record is not None:
        return _from_record(path, restored.record, is_image=True)
    return DroppedFile(path, restored=restored, model_name=restored.model_name,
                       model_hash=restored.model_hash, is_image=True)  # fmt: skip


def _from_json(path: Path, source: Path) -> DroppedFile:
    """A record (`.json` sidecar) or a bare request (a saved request file)."""
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("request"), dict):
            return _from_record(path, OutputRecord.from_dict(data))
        if isinstance(data, dict) and "type" in data:
            return DroppedFile(path, request=request_from_dict(data))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, StudioError):
        pass
    return _no_parameters(path)


def _from_audio(path: Path) -> DroppedFile:
    from studio.runtime.audio_files import read_audio_record  # numpy and soundfile: only here

    try:
        data = read_audio_record(path)
        if data is not None:
            return _from_record(path, OutputRecord.from_dict(data))
    except (RuntimeError, OSError, ValueError, KeyError, TypeError, StudioError):
        pass
    return _no_parameters(path)


def _no_parameters(path: Path, is_image: bool = False) -> DroppedFile:
    text = QCoreApplication.translate("Drop", "no generation parameters in {0}")
    return DroppedFile(path, is_image=is_image, problem=text.format(path.name))


def _from_record(path: Path, record: OutputRecord, is_image: bool = False) -> DroppedFile:
    request = record.request
    if hasattr(request, "seed") and record.seed >= 0:
        request = request.replace(seed=record.seed)  # the seed this output really used
    return DroppedFile(path, request=request, model_name=record.model_name or None,
                       model_hash=record.model_hash, is_image=is_image)  # fmt: skip


def _readable_image(path: Path) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.load()
    except (OSError, UnidentifiedImageError, ValueError):
        return False
    return True


def find_model(
    catalog: ModelCatalog, task: str, refs: Iterable[str | None], short_hash: str | None
) -> str | None:
    """The reference to use here for a model a file names, or None when it is not here.

    A reference that still resolves is kept; a name, a file name (ComfyUI names the
    checkpoint file) or the A1111 short hash found in the catalog gives its id.
    """
    want = _model_task(task)
    refs = [ref for ref in refs if ref]
    names = {ref for ref in refs if not ref.isdigit()}
    for ref in refs:
        if Path(ref).expanduser().exists():
            return ref
        for candidate in dict.fromkeys((ref, Path(ref).stem, Path(ref.replace("\\", "/")).stem)):
            try:
                entry = catalog.find(candidate)
            except ModelError:
                continue
            # An id from another machine names some other model here: trust it by name only.
            if candidate.isdigit() and names and entry.name not in names:
                continue
            if entry.task == want and entry.kind not in ADAPTER_KINDS:
                return ref if candidate == ref else str(entry.id)
    if short_hash:
        for entry in catalog.entries(want):
            if entry.short_hash == short_hash.lower() and entry.kind not in ADAPTER_KINDS:
                return str(entry.id)
    return None


def restore_request(
    dropped: DroppedFile, catalog: ModelCatalog, current_model: str = ""
) -> tuple[Request, str]:
    """(request, note) for a dropped file that carries parameters; the note is one line
    ("model X not found; kept the current model") or empty. ValidationError if the
    parameters make no valid request."""
    request = dropped.request
    task = request.TYPE if request is not None else "image"
    named = getattr(request, "model", None)
    found = find_model(catalog, task, (named, dropped.model_name), dropped.model_hash)
    shown = dropped.model_name or named or QCoreApplication.translate("Drop", "(unnamed)")
    note, model = "", found
    if found is None:
        model = current_model or named or dropped.model_name or ""
        note = (
            QCoreApplication.translate(
                "Drop", "model {0} not found; kept the current model"
            ).format(shown)
            if current_model
            else QCoreApplication.translate(
                "Drop", "model {0} not found; choose a model in the Models dock"
            ).format(shown)
        )
    if request is not None:
        return (request.replace(model=model) if model else request), note
    assert dropped.restored is not None
    # One line: the model first, else what could not be mapped (an unknown sampler...).
    note = note or next(iter(dropped.restored.notes), "")
    return dropped.restored.to_request(model=model or "-"), note


def _model_task(task: str) -> str:
    """The catalog task of the models a request type runs on (code: text models)."""
    from studio.core.modalities import modality

    try:
        return modality(task).model_tasks[0]
    except ValidationError:
        return task
