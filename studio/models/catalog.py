"""ModelCatalog: the models table of the studio database, one row per model content.

A model found in two places (same content hash) is one entry with two paths. The
user's overrides (task, family), tags, notes and pickle opt-in live beside what
identification found, never replacing it.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studio.core.database import connect
from studio.core.errors import ModelError
from studio.models.identify import Identity

_FIELDS = ("id, name, source, task, family, kind, format, reason, problem, size, sha256, added, "
           "last_used, tags, notes, task_override, family_override, allow_pickle, options, facts")  # fmt: skip


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def scan_clock() -> str:
    """A sortable, strictly increasing mark for `seen`: nanoseconds, zero-padded."""
    return f"{time.time_ns():020d}"


@dataclass(frozen=True)
class CatalogEntry:
    id: int
    name: str
    source: str
    detected_task: str
    detected_family: str
    kind: str
    format: str
    reason: str
    problem: str
    size: int
    sha256: str | None
    added: str
    last_used: str | None
    tags: str
    notes: str
    task_override: str | None
    family_override: str | None
    allow_pickle: bool
    options: dict[str, Any]
    facts: dict[str, Any]  # what identification read from the header (Identity.facts)
    paths: tuple[Path, ...] = ()

    @property
    def task(self) -> str:
        return self.task_override or self.detected_task

    @property
    def family(self) -> str:
        return self.family_override or self.detected_family

    @property
    def path(self) -> Path:
        """The first place the model lives (the one loading uses)."""
        return self.paths[0]

    @property
    def short_hash(self) -> str | None:
        return self.sha256[:10] if self.sha256 else None

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "paths"}
        data.update(task=self.task, family=self.family, short_hash=self.short_hash,
                    paths=[str(p) for p in self.paths])  # fmt: skip
        return data


class ModelCatalog:
    def __init__(self, database: Path) -> None:
        self._conn = connect(database)
        self._lock = threading.RLock()

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ModelCatalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- what scans write -------------------------------------------------------------

    def path_state(self, path: Path) -> tuple[str, str] | None:
        """(signature, problem) recorded for `path` by the last scan, or None if never seen."""
        with self._lock:
            row = self._conn.execute(
                "SELECT p.signature, m.problem FROM model_paths p JOIN models m ON m.id = p.model_id"
                " WHERE p.path = ?",
                (str(path),),
            ).fetchone()
        return (row[0], row[1]) if row else None

    def mark_seen(self, path: Path) -> None:
        with self._lock:
            self._conn.execute(
                "UPDATE model_paths SET seen = ? WHERE path = ?", (scan_clock(), str(path))
            )

    def record(
        self, path: Path, identity: Identity, *, name: str, source: str, size: int, signature: str
    ) -> int:
        """Add or refresh the entry for `path`; returns the entry id."""
        values = (name, source, identity.task, identity.family, identity.kind, identity.format,
                  identity.reason, identity.problem, size,
                  json.dumps(identity.facts, sort_keys=True, default=str))  # fmt: skip
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                row = self._conn.execute(
                    "SELECT model_id FROM model_paths WHERE path = ?", (str(path),)
                ).fetchone()
                if row:
                    model_id = int(row[0])
                    self._conn.execute(
                        "UPDATE models SET name=?, source=?, task=?, family=?, kind=?, format=?, reason=?,"
                        " problem=?, size=?, facts=?, sha256=NULL WHERE id=?",
                        (*values, model_id),
                    )
                    self._conn.execute(
                        "UPDATE model_paths SET signature=?, seen=? WHERE path=?",
                        (signature, scan_clock(), str(path)),
                    )
                else:
                    cursor = self._conn.execute(
                        "INSERT INTO models (name, source, task, family, kind, format, reason, problem, size,"
                        " facts, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (*values, _now()),
                    )
                    model_id = int(cursor.lastrowid or 0)
                    self._conn.execute(
                        "INSERT INTO model_paths (path, model_id, signature, seen) VALUES (?, ?, ?, ?)",
                        (str(path), model_id, signature, scan_clock()),
                    )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return model_id

    def set_hash(self, model_id: int, sha256: str) -> int:
        """Store a content hash; if another entry has it, merge into that one. Returns the survivor."""
        with self._lock:
            row = self._conn.execute(
                "SELECT id FROM models WHERE sha256 = ? AND id != ? ORDER BY id LIMIT 1",
                (sha256, model_id),
            ).fetchone()
            if row is None:
                self._conn.execute("UPDATE models SET sha256 = ? WHERE id = ?", (sha256, model_id))
                return model_id
            survivor = int(row[0])
            self._conn.execute(
                "UPDATE model_paths SET model_id = ? WHERE model_id = ?", (survivor, model_id)
            )
            self._conn.execute("DELETE FROM models WHERE id = ?", (model_id,))
            return survivor

    def forget_paths_under(self, root: Path, seen_since: str) -> int:
        """Drop paths under `root` that the scan starting at `seen_since` did not see."""
        prefix = str(root).rstrip("/\\")
        with self._lock:
            cursor = self._conn.execute(
                "DELETE FROM model_paths WHERE (path = ? OR path LIKE ? ESCAPE '!') AND seen < ?",
                (prefix, _like_prefix(prefix), seen_since),
            )
            self._conn.execute(
                "DELETE FROM models WHERE id NOT IN (SELECT model_id FROM model_paths)"
            )
            return cursor.rowcount

    # --- what users and loaders read and change -----------------------------------------

    def entries(self, task: str | None = None) -> list[CatalogEntry]:
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_FIELDS} FROM models ORDER BY task, name"
            ).fetchall()
            found = [self._entry(row) for row in rows]
        return [e for e in found if task is None or e.task == task]

    def same_size(self, size: int, exclude: int) -> list[tuple[int, str | None, Path]]:
        """(id, sha256, first path) of entries of exactly `size` bytes: the only possible
        duplicates of a new model. Kept lean: a scan asks once per new file."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT m.id, m.sha256, (SELECT path FROM model_paths p WHERE p.model_id = m.id"
                " ORDER BY p.rowid LIMIT 1) FROM models m WHERE m.size = ? AND m.id != ?",
                (size, exclude),
            ).fetchall()
        return [(int(i), sha, Path(path)) for i, sha, path in rows if path is not None]

    def get(self, model_id: int) -> CatalogEntry | None:
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_FIELDS} FROM models WHERE id = ?", (model_id,)
            ).fetchone()
            return self._entry(row) if row else None

    def find(self, ref: str) -> CatalogEntry:
        """A model by id, exact path or unique name; ModelError with the choices otherwise."""
        if ref.isdigit() and (entry := self.get(int(ref))):
            return entry
        with self._lock:
            path_row = self._conn.execute(
                "SELECT model_id FROM model_paths WHERE path = ?",
                (str(Path(ref).expanduser().resolve()),),
            ).fetchone()
            if path_row:
                return self.get(int(path_row[0]))  # type: ignore[return-value]
            ids = [r[0] for r in self._conn.execute("SELECT id FROM models WHERE name = ?", (ref,))]
        if len(ids) == 1:
            return self.get(int(ids[0]))  # type: ignore[return-value]
        if len(ids) > 1:
            raise ModelError(
                f"{len(ids)} models are named {ref!r}; use an id: {', '.join(map(str, ids))}"
            )
        raise ModelError(f"no model {ref!r} in the catalog (see `studio models list`)")

    def update(self, model_id: int, **changes: Any) -> None:
        allowed = {
            "task_override",
            "family_override",
            "tags",
            "notes",
            "allow_pickle",
            "options",
            "last_used",
        }
        if not changes or set(changes) - allowed:
            raise ValueError(f"cannot change {sorted(set(changes) - allowed)}")
        if "options" in changes:
            changes["options"] = json.dumps(changes["options"], sort_keys=True)
        assignments = ", ".join(f"{k} = ?" for k in changes)
        with self._lock:
            self._conn.execute(
                f"UPDATE models SET {assignments} WHERE id = ?", (*changes.values(), model_id)
            )

    def touch(self, model_id: int) -> None:
        self.update(model_id, last_used=_now())

    def remove(self, model_id: int) -> bool:
        """Forget a model (its files stay where they are)."""
        with self._lock:
            cursor = self._conn.execute("DELETE FROM models WHERE id = ?", (model_id,))
            return cursor.rowcount > 0

    def _entry(self, row: tuple[Any, ...]) -> CatalogEntry:
        paths = tuple(
            Path(r[0]) for r in self._conn.execute(
                "SELECT path FROM model_paths WHERE model_id = ? ORDER BY rowid", (row[0],)
            )
        )  # fmt: skip
        values = list(row)
        values[17] = bool(values[17])
        values[18] = json.loads(values[18] or "{}")
        values[19] = json.loads(values[19] or "{}")
        return CatalogEntry(*values, paths=paths)


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    sep = "\\" if "\\" in prefix and "/" not in prefix else "/"
    return escaped + sep + "%"
