"""Reading job files: text decoding, and each format's rows with their line numbers.

.txt, .csv and .jsonl become Drafts here; .toml and .yaml become a document plus
`Lines` ((section, key) -> line number) so that sweep errors can name a line too.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import tomllib
from pathlib import Path
from typing import Any

from studio.core.batch.fields import META_KEYS, Draft, field_kinds, make_draft
from studio.core.batch.items import file_error
from studio.core.errors import one_line
from studio.core.modalities import MODALITIES

# (section, key) -> line: ("base", None) is the [base] header, ("base", "steps") its key,
# (("items", 2), "prompt") a key of the third [[items]] table, ("grid", "x") an axis.
Lines = dict[tuple[Any, str | None], int]

_TOML_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")
_TOML_KEY = re.compile(r"^\s*\"?([A-Za-z0-9_\-]+)\"?\s*=")
_TOML_ERROR = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def decode(data: bytes, source: Path) -> str:
    """UTF-8 text (a byte-order mark is dropped); one line naming the bad byte's line."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise file_error(
            source, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8"
        ) from None


def read_txt(text: str, source: Path, *, model: str | None) -> list[Draft]:
    """One image prompt per line; blank lines and # comments are skipped."""
    if not model:
        raise file_error(source, None, "a .txt job file needs --model (the model for every line)")
    drafts = []
    for number, line in enumerate(text.split("\n"), start=1):
        prompt = line.strip()
        if prompt and not prompt.startswith("#"):
            row = {"model": model, "prompt": prompt}
            drafts.append(make_draft(row, source=source, line=number, base_dir=source.parent))
    return drafts


def read_csv(text: str, source: Path, *, model: str | None) -> list[Draft]:
    """A header of field names (plus task, model), then one item per row; empty = default."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, skipinitialspace=True)
    rows = _csv_rows(reader, source)
    if not rows:
        raise file_error(source, None, "the CSV file is empty (it needs a header row)")
    header_line, header = rows[0]
    header = [name.strip() for name in header]
    known = {name for m in MODALITIES for name in (*field_kinds(m.request), *m.batch_aliases)}
    known |= set(META_KEYS)
    for name in header:
        if name not in known or header.count(name) > 1:
            problem = "is twice in the header" if name in known else "is not a request field"
            raise file_error(source, header_line, f"column {name!r} {problem}")
    drafts = []
    for line, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise file_error(
                source, line, f"{len(cells)} cells, but the header has {len(header)} columns"
            )
        row = {"model": model} if model else {}
        row.update({name: cell for name, cell in zip(header, cells, strict=False) if cell.strip()})
        drafts.append(make_draft(row, source=source, line=line, text=True, base_dir=source.parent))
    return drafts


def _csv_rows(reader: Any, source: Path) -> list[tuple[int, list[str]]]:
    rows, start = [], 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise file_error(source, reader.line_num, f"bad CSV: {exc}") from None
        rows.append((start, cells))  # the line a (possibly multi-line) record starts on
        start = reader.line_num + 1


def read_jsonl(text: str, source: Path, *, model: str | None) -> list[Draft]:
    """One JSON object per line, with the same keys as CSV columns; null = default."""
    drafts = []
    # Split on \n only: JSON strings may hold U+2028, which str.splitlines() breaks at.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise file_error(source, number, f"bad JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(data, dict):
            raise file_error(source, number, "each line must be a JSON object {...}")
        row = {"model": model} if model else {}
        row.update({k: v for k, v in data.items() if v is not None})
        drafts.append(make_draft(row, source=source, line=number, base_dir=source.parent))
    return drafts


def read_toml(text: str, source: Path) -> tuple[Any, Lines]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _TOML_ERROR.search(message)
        if where is None:
            raise file_error(source, None, f"bad TOML: {message}") from None
        what = f"{message[: where.start()]} (column {where.group(2)})"
        raise file_error(source, int(where.group(1)), f"bad TOML: {what}") from None
    return data, _toml_lines(text)


def _toml_lines(text: str) -> Lines:
    """Where sections and keys are, by a line scan (tomllib keeps no positions)."""
    lines: Lines = {}
    section: Any = None
    items = 0
    for number, line in enumerate(text.split("\n"), start=1):
        header = _TOML_HEADER.match(line)
        if header:
            parts = [p.strip().strip("\"'") for p in header.group(2).split(".")]
            if header.group(1) == "[[" and parts == ["items"]:
                section, items = ("items", items), items + 1
            else:
                section = parts[0] if len(parts) == 1 else tuple(parts)
                if len(parts) > 1:  # [grid.x]: the axis x of [grid]
                    lines.setdefault((parts[0], parts[1]), number)
            lines.setdefault((section, None), number)
            lines.setdefault((parts[0], None), number)
            continue
        key = _TOML_KEY.match(line)
        if key:
            where = (key.group(1), None) if section is None else (section, key.group(1))
            lines.setdefault(where, number)
    return lines


def read_yaml(text: str, source: Path) -> tuple[Any, Lines]:
    import yaml  # PyYAML; only YAML job files need it

    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what = getattr(exc, "problem", None) or one_line(exc)
        raise file_error(source, mark.line + 1 if mark else None, f"bad YAML: {what}") from None
    return data, _yaml_lines(node, yaml)


def _yaml_lines(node: Any, yaml: Any) -> Lines:
    lines: Lines = {}

    def keys(section: Any, mapping: Any) -> None:
        if isinstance(mapping, yaml.MappingNode):
            for key, _ in mapping.value:
                lines.setdefault((section, str(key.value)), key.start_mark.line + 1)

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = str(key.value)
            lines.setdefault((name, None), key.start_mark.line + 1)
            keys(name, value)
            if name == "items" and isinstance(value, yaml.SequenceNode):
                for n, item in enumerate(value.value):
                    lines.setdefault((("items", n), None), item.start_mark.line + 1)
                    keys(("items", n), item)
    return lines
