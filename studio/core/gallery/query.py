"""Paged, filtered reads of the gallery for views that show a window of 100,000 rows.

GalleryStore answers "the last N" and "the best N matches"; a scrolling view needs a
count and any page of one ordering, under a filter. GalleryPager opens its own read
connection so the view never waits on the store's write lock.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from studio.core.database import connect
from studio.core.errors import ValidationError
from studio.core.gallery.store import _fts_query
from studio.core.gallery.tags import clean_tag, spelling, tag_counts


@dataclass(frozen=True)
class GalleryFilter:
    """What the view shows: full-text words, an exact task, model and tag, outputs made
    since a date or time (ISO; without a zone it is local time), newest or oldest first."""

    text: str = ""
    task: str = ""
    model: str = ""
    newest_first: bool = True
    tag: str = ""
    since: str = ""

    def __post_init__(self) -> None:
        # Bad input fails here, in one line, not later inside a query.
        if self.tag:
            clean_tag(self.tag)
        if self.since:
            since_bound(self.since)


def since_bound(text: str) -> str:
    """The UTC moment `text` stands for, in the form of the gallery's `created` column."""
    try:
        moment = datetime.fromisoformat(text.strip())
        # A naive value is what the person's clock says; astimezone reads it as local time.
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    except (ValueError, OverflowError):
        raise ValidationError(
            f"since must be a date like 2026-05-01 or 2026-05-01T18:30 (got {text!r})"
        ) from None


@dataclass(frozen=True)
class GalleryRow:
    """The columns a gallery tile needs; the full record stays in the database."""

    id: int
    path: Path
    task: str
    model: str
    prompt: str
    seed: int | None
    created: str


class GalleryPager:
    """Counts and pages of gallery rows under a GalleryFilter (thread-safe, read only)."""

    def __init__(self, database: Path) -> None:
        self._conn = connect(database)
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> GalleryPager:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def count(self, view: GalleryFilter) -> int:
        source, where, args = self._clauses(view)
        with self._lock:
            row = self._conn.execute(f"SELECT COUNT(*) FROM {source} {where}", args).fetchone()
        return int(row[0])

    def page(self, view: GalleryFilter, offset: int, limit: int) -> list[GalleryRow]:
        source, where, args = self._clauses(view)
        order = "DESC" if view.newest_first else "ASC"
        with self._lock:
            rows = self._conn.execute(
                "SELECT o.id, o.path, o.task, o.model, o.prompt, o.seed, o.created"
                f" FROM {source} {where} ORDER BY o.created {order}, o.id {order}"
                " LIMIT ? OFFSET ?",
                [*args, limit, offset],
            ).fetchall()
        return [GalleryRow(r[0], Path(r[1]), *r[2:]) for r in rows]

    def tasks(self) -> list[str]:
        return self._distinct("task")

    def models(self) -> list[str]:
        return self._distinct("model")

    def tags(self) -> list[tuple[str, int]]:
        """Every tag with its number of outputs, in dictionary order."""
        with self._lock:
            return tag_counts(self._conn)

    def _distinct(self, column: str) -> list[str]:
        # Both columns lead the (task, model) index, so this is an index scan, not a sort.
        with self._lock:
            rows = self._conn.execute(
                f"SELECT DISTINCT {column} FROM outputs ORDER BY {column}"
            ).fetchall()
        return [r[0] for r in rows]

    def _clauses(self, view: GalleryFilter) -> tuple[str, str, list[object]]:
        with self._lock:
            return _clauses(self._conn, view)


def _clauses(conn: sqlite3.Connection, view: GalleryFilter) -> tuple[str, str, list[object]]:
    conditions: list[str] = []
    args: list[object] = []
    source = "outputs o"
    query = _fts_query(view.text)
    if query:
        source = "outputs_fts f JOIN outputs o ON o.id = f.rowid"
        conditions.append("outputs_fts MATCH ?")
        args.append(query)
    for column, value in (("task", view.task), ("model", view.model)):
        if value:
            conditions.append(f"o.{column} = ?")
            args.append(value)
    if view.tag:
        # The tag index gives the ids; outputs are then read by rowid.
        conditions.append("o.id IN (SELECT output_id FROM output_tags WHERE tag = ?)")
        args.append(spelling(conn, clean_tag(view.tag)))
    if view.since:
        conditions.append("o.created >= ?")  # ISO text in UTC: text order is time order
        args.append(since_bound(view.since))
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    return source, where, args


__all__ = ["GalleryFilter", "GalleryPager", "GalleryRow", "since_bound"]
