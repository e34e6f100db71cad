"""TOML/YAML job files: [base] fields, then a [grid] of up to three axes or [[items]].

Grid cells are ordered z, then y, then x (x changes fastest), like A1111's X/Y/Z plot.
Every cell shares one seed and one set of prompt choices unless an axis sets them,
so two cells differ only in what their axes say.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.batch.fields import Draft, field_kinds, make_draft, task_of
from studio.core.batch.formats import Lines
from studio.core.batch.items import Axis, BatchFileError, Grid, file_error
from studio.core.errors import ValidationError
from studio.core.modalities import modality

SECTIONS = ("base", "grid", "options", "items")
AXES = ("x", "y", "z")
PROMPT_SR = "prompt_sr"
SR_FIELDS = ("prompt", "negative_prompt", "text", "system")  # where prompt_sr replaces
MAX_ITEMS = 100_000
MAX_COUNT = 10_000


@dataclass
class Sweep:
    drafts: list[Draft]
    grid: Grid | None
    wildcards: Path | None  # [options] wildcards, resolved; None for the default folder


class _Reader:
    """Reads one parsed TOML/YAML document, locating errors through its Lines."""

    def __init__(self, source: Path, lines: Lines, model: str | None) -> None:
        self.source, self.lines, self.model = source, lines, model
        self.base_dir = source.parent

    def error(self, section: Any, key: str | None, message: str) -> BatchFileError:
        line = self.lines.get((section, key)) or self.lines.get((section, None))
        return file_error(self.source, line, message)

    def table(self, data: dict[str, Any], name: str) -> dict[str, Any]:
        value = data.get(name) or {}  # YAML: "base:" with nothing under it is null
        if not isinstance(value, dict):
            raise self.error(name, None, f"[{name}] must be a table of settings")
        return value

    def section_lines(self, section: Any) -> dict[str, int]:
        return {k: n for (s, k), n in self.lines.items() if s == section and k is not None}

    def row(self, extra: dict[str, Any], extra_lines: dict[str, int]) -> tuple[dict, dict]:
        """[base], then --model (it replaces the base's model), then the item's own fields."""
        raw, key_lines = dict(self.base), self.section_lines("base")
        if self.model:
            raw["model"] = self.model
            key_lines.pop("model", None)
        return {**raw, **extra}, {**key_lines, **extra_lines}

    def draft(self, raw: dict[str, Any], line: int | None, key_lines: dict[str, int]) -> Draft:
        return make_draft(
            raw, source=self.source, line=line, key_lines=key_lines, base_dir=self.base_dir
        )

    def read(self, data: dict[str, Any]) -> Sweep:
        for name in data:
            if name not in SECTIONS:
                hint = " (request fields go under [base])" if name != "items" else ""
                raise self.error(
                    name, None, f"unknown section {name!r}; use {', '.join(SECTIONS)}{hint}"
                )
        self.base = self.table(data, "base")
        self.defaults = self.row({}, {})[0]  # what every item starts from
        count, wildcards = self.options(self.table(data, "options"))
        if "grid" in data and "items" in data:
            raise self.error("items", None, "a job file has a [grid] or [[items]], not both")
        if "grid" in data:
            if count != 1:
                message = "count repeats items of sweeps without a grid; put seed on an axis"
                raise self.error("options", "count", message)
            grid, drafts = self.grid(self.table(data, "grid"))
            return Sweep(drafts, grid, wildcards)
        templates = self.items(data["items"]) if "items" in data else [self.base_draft()]
        if len(templates) * count > MAX_ITEMS:
            message = f"that makes {len(templates) * count} items (at most {MAX_ITEMS})"
            raise self.error("options", "count", message)
        drafts = [dataclasses.replace(t, repeat=k) for t in templates for k in range(count)]
        return Sweep(drafts, None, wildcards)

    def base_draft(self) -> Draft:
        raw, key_lines = self.row({}, {})
        return self.draft(raw, self.lines.get(("base", None)), key_lines)

    def options(self, options: dict[str, Any]) -> tuple[int, Path | None]:
        for key in options:
            if key not in ("count", "wildcards"):
                raise self.error(
                    "options", key, f"unknown option {key!r}; options: count, wildcards"
                )
        count = options.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
            raise self.error("options", "count", f"count must be 1 to {MAX_COUNT} (got {count!r})")
        folder = options.get("wildcards")
        if folder is not None and (not isinstance(folder, str) or not folder.strip()):
            raise self.error("options", "wildcards", "wildcards must name a folder")
        return count, (self.base_dir / Path(folder).expanduser()) if folder else None

    def items(self, items: Any) -> list[Draft]:
        if not isinstance(items, list) or not items:
            raise self.error("items", None, "items must be a list of tables ([[items]] in TOML)")
        drafts = []
        for n, item in enumerate(items):
            section = ("items", n)
            if not isinstance(item, dict):
                raise self.error(section, None, f"item {n + 1} must be a table of settings")
            raw, key_lines = self.row(item, self.section_lines(section))
            line = self.lines.get((section, None)) or self.lines.get(("items", None))
            drafts.append(self.draft(raw, line, key_lines))
        return drafts

    def grid(self, table: dict[str, Any]) -> tuple[Grid, list[Draft]]:
        for key in table:
            if key not in AXES:
                raise self.error("grid", key, f"unknown axis {key!r}; axes: x, y, z")
        if "x" not in table:
            raise self.error("grid", None, "a grid needs an x axis")
        try:
            fields = field_kinds(modality(task_of(self.defaults)).request)
        except ValidationError as exc:
            raise self.error("base", "task", str(exc)) from None
        axes: dict[str, tuple[str, list[Any], int | None]] = {}
        for name in AXES:
            if name in table:
                axes[name] = self.axis(name, table[name], fields, [a[0] for a in axes.values()])
        sizes = [len(axes[n][1]) if n in axes else 1 for n in AXES]
        if math.prod(sizes) > MAX_ITEMS:
            raise self.error(
                "grid", None, f"the grid has {math.prod(sizes)} cells (at most {MAX_ITEMS})"
            )
        drafts = []
        for z, y, x in itertools.product(*(range(s) for s in reversed(sizes))):
            extra: dict[str, Any] = {}
            extra_lines: dict[str, int] = {}
            labels = {}
            for name, position in zip(AXES, (x, y, z), strict=True):
                if name not in axes:
                    continue
                field, values, line = axes[name]
                labels[name] = axis_label(field, values[position])
                changes = self.changes(field, values, position)
                extra.update(changes)
                extra_lines.update(dict.fromkeys(changes, line) if line else {})
            raw, key_lines = self.row(extra, extra_lines)
            draft = self.draft(raw, self.lines.get(("grid", None)), key_lines)
            draft.axes, draft.cell, draft.shared = labels, (x, y, z), 0
            drafts.append(draft)
        grid_axes = [
            Axis(axes[n][0], tuple(axis_label(axes[n][0], v) for v in axes[n][1]))
            if n in axes
            else None
            for n in AXES
        ]
        return Grid(*grid_axes), drafts  # type: ignore[arg-type]

    def axis(
        self, name: str, spec: Any, fields: dict[str, str], taken: list[str]
    ) -> tuple[str, list[Any], int | None]:
        line = self.lines.get(("grid", name)) or self.lines.get(("grid", None))
        if not isinstance(spec, dict) or set(spec) != {"field", "values"}:
            raise file_error(
                self.source, line, f'axis {name} must be {{field = "...", values = [...]}}'
            )
        field, values = spec["field"], spec["values"]
        if not isinstance(field, str) or field not in (*fields, PROMPT_SR) or field == "task":
            known = ", ".join(sorted(fields))
            message = f"axis {name}: {field!r} is not a field that can vary; fields: {known}"
            raise file_error(self.source, line, f"{message}, {PROMPT_SR}")
        if field in taken:
            raise file_error(self.source, line, f"axis {name}: {field} is already on another axis")
        if not isinstance(values, list) or not values:
            raise file_error(self.source, line, f"axis {name}: values must be a non-empty list")
        if field == PROMPT_SR:
            if not all(isinstance(v, str) for v in values):
                raise file_error(self.source, line, f"axis {name}: prompt_sr values must be text")
            if not self.sr_targets(values[0]):
                message = f"prompt_sr: {values[0]!r} is not in the prompt"
                raise file_error(self.source, line, message)
        return field, values, line

    def sr_targets(self, search: str) -> list[str]:
        raw = self.defaults
        return [f for f in SR_FIELDS if isinstance(raw.get(f), str) and search in raw[f]]

    def changes(self, field: str, values: list[Any], position: int) -> dict[str, Any]:
        """The fields one axis value sets; prompt_sr rewrites the prompts that hold its term."""
        if field != PROMPT_SR:
            return {field: values[position]}
        search, replacement = values[0], values[position]
        return {f: self.defaults[f].replace(search, replacement) for f in self.sr_targets(search)}


def axis_label(field: str, value: Any) -> str:
    """ "seed=1", "guidance=7.5", "model=sd15.safetensors"; prompt_sr: the replacement."""
    if field == PROMPT_SR:
        return str(value)
    if field == "model" and isinstance(value, str):
        value = re.split(r"[\\/]", value.rstrip("\\/"))[-1] or value
    return f"{field}={_format(value)}"


def _format(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):  # loras [["a", 0.5], ["b", 1]] -> "a:0.5;b:1"
        return ";".join(
            ":".join(map(_format, v)) if isinstance(v, list | tuple) else _format(v) for v in value
        )
    return str(value)


def read_sweep(data: Any, lines: Lines, *, source: Path, model: str | None) -> Sweep:
    if not isinstance(data, dict):
        raise file_error(source, None, "a sweep must be a table of sections ([base], [grid]...)")
    return _Reader(source, lines, model).read(data)
