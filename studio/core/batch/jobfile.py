"""load_job_file: a job file (and optionally an input folder) to a validated BatchPlan.

Everything is checked before anything runs: a bad row stops the whole batch with
"FILE:LINE: what is wrong". Seeds and prompt choices derive from the file's hash and
the item's index, so loading the same file again gives the same plan, item for item.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from studio.core.batch import formats
from studio.core.batch.fields import Draft, field_kinds, required_fields
from studio.core.batch.inputs import over_folder
from studio.core.batch.items import (
    MAX_SEED,
    BatchItem,
    BatchPlan,
    Grid,
    a_task,
    derive_seed,
    file_error,
    item_id,
)
from studio.core.batch.prompts import PromptExpander
from studio.core.batch.sweep import MAX_ITEMS, read_sweep
from studio.core.errors import ValidationError
from studio.core.modalities import modality

SUFFIXES = (".txt", ".csv", ".jsonl", ".toml", ".yaml", ".yml")


def load_job_file(
    path: Path, *, model: str | None = None, input_dir: Path | None = None
) -> BatchPlan:
    """The plan of a job file; BatchFileError ("FILE:LINE: ...") for anything wrong.

    `model` is the model of items that name none; it also replaces a sweep's [base]
    model (items, rows and axes that name a model keep theirs). A .txt file needs it.
    With `input_dir`, every item runs over each image (img2img) or, for translate
    items, each document in that folder: the job file gives the settings.
    """
    path = Path(path)
    data = _read_bytes(path)
    fingerprint = hashlib.sha256(data + (f"\0model={model}".encode() if model else b"")).hexdigest()
    drafts, grid, wildcards = _drafts(path, formats.decode(data, path), model)
    if input_dir is not None:
        if grid is not None:
            raise file_error(path, None, "a grid cannot run over an input folder")
        drafts = over_folder(drafts, Path(input_dir), path)
    if not drafts:
        raise file_error(path, None, "the job file has no items")
    if len(drafts) > MAX_ITEMS:
        raise file_error(path, None, f"the job has {len(drafts)} items (at most {MAX_ITEMS})")
    expander = PromptExpander(wildcards or path.parent / "wildcards")
    items = tuple(
        _item(path, fingerprint, index, draft, expander) for index, draft in enumerate(drafts)
    )
    return BatchPlan(path, fingerprint, items, grid)


def _read_bytes(path: Path) -> bytes:
    if path.suffix.lower() not in SUFFIXES:
        raise file_error(
            path,
            None,
            f"unknown job file type {path.suffix or '(none)'!r}; use {', '.join(SUFFIXES)}",
        )
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise file_error(path, None, "no such job file") from None
    except IsADirectoryError:
        raise file_error(path, None, "is a folder, not a job file") from None
    except OSError as exc:
        raise file_error(path, None, f"cannot read: {exc.strerror or exc}") from None


def _drafts(
    path: Path, text: str, model: str | None
) -> tuple[list[Draft], Grid | None, Path | None]:
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return formats.read_txt(text, path, model=model), None, None
    if suffix == ".csv":
        return formats.read_csv(text, path, model=model), None, None
    if suffix == ".jsonl":
        return formats.read_jsonl(text, path, model=model), None, None
    read = formats.read_toml if suffix == ".toml" else formats.read_yaml
    document, lines = read(text, path)
    sweep = read_sweep(document, lines, source=path, model=model)
    return sweep.drafts, sweep.grid, sweep.wildcards


def _item(
    source: Path, fingerprint: str, index: int, draft: Draft, expander: PromptExpander
) -> BatchItem:
    """Fix the item's prompts and seed, then build its request (with all its checks)."""
    cls = draft.request_class
    fields = dict(draft.fields)
    missing = [name for name in required_fields(cls) if name not in fields]
    if missing:
        hint = " (give --model or a model field)" if missing == ["model"] else ""
        raise file_error(
            source, draft.line, f"{a_task(draft.task)} needs {', '.join(missing)}{hint}"
        )
    # Grid cells share the randomness of one index: they differ only by their axes.
    chance = derive_seed(fingerprint, index if draft.shared is None else draft.shared)
    rng = random.Random(chance)
    for name in modality(draft.task).batch_templates:
        if isinstance(fields.get(name), str):
            try:
                fields[name] = expander.expand(fields[name], rng)
            except ValidationError as exc:
                raise file_error(source, draft.line_of(name), f"{name}: {exc}") from None
    if "seed" in field_kinds(cls):
        seed = fields.get("seed", -1)
        if seed == -1:
            fields["seed"] = chance
        elif isinstance(seed, int) and 0 <= seed <= MAX_SEED and draft.repeat:
            fields["seed"] = (seed + draft.repeat) % (MAX_SEED + 1)  # [options] count copies
    try:
        request = cls.from_dict({"type": cls.TYPE, **fields})
    except ValidationError as exc:
        raise file_error(source, draft.blame(str(exc)), str(exc)) from None
    return BatchItem(index, item_id(index, request), request, dict(draft.axes), draft.cell)
