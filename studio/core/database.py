"""The studio database: one SQLite file in WAL mode, migrated on open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from studio.core.errors import StudioError
from studio.core.migrations import migrate


def connect(database: Path) -> sqlite3.Connection:
    """An autocommit connection usable from any thread (callers serialise with a lock)."""
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(database, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("PRAGMA foreign_keys=ON")
        migrate(conn)
    except (sqlite3.DatabaseError, OSError) as exc:
        raise StudioError(f"cannot open the studio database {database}: {exc}") from None
    return conn
