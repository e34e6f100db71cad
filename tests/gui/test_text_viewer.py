"""The text viewer: Markdown, long and missing files, code highlighting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from studio.gui.viewers import TextViewer
from studio.gui.viewers.highlighter import CodeHighlighter, language_for
from tests.gui.viewer_helpers import (
    MS,
    shown,
)


def test_markdown_renders_and_shows_its_source(qtbot: Any, outputs: dict[str, Any]) -> None:
    viewer = shown(qtbot, TextViewer())
    with qtbot.waitSignal(viewer.loaded, timeout=MS):
        viewer.load(outputs["text"].path)
    assert viewer.showing_rendered() and viewer.raw_button.isVisible()
    assert viewer.rendered.toPlainText().startswith("The sea")  # a heading, not "# The sea"
    viewer.raw_button.click()
    assert not viewer.showing_rendered() and viewer.raw.toPlainText().startswith("# The sea")
    with qtbot.waitSignal(viewer.loaded, timeout=MS):
        viewer.load(outputs["code"].path)
    assert not viewer.showing_rendered() and not viewer.raw_button.isVisible()
    assert viewer.info.text() == "Python"
    viewer.shutdown()


def test_long_and_missing_text_files(qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr("studio.gui.viewers.text_viewer.MAX_BYTES", 1000)
    long = tmp_path / "long.txt"
    long.write_text("word " * 1000, encoding="utf-8")
    viewer = shown(qtbot, TextViewer())
    with qtbot.waitSignal(viewer.loaded, timeout=MS):
        viewer.load(long)
    assert len(viewer.raw.toPlainText()) == 1000 and "shown" in viewer.info.text()
    with qtbot.waitSignal(viewer.failed, timeout=MS) as failed:
        viewer.load(tmp_path / "gone.md")
    assert failed.args[0] == "Cannot show gone.md: the file is gone"
    viewer.shutdown()


def formats(document: QTextDocument, line: int) -> dict[str, str]:
    """Each highlighted span of one line, by its text, as the foreground colour."""
    block = document.findBlockByNumber(line)
    return {
        block.text()[r.start : r.start + r.length]: r.format.foreground().color().name()
        for r in block.layout().formats()
    }


@pytest.mark.parametrize(
    ("suffix", "source", "expected"),
    [
        (".py", 'x = "a # b"  # note 1\n', {'"a # b"': "string", "# note 1": "comment"}),
        (".py", 'def f():\n    """doc\n    more"""\n    return 2\n', {"def": "keyword"}),
        (".ts", "const n = 42; /* a\nb */ let s = 'q'", {"const": "keyword", "42": "number"}),
        (".json", '{"key": "value", "n": 1.5e3, "ok": true}', {'"key"': "key", "true": "keyword"}),
        (".sh", 'echo "$HOME" # home\n', {"# home": "comment", "echo": "keyword"}),
    ],
)
def test_highlighter_tokens(qtbot: Any, suffix: str, source: str, expected: dict) -> None:
    document = QTextDocument()
    document.documentLayout()  # as in a view: formats live in the layout's blocks
    highlighter = CodeHighlighter(document, language_for(f"file{suffix}"))
    QApplication.processEvents()  # Qt's first (delayed) pass; later edits highlight at once
    document.setPlainText(source)
    spans = formats(document, 0)
    for text, kind in expected.items():
        assert spans.get(text) == highlighter.formats[kind].foreground().color().name(), text


def test_highlighter_carries_blocks_across_lines(qtbot: Any) -> None:
    document = QTextDocument()
    document.documentLayout()
    highlighter = CodeHighlighter(document, "python")
    QApplication.processEvents()
    document.setPlainText('s = """one\ntwo # not a comment\nthree""" + x\n')
    string = highlighter.formats["string"].foreground().color().name()
    assert formats(document, 1) == {"two # not a comment": string}
    assert formats(document, 2) == {'three"""': string}
    highlighter.set_language("c")
    document.setPlainText("/* open\nstill comment\n*/ int x;")
    comment = highlighter.formats["comment"].foreground().color().name()
    assert formats(document, 1) == {"still comment": comment}
    assert formats(document, 2)["int"] == highlighter.formats["keyword"].foreground().color().name()
