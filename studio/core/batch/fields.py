"""Job-file rows to request fields: tasks, value conversion, relative paths, drafts.

A row is a dict of field name -> value, as text (CSV cells) or typed (JSON, TOML,
YAML). A Draft is a row converted to the request's field types, not yet built: the
plan fixes prompts and seeds once it knows each item's index.
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from studio.core.batch.items import a_task, file_error
from studio.core.errors import ValidationError
from studio.core.modalities import MODALITIES, modality
from studio.core.requests.base import Request

# Keys a row may hold besides request fields.
META_KEYS = ("task", "type", "schema")
# File fields: relative paths are read from the job file's folder.
PATH_FIELDS = ("init_image", "mask_image", "file", "melody", "continue_from", "speaker", "vocoder")
_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


@dataclass
class Draft:
    """One item before its index is known: converted fields plus where they came from."""

    task: str
    fields: dict[str, Any]
    line: int | None  # the row, table or section the item comes from
    key_lines: dict[str, int] = field(default_factory=dict)  # field -> line that set it
    axes: dict[str, str] = field(default_factory=dict)
    cell: tuple[int, int, int] | None = None
    repeat: int = 0  # k-th copy under [options] count: an explicit seed becomes seed + k
    shared: int | None = None  # grids: every cell uses the randomness of this index

    @property
    def request_class(self) -> type[Request]:
        return modality(self.task).request

    def line_of(self, name: str) -> int | None:
        return self.key_lines.get(name, self.line)

    def blame(self, message: str) -> int | None:
        """The line of the first field that a one-line error message names."""
        found = [
            (match.start(), name)
            for name in self.key_lines
            if (match := re.search(rf"\b{re.escape(name)}\b", message))
        ]
        return self.line_of(min(found)[1]) if found else self.line


def task_of(row: dict[str, Any]) -> str:
    """The task a row asks for ("image" when it names none), by its name today or an
    earlier one (a saved request's "type" tag too); ValidationError if unknown."""
    value = row.get("task") or row.get("type") or "image"
    if not isinstance(value, str):
        raise ValidationError(
            f"unknown task {value!r}; tasks: {', '.join(m.name for m in MODALITIES)}"
        )
    return modality(value).name


def make_draft(
    row: dict[str, Any],
    *,
    source: Path,
    line: int | None,
    key_lines: dict[str, int] | None = None,
    text: bool = False,
    base_dir: Path,
) -> Draft:
    """Convert a row; a BatchFileError at the line of the field that is wrong."""
    key_lines = dict(key_lines or {})
    try:
        task = task_of(row)
    except ValidationError as exc:
        raise file_error(source, key_lines.get("task", line), str(exc)) from None
    cls, aliases = modality(task).request, modality(task).batch_aliases
    fields: dict[str, Any] = {}
    for key, value in row.items():
        if key in ("task", "type") or value is None or (text and value == ""):
            continue  # an empty cell or a null means "the default"
        where = key_lines.get(key, line)
        name = aliases.get(key, key)  # e.g. a walk's "frames", as `studio generate walk` says
        if name != key:
            key_lines.setdefault(name, where)
        if name != "schema" and name not in field_kinds(cls):
            known = ", ".join(sorted(field_kinds(cls)))
            raise file_error(
                source, where, f"unknown field {name!r} for {a_task(task)} (fields: {known})"
            )
        try:
            fields[name] = convert(cls, name, value, base_dir=base_dir)
        except ValidationError as exc:
            raise file_error(source, where, str(exc)) from None
    return Draft(task, fields, line, key_lines)


def convert(cls: type[Request], name: str, value: Any, *, base_dir: Path) -> Any:
    """A job-file value as the field's type: text is parsed, lists become tuples."""
    if name == "schema":
        return value
    kind = field_kinds(cls)[name]
    if isinstance(value, str):
        if kind == "str":
            if name in PATH_FIELDS and value:
                path = Path(value).expanduser()
                return str(path if path.is_absolute() else base_dir / path)
            return value
        return _from_text(name, kind, value.strip())
    if isinstance(value, list | tuple):
        if kind == "loras":
            return tuple(_lora(name, v) if isinstance(v, str) else tuple(v) for v in value)
        return tuple(value)
    return value


def _from_text(name: str, kind: str, text: str) -> Any:
    try:
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
        if kind == "json":
            return json.loads(text)
    except ValueError:
        what = {"int": "a whole number", "float": "a number", "json": "JSON"}[kind]
        raise ValidationError(f"{name} must be {what} (got {text!r})") from None
    if kind == "bool":
        if text.lower() not in _TRUE + _FALSE:
            raise ValidationError(f"{name} must be true or false (got {text!r})")
        return text.lower() in _TRUE
    parts = tuple(p.strip() for p in text.split(";") if p.strip())  # lists: "a;b;c"
    if kind == "loras":
        return tuple(_lora(name, p) for p in parts)
    if kind == "ints":
        return tuple(_from_text(name, "int", p) for p in parts)
    return parts


def _lora(name: str, text: str) -> tuple[str, float]:
    """ "model:weight" (weight 1 when absent); a path's drive colon is part of the model."""
    model, colon, weight = text.strip().rpartition(":")
    if colon:
        try:
            return (model.strip(), float(weight))
        except ValueError:
            pass
    return (text.strip(), 1.0)


@cache
def field_kinds(cls: type[Request]) -> dict[str, str]:
    """Field name -> int, float, bool, str, strs, ints, loras or json (anything else)."""
    hints = typing.get_type_hints(cls)
    return {
        f.name: "loras" if f.name == "loras" else _kind(hints[f.name])
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
    }


def required_fields(cls: type[Request]) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )


def _kind(hint: Any) -> str:
    if hint in (bool, int, float, str):
        return hint.__name__
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        return "str"
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        return _kind(rest[0]) if len(rest) == 1 else "json"
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis and args[0] in (str, int):
        return "strs" if args[0] is str else "ints"
    return "json"
