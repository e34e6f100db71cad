"""Tag names: cleaned once, kept in the person's spelling, compared without case.

The output_tags column is COLLATE NOCASE, which folds ASCII only; `spelling` also finds
"Ônibus" for "ônibus", so one tag never splits into two because of an accent's case.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterable

from studio.core.errors import ValidationError

MAX_TAG_LENGTH = 64


def clean_tag(text: str) -> str:
    """`text` trimmed with inner whitespace runs made one space; one line if unusable."""
    if not isinstance(text, str):
        raise ValidationError(f"a tag must be text (got {type(text).__name__})")
    tag = " ".join(text.split())
    if not tag:
        raise ValidationError("a tag cannot be empty")
    if len(tag) > MAX_TAG_LENGTH:
        raise ValidationError(
            f"tag {tag[:20]!r}... is too long ({len(tag)} characters, at most {MAX_TAG_LENGTH})"
        )
    return tag


def clean_tags(texts: Iterable[str]) -> list[str]:
    """Each tag cleaned, case-insensitive duplicates dropped (the first spelling stays)."""
    seen: dict[str, str] = {}
    for text in texts:
        tag = clean_tag(text)
        seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


def sort_key(tag: str) -> tuple[str, str]:
    """Dictionary order: case and accents do not count ("Ônibus" sorts with the o's)."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", tag) if not unicodedata.combining(c))
    return bare.casefold(), tag


def spelling(conn: sqlite3.Connection, tag: str) -> str:
    """The spelling the gallery already uses for `tag`, or `tag` itself if it is new."""
    # The NOCASE index answers ASCII case at once; only non-ASCII needs the distinct scan.
    row = conn.execute("SELECT tag FROM output_tags WHERE tag = ? LIMIT 1", (tag,)).fetchone()
    if row is not None:
        return str(row[0])
    if tag.isascii():
        return tag
    folded = tag.casefold()
    for (name,) in conn.execute("SELECT DISTINCT tag FROM output_tags"):
        if name.casefold() == folded:
            return str(name)
    return tag


def tag_counts(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Every tag with how many outputs carry it, in dictionary order."""
    rows = conn.execute("SELECT tag, COUNT(*) FROM output_tags GROUP BY tag").fetchall()
    return sorted(((str(t), int(n)) for t, n in rows), key=lambda r: sort_key(r[0]))
