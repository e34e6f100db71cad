"""Paged, filtered reads of the gallery for views that show a window of 100,000 rows.

GalleryStore answers "the last N" and "the best N matches"; a scrolling view needs a
count and any page of one ordering, under a filter. GalleryPager opens its own read
connection so the view never waits on the store's write lock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from studio.core.database import connect
from studio.core.gallery.store import _fts_query


@dataclass(frozen=True)
class GalleryFilter:
    """What the view shows: full-text words, an exact task and model, newest or oldest first."""

    text: str = ""
    task: str = ""
    model: str = ""
    newest_first: bool = True


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
        source, where, args = _clauses(view)
        with self._lock:
            row = self._conn.execute(f"SELECT COUNT(*) FROM {source} {where}", args).fetchone()
        return int(row[0])

    def page(self, view: GalleryFilter, offset: int, limit: int) -> list[GalleryRow]:
        source, where, args = _clauses(view)
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

    def _distinct(self, column: str) -> list[str]:
        # Both columns lead the (task, model) index, so this is an index scan, not a sort.
        with self._lock:
            rows = self._conn.execute(
                f"SELECT DISTINCT {column} FROM outputs ORDER BY {column}"
            ).fetchall()
        return [r[0] for r in rows]


def _clauses(view: GalleryFilter) -> tuple[str, str, list[object]]:
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
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    return source, where, args


__all__ = ["GalleryFilter", "GalleryPager", "GalleryRow"]
