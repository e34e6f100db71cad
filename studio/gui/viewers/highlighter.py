"""CodeHighlighter: keywords, strings, comments and numbers for the languages models write.

One tokenizing regex per language scans each line left to right, so a `#` inside a
string stays a string and a quote inside a comment stays a comment. Block comments and
Python's triple-quoted strings carry over lines through the block state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

_C_WORDS = """auto bool break case catch char class const constexpr continue default defer
delete do double else enum explicit extends extern false final finally float fn for foreach
func go goto if impl implements import in include inline instanceof int interface internal
let long loop match mod module mut namespace new nil null override package private protected
pub public return self sealed short signed sizeof static struct super switch template this
throw throws trait true try type typedef typeof union unsafe unsigned use using val var
virtual void volatile where while yield"""
_JS_WORDS = """async await break case catch class const continue debugger default delete do
else export extends false finally for from function if import in instanceof let new null of
return static super switch this throw true try typeof undefined var void while with yield
abstract any as boolean declare enum implements interface keyof namespace number private
protected public readonly string type unknown"""
_PY_WORDS = """False None True and as assert async await break case class continue def del
elif else except finally for from global if import in is lambda match nonlocal not or pass
raise return self try while with yield"""
_SH_WORDS = """case do done elif else esac export fi for function if in local read return
select set shift source then until unset while echo"""
_QUOTED = r"\"(?:\\.|[^\"\\])*\"?|'(?:\\.|[^'\\])*'?"
_NUMBER = r"\b(?:0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)\b"


@dataclass(frozen=True)
class Language:
    name: str
    keywords: frozenset[str]
    line_comment: str | None  # regex
    block: tuple[str, str] | None = None  # block comment start and end, literally
    triple_quotes: bool = False  # Python's multi-line strings
    extra: str = ""  # more alternatives, as named groups (key, variable, heading, code)
    tokens: bool = True  # quoted strings and numbers (not in prose, where "don't" has a quote)

    def pattern(self) -> re.Pattern[str]:
        parts = []
        if self.triple_quotes:
            parts.append(r"(?P<triple>\"\"\"|''')")
        if self.block:
            parts.append(f"(?P<block>{re.escape(self.block[0])})")
        if self.line_comment:
            parts.append(f"(?P<comment>{self.line_comment}.*)")
        if self.extra:
            parts.append(self.extra)
        if self.tokens:
            parts += [f"(?P<string>{_QUOTED}|`[^`]*`?)", f"(?P<number>{_NUMBER})"]
        parts.append(r"(?P<word>[A-Za-z_]\w*)")
        return re.compile("|".join(parts))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LANGUAGES = {
    language.name: language
    for language in (
        Language("python", _words(_PY_WORDS), "#", triple_quotes=True),
        Language("javascript", _words(_JS_WORDS), "//", ("/*", "*/")),
        Language("c", _words(_C_WORDS), "//", ("/*", "*/")),
        Language("shell", _words(_SH_WORDS), r"(?<![\w$])#", extra=r"(?P<variable>\$\{?\w+\}?)"),
        Language(
            "json", _words("true false null"), None, extra=r"(?P<key>\"(?:\\.|[^\"\\])*\"(?=\s*:))"
        ),
        Language(
            "config",
            _words("true false null yes no on off"),
            r"(?:^|\s)[#;]",
            extra=r"(?P<key>^\s*\[[^\]]*\]|^\s*[\w.-]+(?=\s*[:=]))",
        ),
        Language(
            "markdown",
            frozenset(),
            None,
            tokens=False,
            extra=r"(?P<heading>^#{1,6}\s.*)|(?P<code>^\s*(?:```|~~~).*|`[^`\n]+`)",
        ),
        Language("plain", frozenset(), None, tokens=False),
    )
}
SUFFIXES = {
    **dict.fromkeys((".py", ".pyw", ".pyi"), "python"),
    **dict.fromkeys((".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx"), "javascript"),
    **dict.fromkeys(
        (
            ".c",
            ".h",
            ".cc",
            ".cpp",
            ".cxx",
            ".hpp",
            ".cs",
            ".java",
            ".go",
            ".rs",
            ".kt",
            ".swift",
            ".dart",
            ".scala",
            ".zig",
            ".php",
            ".css",
            ".scss",
        ),
        "c",
    ),
    **dict.fromkeys((".sh", ".bash", ".zsh", ".ps1", ".mk", ".dockerfile"), "shell"),
    ".json": "json",
    **dict.fromkeys((".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf"), "config"),
    **dict.fromkeys((".md", ".markdown"), "markdown"),
}
_STATE_BLOCK, _STATE_TRIPLE_DOUBLE, _STATE_TRIPLE_SINGLE = 1, 2, 3


def language_for(path: Path | str) -> str:
    """The highlighting language of a file, by its suffix ("plain" when unknown)."""
    return SUFFIXES.get(Path(path).suffix.lower(), "plain")


def _palette_is_dark() -> bool:
    return QGuiApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128


def _format(color: str, *, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    form = QTextCharFormat()
    form.setForeground(QColor(color))
    if bold:
        form.setFontWeight(QFont.Weight.Bold)
    form.setFontItalic(italic)
    return form


def _formats(dark: bool) -> dict[str, QTextCharFormat]:
    # Two hand-picked sets (IntelliJ light and Darcula-like): readable on either palette.
    colors = (
        {"keyword": "#cc7832", "string": "#6a8759", "comment": "#8a8a8a", "number": "#6897bb",
         "key": "#9876aa", "variable": "#9876aa"}
        if dark
        else {"keyword": "#0033b3", "string": "#067d17", "comment": "#8c8c8c",
              "number": "#1750eb", "key": "#871094", "variable": "#871094"}
    )  # fmt: skip
    formats = {name: _format(color) for name, color in colors.items()}
    formats["keyword"] = _format(colors["keyword"], bold=True)
    formats["comment"] = _format(colors["comment"], italic=True)
    formats["heading"] = _format(colors["keyword"], bold=True)
    formats["code"] = formats["string"]
    return formats


class CodeHighlighter(QSyntaxHighlighter):
    """Highlights `document` as `language` (a LANGUAGES key); set_language switches."""

    def __init__(self, document: QTextDocument, language: str = "plain") -> None:
        super().__init__(document)
        self.formats = _formats(_palette_is_dark())
        self.language = LANGUAGES["plain"]
        self._pattern = self.language.pattern()
        self.set_language(language)

    def set_language(self, name: str) -> None:
        self.language = LANGUAGES.get(name, LANGUAGES["plain"])
        self._pattern = self.language.pattern()
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        self.setCurrentBlockState(0)
        if self.language.name == "plain":
            return
        position = self._continue(text, self.previousBlockState())
        while position < len(text):
            match = self._pattern.search(text, position)
            if match is None:
                return
            kind = match.lastgroup or ""
            start, end = match.span()
            if kind == "block":
                end = self._until(text, start, self.language.block[1], _STATE_BLOCK)  # type: ignore[index]
                kind = "comment"
            elif kind == "triple":
                state = _STATE_TRIPLE_DOUBLE if match.group() == '"""' else _STATE_TRIPLE_SINGLE
                end = self._until(text, start, match.group(), state, skip=3)
                kind = "string"
            elif kind == "word":
                kind = "keyword" if match.group() in self.language.keywords else ""
            if kind in self.formats:
                self.setFormat(start, end - start, self.formats[kind])
            position = max(end, start + 1)

    def _continue(self, text: str, state: int) -> int:
        """Finish a block comment or string left open by the previous line; where to go on."""
        closers = {_STATE_TRIPLE_DOUBLE: '"""', _STATE_TRIPLE_SINGLE: "'''"}
        if state == _STATE_BLOCK and self.language.block:
            end = self._until(text, 0, self.language.block[1], state, skip=0)
            self.setFormat(0, end, self.formats["comment"])
            return end
        if state in closers and self.language.triple_quotes:
            end = self._until(text, 0, closers[state], state, skip=0)
            self.setFormat(0, end, self.formats["string"])
            return end
        return 0

    def _until(self, text: str, start: int, closer: str, state: int, skip: int = 2) -> int:
        found = text.find(closer, start + skip)
        if found < 0:
            self.setCurrentBlockState(state)  # still open at the end of this line
            return len(text)
        return found + len(closer)
