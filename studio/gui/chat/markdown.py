"""A message's Markdown as rich text for a QLabel: Qt's own Markdown reader, with code in
the system's fixed-width font on a tinted background, wrapped (a label cannot scroll)."""

from __future__ import annotations

from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)


def markdown_html(text: str, font: QFont, code_background: QColor) -> str:
    document = QTextDocument()
    document.setDefaultFont(font)
    document.setMarkdown(text, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    code = QTextCharFormat()
    code.setFontFamilies([fixed])
    cursor = QTextCursor(document)
    block = document.begin()
    while block.isValid():
        layout = block.blockFormat()
        if layout.hasProperty(QTextFormat.Property.BlockCodeFence) or layout.nonBreakableLines():
            layout.setBackground(code_background)
            layout.setNonBreakableLines(False)
            layout.setLeftMargin(6)
            layout.setRightMargin(6)
            cursor.setPosition(block.position())
            cursor.setBlockFormat(layout)
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            cursor.mergeCharFormat(code)
        else:
            _tint_inline_code(block, cursor, code, code_background)
        block = block.next()
    return document.toHtml()


def _tint_inline_code(block: QTextBlock, cursor: QTextCursor, code: QTextCharFormat,
                      tint: QColor) -> None:  # fmt: skip
    """`inline code` spans: the fixed font and the code tint."""
    # fontFamilies() only where set: on a format without families PySide6 6.12 returns
    # None without a reference, and enough of those crash the interpreter.
    spans = []
    for piece in block.textFormats():
        form = piece.format
        named = form.hasProperty(QTextFormat.Property.FontFamilies)
        if form.fontFixedPitch() or (named and "monospace" in (form.fontFamilies() or [])):
            spans.append((block.position() + piece.start, piece.length))
    inline = QTextCharFormat(code)
    inline.setBackground(tint)
    for start, length in spans:
        cursor.setPosition(start)
        cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(inline)
