"""JobStore: the jobs table of the studio database, and the lock that lets one process run it."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from studio.core.database import connect
from studio.core.errors import StudioError
from studio.runtime.jobs.model import Job, JobState

_COLUMNS = (
    "id, task, request_json, priority, state, done, total, device, attempts, error,"
    " results, notes, batch, meta, created, started, finished"
)
_NEXT_SEQ = "(SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs)"
# Columns change() may set directly (names go into SQL text, so only these).
_SETTABLE = frozenset(
    {"state", "priority", "done", "total", "device", "error", "results", "meta", "started",
     "finished"}
)  # fmt: skip


class JobStore:
    """Thread-safe access to job rows: one connection, one lock, short transactions."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self._conn = connect(database)
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front: a read-then-update is atomic even
        # against another process using the same database.
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def insert(
        self,
        task: str,
        request_json: str,
        priority: int,
        group: str | None,
        meta: dict[str, Any],
        devices: Iterable[str] = (),
    ) -> int:
        allowed = "".join(f",{d}" for d in devices)
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO jobs (task, request_json, priority, seq, state, devices, batch, meta,"
                f" created) VALUES (?, ?, ?, {_NEXT_SEQ}, ?, ?, ?, ?, ?)",
                (task, request_json, priority, JobState.QUEUED.value,
                 allowed + "," if allowed else "", group, json.dumps(meta), time.time()),
            )  # fmt: skip
            return int(cursor.lastrowid or 0)

    def get(self, job_id: int) -> Job | None:
        with self._lock:
            row = self._conn.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,))
            found = row.fetchone()
        return _job(found) if found else None

    def jobs(self, group: str | None = None, states: Collection[str] | None = None) -> list[Job]:
        where, args = [], []
        if group is not None:
            where.append("batch = ?")
            args.append(group)
        if states is not None:
            where.append(f"state IN ({', '.join('?' * len(states))})")
            args += [str(s) for s in states]
        sql = f"SELECT {_COLUMNS} FROM jobs {'WHERE ' + ' AND '.join(where) if where else ''}"
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY id", args).fetchall()
        return [_job(r) for r in rows]

    def pending(self, job_ids: Collection[int] | None = None) -> int:
        """How many of these jobs (all when None) have not ended."""
        sql = "SELECT COUNT(*) FROM jobs WHERE state NOT IN ('finished', 'failed', 'cancelled')"
        args: list[int] = []
        if job_ids is not None:
            ids = list(job_ids)
            sql += f" AND id IN ({', '.join('?' * len(ids))})"
            args = ids
        with self._lock:
            return int(self._conn.execute(sql, args).fetchone()[0])

    def claim(self, device: str) -> Job | None:
        """Mark the next queued job that may run on `device` as running there, and return it."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT id FROM jobs WHERE state = 'queued'"
                " AND (devices = '' OR instr(devices, ?) > 0)"
                " ORDER BY priority DESC, seq, id LIMIT 1",
                (f",{device},",),
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE jobs SET state = 'running', device = ?, started = ?, finished = NULL,"
                " done = 0, total = 0, error = '', results = '[]' WHERE id = ?",
                (device, time.time(), row[0]),
            )
            found = conn.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", row).fetchone()
        return _job(found)

    def change(
        self,
        job_id: int,
        states: Collection[JobState],
        *,
        note: str | None = None,
        attempts: int = 0,
        requeue_last: bool = False,
        **values: Any,
    ) -> bool:
        """Update a job only if it is in one of `states`; False (nothing written) otherwise.

        note appends to notes, attempts adds to attempts, requeue_last moves it to the back of
        its priority; values set columns (lists, tuples and dicts are stored as JSON).
        """
        assert _SETTABLE.issuperset(values), sorted(set(values) - _SETTABLE)
        sets = [f"{name} = ?" for name in values]
        args = [json.dumps(list(v) if isinstance(v, tuple) else v)
                if isinstance(v, list | tuple | dict) else v for v in values.values()]  # fmt: skip
        with self._write() as conn:
            row = conn.execute("SELECT state, notes FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None or row[0] not in states:
                return False
            if note:
                sets.append("notes = ?")
                args.append(json.dumps([*json.loads(row[1]), note]))
            if attempts:
                sets.append("attempts = attempts + ?")
                args.append(attempts)
            if requeue_last:
                sets.append(f"seq = {_NEXT_SEQ}")
            if sets:
                conn.execute(f"UPDATE jobs SET {', '.join(sets)} WHERE id = ?", [*args, job_id])
        return True

    def set_progress(self, job_id: int, done: int, total: int) -> None:
        with self._lock:
            self._conn.execute(
                "UPDATE jobs SET done = ?, total = ? WHERE id = ?", (done, total, job_id)
            )

    def running_ids(self) -> list[int]:
        with self._lock:
            rows = self._conn.execute("SELECT id FROM jobs WHERE state = 'running' ORDER BY id")
            return [r[0] for r in rows.fetchall()]


def _job(row: tuple[Any, ...]) -> Job:
    (id_, task, request_json, priority, state, done, total, device, attempts, error, results,
     notes, group, meta, created, started, finished) = row  # fmt: skip
    return Job(
        id=id_, task=task, request_json=request_json, priority=priority, state=JobState(state),
        done=done, total=total, device=device, attempts=attempts, error=error,
        results=tuple(json.loads(results)), notes=tuple(json.loads(notes)), group=group,
        meta=json.loads(meta), created=created, started=started, finished=finished,
    )  # fmt: skip


class RunnerLock:
    """An OS file lock beside the database: one process at a time runs its jobs.

    Held for as long as a JobQueue runs, released by the OS when the process dies; so a
    job still marked running when the lock is free was left behind by a dead process.
    """

    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".jobs-lock")
        self._file: IO[bytes] | None = None

    def acquire(self) -> None:
        if self._file is not None:
            return
        handle = open(self.path, "a+b")  # noqa: SIM115 (held open on purpose)
        try:
            _lock_file(handle)
        except OSError:
            handle.close()
            raise StudioError(
                f"another studio process is running the jobs of {self.path.parent}; close it first"
            ) from None
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock on every platform
            self._file = None


def _lock_file(handle: IO[bytes]) -> None:
    if os.name == "nt":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
