"""Prompt templates: `{a|b|c}` alternatives (nested) and `__name__` wildcards.

A wildcard is one line of `<wildcards>/name.txt` (blank lines and # comments skipped;
a line may hold alternatives and wildcards itself). Choices come from the `random`
generator the caller passes, seeded per item, so a resumed batch makes the same prompts.
`\\{`, `\\}` and `\\|` are literal characters; other backslashes (A1111's `\\(`) stay.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from studio.core.errors import ValidationError

WILDCARD = re.compile(r"__([A-Za-z0-9_\-/]+?)__")
MAX_DEPTH = 20  # wildcards within wildcards; deeper is almost surely a loop
_SPECIAL = "{}|"

# A parsed template: text pieces (str) and choices (lists of alternative templates).
Template = list[Any]


def has_template(text: str) -> bool:
    return any(c in text for c in "{}\\") or WILDCARD.search(text) is not None


class PromptExpander:
    """Expands templates; reads each wildcard file once."""

    def __init__(self, wildcard_dir: Path) -> None:
        self.wildcard_dir = wildcard_dir
        self._lines: dict[str, list[str]] = {}

    def expand(self, template: str, rng: random.Random, depth: int = 0) -> str:
        """One prompt from the template; ValidationError (one line) on a bad template."""
        if not has_template(template):
            return template
        return "".join(self._render(_parse(template), rng, depth))

    def _render(self, sequence: Template, rng: random.Random, depth: int) -> list[str]:
        out: list[str] = []
        for piece in sequence:
            if isinstance(piece, str):
                out.append(self._wildcards(piece, rng, depth))
            else:
                out.extend(self._render(rng.choice(piece), rng, depth))
        return out

    def _wildcards(self, text: str, rng: random.Random, depth: int) -> str:
        def pick(match: re.Match[str]) -> str:
            name = match.group(1)
            if depth >= MAX_DEPTH:
                raise ValidationError(f"wildcard __{name}__ nests too deeply (does it use itself?)")
            return self.expand(rng.choice(self.lines(name)), rng, depth + 1)

        return WILDCARD.sub(pick, text)

    def lines(self, name: str) -> list[str]:
        if name not in self._lines:
            path = self.wildcard_dir / f"{name}.txt"
            if name.startswith("/") or "//" in name:
                raise ValidationError(f"wildcard __{name}__ is not a valid name")
            try:
                text = path.read_text(encoding="utf-8-sig")
            except FileNotFoundError:
                raise ValidationError(f"wildcard __{name}__ has no file {path}") from None
            except UnicodeDecodeError:
                raise ValidationError(f"wildcard file {path} is not UTF-8 text") from None
            except OSError as exc:
                raise ValidationError(f"cannot read wildcard file {path}: {exc.strerror}") from None
            lines = [s.strip() for s in text.splitlines()]
            self._lines[name] = [s for s in lines if s and not s.startswith("#")]
            if not self._lines[name]:
                raise ValidationError(f"wildcard file {path} has no lines")
        return self._lines[name]


def _parse(template: str) -> Template:
    """The template as nested lists; ValidationError on unbalanced braces."""
    stack: list[tuple[Template, list[Template]]] = []  # (enclosing sequence, alternatives)
    current: Template = []
    text: list[str] = []
    i = 0
    while i < len(template):
        char = template[i]
        if char == "\\" and template[i + 1 : i + 2] in tuple(_SPECIAL):
            text.append(template[i + 1])
            i += 2
            continue
        if char in _SPECIAL and (char != "|" or stack):
            if text:
                current.append("".join(text))
                text.clear()
            if char == "{":
                stack.append((current, [[]]))
            elif char == "|":
                stack[-1][1].append([])
            elif not stack:
                raise ValidationError("unmatched '}' in prompt (write \\} for a literal brace)")
            else:
                enclosing, alternatives = stack.pop()
                enclosing.append(alternatives)
                current = enclosing
            if char != "}":
                current = stack[-1][1][-1]
        else:
            text.append(char)
        i += 1
    if stack:
        raise ValidationError("unclosed '{' in prompt (write \\{ for a literal brace)")
    if text:
        current.append("".join(text))
    return current
