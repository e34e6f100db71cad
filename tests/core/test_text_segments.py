"""Sentence splitting and re-joining: every byte of the original comes back, structure is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.core.errors import ValidationError
from studio.core.languages import find_language, get_language, language_for_model_code
from studio.core.text_segments import (
    Segment,
    fit,
    join,
    read_document,
    split_document,
    split_markdown,
    split_srt,
    split_text,
    to_translate,
)

# Text that exercises every rule: line breaks of all kinds, sentence ends, markdown and
# subtitle markers, CJK stops, tabs and odd Unicode spaces.
_ALPHABET = st.sampled_from(
    [*"ab Zé.!?…,;:—\n\r\t#->*+|`~[]()0123456789。！」\u00a0\u2028\ufeff", "```", " --> "]
)
DOCUMENTS = st.lists(_ALPHABET, max_size=120).map("".join)


def identity(segments: list[Segment]) -> str:
    return join(segments, to_translate(segments))


@settings(max_examples=300, deadline=None)
@given(DOCUMENTS, st.sampled_from(["text", "markdown", "subtitles"]))
def test_split_then_join_gives_back_every_byte(text: str, kind: str) -> None:
    segments = split_document(text, kind)
    assert identity(segments) == text
    # Line breaks are never inside a sentence: a translation cannot move or drop one.
    assert all("\n" not in s.text and "\r" not in s.text for s in segments if s.translate)


@settings(max_examples=200, deadline=None)
@given(DOCUMENTS, st.integers(min_value=1, max_value=12))
def test_fitting_long_pieces_loses_nothing_and_every_piece_fits(text: str, limit: int) -> None:
    segments = fit(split_text(text), len, limit)
    assert identity(segments) == text
    assert all(len(s.text) <= limit for s in segments if s.translate)


def test_translations_replace_sentences_and_keep_every_line_break() -> None:
    text = "  First one. Second one!\r\n\r\n\tThird?  \n123\n"
    segments = split_text(text)
    assert to_translate(segments) == ["First one.", "Second one!", "Third?"]
    assert join(segments, ["A.", "B!", "C?"]) == "  A. B!\r\n\r\n\tC?  \n123\n"
    with pytest.raises(ValueError, match="2 translations for 3"):
        join(segments, ["A", "B"])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Dr. Smith met J. Doe, e.g. at 3 p.m. today.", ["Dr. Smith met J. Doe, e.g. at 3 p.m. today."]),
        ("Wait... what? Yes.", ["Wait... what?", "Yes."]),
        ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
        ("这是第一句。这是第二句！好", ["这是第一句。", "这是第二句！", "好"]),
        ("Version 2.5 is out. Get it.", ["Version 2.5 is out.", "Get it."]),
    ],
)  # fmt: skip
def test_sentence_boundaries(line: str, expected: list[str]) -> None:
    assert to_translate(split_text(line)) == expected


def test_a_long_sentence_is_split_at_clauses_then_words_never_cut() -> None:
    sentence = "one two three four, five six seven; eight nine ten eleven twelve thirteen."
    segments = fit([Segment(sentence, True)], lambda t: len(t.split()), 4)
    assert to_translate(segments) == [
        "one two three four,", "five six seven;", "eight nine ten eleven", "twelve thirteen.",
    ]  # fmt: skip
    assert identity(segments) == sentence
    word = fit([Segment("x" * 10, True)], len, 4)
    assert to_translate(word) == ["xxxx", "xxxx", "xx"]


MARKDOWN = """---
title: Um documento
---
# Título principal #

Um parágrafo com `código` e um [link](http://example.com). Segunda frase.

- item um
- [x] item dois
1. primeiro

> Citação aqui.

```python
print("não traduzir")
```

    indented code, untouched

| Nome | Valor |
|------|-------|
| gato | um |

[ref]: http://example.com
<div align="center">
`only code`
"""


def test_markdown_structure_is_kept() -> None:
    segments = split_markdown(MARKDOWN)
    assert identity(segments) == MARKDOWN
    assert to_translate(segments) == [
        "Título principal", "Um parágrafo com `código` e um [link](http://example.com).",
        "Segunda frase.", "item um", "item dois", "primeiro", "Citação aqui.", "Nome", "Valor",
        "gato", "um",
    ]  # fmt: skip
    out = join(segments, [f"<{t}>" for t in to_translate(segments)])
    assert "# <Título principal> #\n" in out
    assert "- [x] <item dois>\n1. <primeiro>\n" in out
    assert '```python\nprint("não traduzir")\n```' in out
    assert "    indented code, untouched\n" in out and "title: Um documento\n" in out
    assert "|------|-------|\n| <gato> | <um> |" in out


SRT = """1
00:00:01,000 --> 00:00:02,500
Olá, mundo.
Segunda linha

2
00:00:03,000 --> 00:00:04,000
<i>Tchau!</i>
"""


def test_subtitles_keep_numbers_and_timings() -> None:
    segments = split_srt(SRT)
    assert to_translate(segments) == ["Olá, mundo.", "Segunda linha", "<i>Tchau!</i>"]
    out = join(segments, ["A", "B", "C"])
    assert out == SRT.replace("Olá, mundo.", "A").replace("Segunda linha", "B").replace(
        "<i>Tchau!</i>", "C"
    )


def test_a_byte_order_mark_is_kept_outside_the_text() -> None:
    segments = split_document("\ufeffOlá.\n", "text")
    assert segments[0] == Segment("\ufeff") and to_translate(segments) == ["Olá."]


def test_read_document_and_its_one_line_errors(tmp_path: Path) -> None:
    (tmp_path / "a.srt").write_text(SRT, encoding="utf-8")
    assert read_document(tmp_path / "a.srt") == (SRT, "subtitles")
    (tmp_path / "u16.txt").write_bytes("Olá".encode("utf-16"))
    assert read_document(tmp_path / "u16.txt") == ("Olá", "text")
    (tmp_path / "latin.txt").write_bytes("Olá".encode("latin-1"))
    (tmp_path / "folder.md").mkdir()
    cases = {
        tmp_path / "latin.txt": "latin.txt is not UTF-8 text (byte 0xe1 at offset 2)",
        tmp_path / "missing.md": "file not found",
        tmp_path / "folder.md": "is a folder, not a document",
        tmp_path / "notes.docx": "unsupported file type '.docx'",
        tmp_path / "noext": "unsupported file type '(none)'",
    }
    for path, message in cases.items():
        with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
            read_document(path)


def test_language_codes_in_every_spelling() -> None:
    assert {find_language(c).code for c in ("pt", "POR", "por_Latn", " Pt ")} == {"pt"}  # type: ignore[union-attr]
    assert find_language("zho_Hant").code == "zh-Hant"  # type: ignore[union-attr]
    assert find_language("no").code == "nb" and find_language("ns").code == "nso"  # type: ignore[union-attr]
    assert language_for_model_code("pt_br").code == "pt"  # type: ignore[union-attr]
    assert language_for_model_code("cmn_Hant").code == "zh-Hant"  # type: ignore[union-attr]
    assert language_for_model_code("qqq") is None
    with pytest.raises(ValidationError, match="unknown source code 'xx'"):
        get_language("xx", "source")
