"""Output file names from a user template, with safe slugging of every value.

A template such as `{date}/{index:05d}-{seed}-{prompt}` may create folders with `/`,
but values never can: a prompt of `../../etc/passwd` becomes one harmless name.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from studio.core.errors import OutputError

DEFAULT_TEMPLATE = "{date}/{index:05d}-{seed}-{prompt}"
TEMPLATE_FIELDS = (
    "date", "time", "index", "seed", "prompt", "negative", "model", "sampler",
    "steps", "width", "height", "guidance", "task", "mode", "batch",
)  # fmt: skip
MAX_COMPONENT_BYTES = 150  # leaves room for an extension and a "-N" suffix under 255
MAX_VALUE_CHARS = 80
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(10)}
_LEADING_INT = re.compile(r"^(\d+)")
_FIELD_MARK = "\x00"  # marks where a field was rendered; slug() removes NULs from values


def slug(text: str, max_chars: int = MAX_VALUE_CHARS) -> str:
    """A file-name-safe form of `text`: no separators, control or reserved characters."""
    text = unicodedata.normalize("NFKC", text)
    text = _FORBIDDEN.sub("", text)
    text = "_".join(text.split())
    return text[:max_chars].strip("._") or ""


def _safe_component(name: str) -> str:
    name = name.strip().rstrip(". ")
    name = re.sub(r"\.{2,}", ".", name)
    if not name:
        name = "untitled"
    if name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    encoded = name.encode("utf-8")[:MAX_COMPONENT_BYTES]
    return encoded.decode("utf-8", errors="ignore").rstrip(". ") or "untitled"


class FilenameTemplate:
    """A validated template; `render(values)` gives a safe relative path without extension."""

    def __init__(self, template: str = DEFAULT_TEMPLATE) -> None:
        self.template = template
        if not template.strip():
            raise OutputError("filename template is empty")
        if template.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", template):
            raise OutputError(f"filename template must be a relative path: {template!r}")
        try:
            parsed = list(string.Formatter().parse(template))
        except ValueError as exc:
            raise OutputError(f"filename template {template!r} is malformed: {exc}") from None
        for literal, field, spec, _conv in parsed:
            if ".." in PurePosixPath(literal.replace("\\", "/")).parts:
                raise OutputError(f"filename template must not contain '..': {template!r}")
            if field is None:
                continue
            if field not in TEMPLATE_FIELDS:
                raise OutputError(
                    f"unknown field {{{field}}} in filename template; "
                    f"known fields: {', '.join(TEMPLATE_FIELDS)}"
                )
            if spec and "{" in spec:
                raise OutputError("nested fields are not allowed in the filename template")
        self._parsed = parsed

    def render(self, values: Mapping[str, object]) -> PurePosixPath:
        out: list[str] = []
        for literal, field, spec, conv in self._parsed:
            out.append(literal.replace("\\", "/"))
            if field is None:
                continue
            value = values.get(field, "")
            if conv == "r":
                value = repr(value)
            elif conv == "s" or conv == "a":
                value = str(value)
            try:
                text = format(value, spec or "")
            except (ValueError, TypeError) as exc:
                raise OutputError(
                    f"cannot format {{{field}:{spec}}} with {value!r}: {exc}"
                ) from None
            out.append(_FIELD_MARK + slug(text))
        parts: list[str] = []
        for part in "".join(out).split("/"):
            from_field = _FIELD_MARK in part
            part = part.replace(_FIELD_MARK, "")
            if part in ("", ".") and not from_field:
                continue  # "a//b" or "./" in the template itself
            parts.append(_safe_component(part))  # an empty value still gets a name
        return PurePosixPath(*parts or ["untitled"])


def next_index(folder: Path) -> int:
    """1 + the largest leading number among names in `folder` (A1111's counter)."""
    best = 0
    if folder.is_dir():
        for entry in folder.iterdir():
            match = _LEADING_INT.match(entry.name)
            if match:
                best = max(best, int(match.group(1)))
    return best + 1


def contained(root: Path, relative: PurePosixPath) -> Path:
    """`root / relative`, refusing anything that would land outside `root`."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise OutputError(f"output path {relative} would leave the output folder {root}")
    return target
