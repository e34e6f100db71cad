"""AUTOMATIC1111's `parameters` text: the format most image tools read and write.

    PROMPT
    Negative prompt: NEG
    Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x512, Model hash: ..., Model: ...

The negative line is omitted when empty; values holding `,` `:` or a newline are
JSON-quoted. The parser follows A1111's own (modules/infotext_utils.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

_PARAM = re.compile(r'\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)')
_SIZE = re.compile(r"^(\d+)x(\d+)$")
NEGATIVE_PREFIX = "Negative prompt:"


def quote(value: object) -> str:
    text = str(value)
    if "," not in text and "\n" not in text and ":" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        try:
            return str(json.loads(text))
        except json.JSONDecodeError:
            return text
    return text


def format_parameters(prompt: str, negative: str, params: Mapping[str, object]) -> str:
    """The text block; `params` in the order they should appear (None values dropped)."""
    lines = [prompt]
    if negative:
        lines.append(f"{NEGATIVE_PREFIX} {negative}")
    lines.append(", ".join(f"{k}: {quote(v)}" for k, v in params.items() if v is not None))
    return "\n".join(lines)


def format_number(value: float) -> str:
    """7.0 -> '7', 7.5 -> '7.5' (as A1111 writes CFG scale)."""
    return f"{value:g}" if float(value) != int(value) else str(int(value))


def parse_parameters(text: str) -> tuple[str, str, dict[str, str]]:
    """(prompt, negative prompt, {key: value}) from a `parameters` block."""
    lines = text.strip().split("\n")
    last = lines[-1] if lines else ""
    if len(_PARAM.findall(last)) < 3:
        last = ""  # no parameter line: the whole text is prompt
    else:
        lines = lines[:-1]
    prompt: list[str] = []
    negative: list[str] = []
    in_negative = False
    for raw in lines:
        line = raw.strip()
        if line.startswith(NEGATIVE_PREFIX):
            in_negative = True
            line = line[len(NEGATIVE_PREFIX) :].strip()
        (negative if in_negative else prompt).append(line)
    params: dict[str, str] = {}
    for key, value in _PARAM.findall(last):
        params[key.strip()] = unquote(value.strip())
    return "\n".join(prompt), "\n".join(negative), params


def parse_size(value: str) -> tuple[int, int] | None:
    match = _SIZE.match(value.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None
