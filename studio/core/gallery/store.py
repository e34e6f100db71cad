"""GalleryStore: the gallery table of the studio database (SQLite, WAL mode)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.database import connect
from studio.core.errors import StudioError
from studio.core.gallery.tags import clean_tag, clean_tags, sort_key, spelling, tag_counts
from studio.core.outputs.record import OutputRecord
from studio.core.requests import ImageRequest

_COLUMNS = "id, path, task, model, model_hash, prompt, negative_prompt, seed, width, height, record_json, sha256, created"  # noqa: E501


@dataclass(frozen=True)
class GalleryEntry:
    id: int
    path: Path
    task: str
    model: str
    model_hash: str | None
    prompt: str
    negative_prompt: str
    seed: int | None
    width: int | None
    height: int | None
    record: dict[str, Any]
    sha256: str
    created: str

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["path"] = str(self.path)
        return data


class GalleryStore:
    """Thread-safe access to the gallery rows; one connection guarded by a lock."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self._conn = connect(database)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> GalleryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, path: Path, record: OutputRecord, sha256: str) -> int:
        """Add a row for a file that is already durably on disk."""
        if not path.is_file():
            raise StudioError(f"refusing a gallery row for a file that does not exist: {path}")
        request = record.request
        image = request if isinstance(request, ImageRequest) else None
        row = (
            str(path.resolve()),
            request.TYPE,
            record.model_name,
            record.model_hash,
            request.search_text(),
            getattr(request, "negative_prompt", ""),
            record.seed,
            image.width if image else None,
            image.height if image else None,
            record.to_json(),
            sha256,
            record.created,
        )
        with self._lock:
            cursor = self._conn.execute(
                "INSERT INTO outputs (path, task, model, model_hash, prompt, negative_prompt,"
                " seed, width, height, record_json, sha256, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                # A resumed batch rewrites a file at the same path: refresh its row.
                " ON CONFLICT(path) DO UPDATE SET task=excluded.task, model=excluded.model,"
                " model_hash=excluded.model_hash, prompt=excluded.prompt,"
                " negative_prompt=excluded.negative_prompt, seed=excluded.seed,"
                " width=excluded.width, height=excluded.height, record_json=excluded.record_json,"
                " sha256=excluded.sha256, created=excluded.created RETURNING id",
                row,
            )
            return int(cursor.fetchone()[0])

    def get(self, entry_id: int) -> GalleryEntry | None:
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_COLUMNS} FROM outputs WHERE id = ?", (entry_id,)
            ).fetchone()
        return _entry(row) if row else None

    def recent(self, limit: int = 100, task: str | None = None) -> list[GalleryEntry]:
        where, args = ("WHERE task = ?", [task]) if task else ("", [])
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM outputs {where} ORDER BY created DESC, id DESC LIMIT ?",
                [*args, limit],
            ).fetchall()
        return [_entry(r) for r in rows]

    def search(self, text: str, limit: int = 100) -> list[GalleryEntry]:
        """Full-text search over prompts and model names; every word must match."""
        query = _fts_query(text)
        if not query:
            return self.recent(limit)
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {', '.join('o.' + c.strip() for c in _COLUMNS.split(','))}"
                " FROM outputs_fts f JOIN outputs o ON o.id = f.rowid"
                " WHERE outputs_fts MATCH ? ORDER BY f.rank, o.id DESC LIMIT ?",
                (query, limit),
            ).fetchall()
        return [_entry(r) for r in rows]

    def remove(self, entry_id: int) -> None:
        """Drop a row; its tags go with it (ON DELETE CASCADE)."""
        with self._lock:
            self._conn.execute("DELETE FROM outputs WHERE id = ?", (entry_id,))

    def add_tags(self, entry_id: int, tags: list[str]) -> list[str]:
        """Tag an output (tags it has already are kept); returns the tags as stored."""
        cleaned = clean_tags(tags)  # every tag is checked before anything is written
        with self._lock:
            if self._conn.execute("SELECT 1 FROM outputs WHERE id = ?", (entry_id,)).fetchone():
                stored = [spelling(self._conn, tag) for tag in cleaned]
                self._conn.executemany(
                    "INSERT OR IGNORE INTO output_tags (output_id, tag) VALUES (?, ?)",
                    [(entry_id, tag) for tag in stored],
                )
                return stored
        raise StudioError(f"gallery output {entry_id} does not exist (it was removed)")

    def remove_tag(self, entry_id: int, tag: str) -> bool:
        """Untag an output, whatever the case of `tag`; False if it did not have it."""
        cleaned = clean_tag(tag)
        with self._lock:
            cursor = self._conn.execute(
                "DELETE FROM output_tags WHERE output_id = ? AND tag = ?",
                (entry_id, spelling(self._conn, cleaned)),
            )
            return cursor.rowcount > 0

    def tags(self, entry_id: int) -> list[str]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT tag FROM output_tags WHERE output_id = ?", (entry_id,)
            ).fetchall()
        return sorted((r[0] for r in rows), key=sort_key)

    def all_tags(self) -> list[tuple[str, int]]:
        """Every tag in the gallery with its number of outputs, in dictionary order."""
        with self._lock:
            return tag_counts(self._conn)

    def count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM outputs").fetchone()[0])


def _fts_query(text: str) -> str:
    # Quote every word so user text is never parsed as FTS5 syntax; prefix-match each.
    words = [w.replace('"', '""') for w in text.split()]
    return " ".join(f'"{w}"*' for w in words if w)


def _entry(row: tuple[Any, ...]) -> GalleryEntry:
    values = list(row)
    values[1] = Path(values[1])
    values[10] = json.loads(values[10])
    return GalleryEntry(*values)
