"""Split text into what a translation model should see, and put the translations back.

A document becomes a list of Segments whose texts, concatenated, give the document back
byte for byte: sentences to translate, and everything else kept as it is (line breaks,
blank lines, indentation, the spaces between sentences, markdown markers and code
blocks, subtitle numbers and timings). `join` swaps each translatable segment for its
translation. Work is line by line: a sentence wrapped over two lines is translated in
two parts, the price of keeping every original line break.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from studio.core.errors import ValidationError

DOCUMENT_KINDS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".srt": "subtitles"}
MAX_DOCUMENT_BYTES = 20 * 2**20


@dataclass(frozen=True)
class Segment:
    text: str
    translate: bool = False


_NEWLINE = re.compile(r"(\r\n|\r|\n)")
_EDGES = re.compile(r"^(\s*)(.*?)(\s*)$", re.S)
# A sentence ends at . ! ? … (and any closing quotes/brackets) before whitespace, or at
# CJK full stops, which need no space after them.
_SENTENCE_END = re.compile(
    r"[.!?…]+[\"'”’»)\]]*(?P<space>\s+)|[。！？]+[」』”’)）]*(?P<cjk>\s*)"
)  # fmt: skip
# A period after these (or after an initial: "J. Doe") does not end a sentence.
_ABBREVIATION_WORDS = (
    "mr mrs ms dr prof sr sra srta dra jr st vs etc e.g i.e cf no nº fig approx ca dept est vol "
    "pp p av gen col lt sgt mt ft jan feb mar apr jun jul aug sep sept oct nov dec bzw usw z.b "
    "u.a hr fr m mme mlle"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())


def _words(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def sentences(line: str, translatable: Callable[[str], bool] = _words) -> list[Segment]:
    """One line (no line break in it) as sentences to translate and the spaces around them."""
    lead, body, trail = _EDGES.match(line).groups()  # type: ignore[union-attr]
    out = [Segment(lead)]
    start = 0
    for match in _SENTENCE_END.finditer(body):
        space = match.group("space") if match.group("space") is not None else match.group("cjk")
        cut = match.end() - len(space)
        if cut == len(body) or not _ends_sentence(body, start, match, space):
            continue
        out += [Segment(body[start:cut], translatable(body[start:cut])), Segment(space)]
        start = match.end()
    if start < len(body):
        out.append(Segment(body[start:], translatable(body[start:])))
    out.append(Segment(trail))
    return out


def _ends_sentence(body: str, start: int, match: re.Match[str], space: str) -> bool:
    if match.group("cjk") is not None:
        return True
    following = body[match.end() : match.end() + 1]
    if following.islower():  # "e.g. this", "3 p.m. today"
        return False
    word = body[start : match.start()].rsplit(None, 1)[-1:] or [""]
    last = word[0].lstrip("(\"'“‘«").casefold()
    is_initial = len(last) == 1 and last.isalpha()
    return not (match.group().startswith(".") and (last in _ABBREVIATIONS or is_initial))


def _lines(text: str) -> list[tuple[str, str]]:
    """(line, its line break) pairs; the last line's break is empty."""
    parts = _NEWLINE.split(text)
    return [(parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]


def split_text(text: str) -> list[Segment]:
    return [seg for line, newline in _lines(text) for seg in (*sentences(line), Segment(newline))]


# Markdown: what precedes a line's text (indent, quotes, heading or list marker, task box).
_MD_PREFIX = re.compile(
    r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:#{1,6}(?=[ \t]|$)[ \t]*|(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)?"
)  # fmt: skip
_MD_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_MD_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_MD_KEEP_LINE = re.compile(r"^[ \t]{0,3}(?:\[[^\]]+\]:[ \t]*\S+.*|</?[A-Za-z!][^>]*>[ \t]*)$")
_MD_LIST = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_MD_NOT_PROSE = re.compile(r"`[^`]*`|\]\([^)]*\)|<[^>]*>|https?://\S+")


def _md_words(text: str) -> bool:
    """Prose in markdown: a sentence that is only inline code, links or URLs stays as is."""
    return _words(_MD_NOT_PROSE.sub("", text))


def split_markdown(text: str) -> list[Segment]:
    """Markdown with its structure kept: fenced and indented code, front matter, HTML
    lines and link definitions untranslated; heading, list, quote and table markers kept."""
    lines = _lines(text)
    out: list[Segment] = []
    front_end = _front_matter_end(lines)
    fence = ""
    previous_blank, previous_code, in_list = True, False, False
    for number, (line, newline) in enumerate(lines):
        blank = not line.strip()
        code = False
        if number <= front_end:
            out.append(Segment(line))
        elif fence:
            out.append(Segment(line))
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = ""
        elif match := _MD_FENCE.match(line):
            fence = match.group(1)
            out.append(Segment(line))
        elif line.startswith(("    ", "\t")) and (previous_blank or previous_code) and not in_list:
            code = not blank  # an indented code block
            out.append(Segment(line))
        else:
            if not blank and not line.startswith((" ", "\t")):
                in_list = bool(_MD_LIST.match(line))
            out += _markdown_line(line)
        previous_blank, previous_code = blank, code or (previous_code and blank)
        out.append(Segment(newline))
    return out


def _front_matter_end(lines: list[tuple[str, str]]) -> int:
    if not lines or lines[0][0] != "---":
        return -1
    closing = (n for n, (line, _) in enumerate(lines[1:], 1) if line in ("---", "..."))
    return next(closing, -1)


def _markdown_line(line: str) -> list[Segment]:
    if not line.strip() or _MD_KEEP_LINE.match(line):
        return [Segment(line)]
    if line.lstrip().startswith("|"):  # a table row: translate each cell
        cells = re.split(r"(?<!\\)(\|)", line)
        return [
            seg
            for cell in cells
            for seg in ([Segment(cell)] if cell == "|" else sentences(cell, _md_words))
        ]
    prefix = _MD_PREFIX.match(line).group()  # type: ignore[union-attr]
    rest = line[len(prefix) :]
    closing = _MD_HEADING_CLOSE.search(rest) if prefix.strip().startswith("#") else None
    tail = closing.group() if closing else ""
    return [Segment(prefix), *sentences(rest[: len(rest) - len(tail)], _md_words), Segment(tail)]


_SRT_TIMING = re.compile(r"^\s*\d+:\d{2}:\d{2}[,.]\d{1,3}\s*-->")


def split_srt(text: str) -> list[Segment]:
    """SubRip subtitles: numbers and timing lines kept, each text line translated."""
    out: list[Segment] = []
    for line, newline in _lines(text):
        keep = line.strip().isdigit() or _SRT_TIMING.match(line)
        out += [Segment(line), Segment(newline)] if keep else [*sentences(line), Segment(newline)]
    return out


def split_document(text: str, kind: str = "text") -> list[Segment]:
    """Segments of a document of `kind` (text, markdown, subtitles); a BOM is kept."""
    splitter = {"text": split_text, "markdown": split_markdown, "subtitles": split_srt}[kind]
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    return _merge([Segment(bom), *splitter(text[len(bom) :])])


_CLAUSE_BREAK = re.compile(r"(?<=[,;:—–])\s+|\s+(?=[—–]\s)")
_WORD_BREAK = re.compile(r"\s+")


def fit(segments: Iterable[Segment], measure: Callable[[str], int], limit: int) -> list[Segment]:
    """Split every translatable segment that `measure`s over `limit` (model tokens) at
    clause breaks, then between words, then between characters: nothing is ever cut off."""
    out: list[Segment] = []
    for segment in segments:
        if segment.translate and measure(segment.text) > limit:
            out += _split_to_fit(segment.text, measure, limit, (_CLAUSE_BREAK, _WORD_BREAK))
        else:
            out.append(segment)
    return _merge(out)


def _split_to_fit(
    text: str, measure: Callable[[str], int], limit: int, breaks: Sequence[re.Pattern[str]]
) -> list[Segment]:
    if measure(text) <= limit:
        return [Segment(text, True)]
    if not breaks:
        return _split_characters(text, measure, limit)
    out: list[Segment] = []
    start = 0  # greedily grow a piece from `start`, one break at a time, while it fits
    previous: re.Match[str] | None = None
    for space in [*breaks[0].finditer(text), None]:
        end = space.start() if space else len(text)
        if previous and measure(text[start:end]) > limit:
            out += _split_to_fit(text[start : previous.start()], measure, limit, breaks[1:])
            out.append(Segment(previous.group()))
            start = previous.end()
        previous = space
    return out + _split_to_fit(text[start:], measure, limit, breaks[1:])


def _split_characters(text: str, measure: Callable[[str], int], limit: int) -> list[Segment]:
    out = []
    while text:
        low, high = 1, len(text)  # the longest prefix that fits (at least one character)
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if measure(text[:middle]) <= limit else (low, middle - 1)
        out.append(Segment(text[:low], True))
        text = text[low:]
    return out


def _merge(segments: Iterable[Segment]) -> list[Segment]:
    """Drop empty segments and fuse neighbouring kept ones."""
    out: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if out and not segment.translate and not out[-1].translate:
            out[-1] = Segment(out[-1].text + segment.text)
        else:
            out.append(segment)
    return out


def to_translate(segments: Iterable[Segment]) -> list[str]:
    return [segment.text for segment in segments if segment.translate]


def join(segments: Sequence[Segment], translations: Sequence[str]) -> str:
    """The document again, each translatable segment replaced by its translation, in order."""
    wanted = sum(segment.translate for segment in segments)
    if wanted != len(translations):
        raise ValueError(f"{len(translations)} translations for {wanted} segments")
    found = iter(translations)
    return "".join(next(found) if segment.translate else segment.text for segment in segments)


def document_kind(path: Path) -> str:
    kind = DOCUMENT_KINDS.get(path.suffix.lower())
    if kind is None:
        raise ValidationError(
            f"{path.name}: unsupported file type {path.suffix or '(none)'!r}; "
            f"translate {', '.join(sorted(set(DOCUMENT_KINDS)))} files"
        )
    return kind


def read_document(path: Path) -> tuple[str, str]:
    """(text, kind) of a .txt/.md/.srt file; a one-line ValidationError for anything else."""
    kind = document_kind(path)
    if path.is_dir():
        raise ValidationError(f"{path} is a folder, not a document")
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_DOCUMENT_BYTES else b""
    except FileNotFoundError:
        raise ValidationError(f"file not found: {path}") from None
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror or exc}") from None
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationError(f"{path.name} is too large ({size / 2**20:.1f} MiB, at most 20 MiB)")
    try:
        utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
        return data.decode("utf-16" if utf16 else "utf-8"), kind
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{path.name} is not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start}); "
            "save it as UTF-8 and try again"
        ) from None
