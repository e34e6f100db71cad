from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from studio.core.errors import StudioError
from studio.core.gallery import GalleryStore
from studio.core.migrations import SCHEMA_VERSION
from studio.core.outputs.record import OutputRecord
from studio.core.requests import ImageRequest


def add(store: GalleryStore, folder: Path, prompt: str, seed: int = 1) -> int:
    path = folder / f"{seed}-{abs(hash(prompt))}.png"
    path.write_bytes(b"png")
    record = OutputRecord(ImageRequest(model="m", prompt=prompt), seed=seed, model_name="tiny-sd")
    return store.add(path, record, sha256="ab" * 32)


def test_rows_round_trip_and_search_finds_words_and_prefixes(tmp_path: Path) -> None:
    with GalleryStore(tmp_path / "db.sqlite3") as store:
        fox = add(store, tmp_path, "a red fox in the snow", seed=5)
        add(store, tmp_path, "a lighthouse at dusk", seed=6)
        entry = store.get(fox)
        assert entry is not None
        assert (entry.task, entry.model, entry.seed, entry.width) == ("image", "tiny-sd", 5, 512)
        assert entry.record["request"]["prompt"] == "a red fox in the snow"
        assert [e.id for e in store.search("fox snow")] == [fox]
        assert [e.id for e in store.search("lightho")] != []
        assert store.search("tiny") and store.count() == 2
        # FTS syntax in user text is treated as words, not as a query language.
        assert store.search('fox" OR "dusk') == []
        assert store.search("NEAR(") == []
        store.remove(fox)
        assert store.search("fox") == [] and store.count() == 1


def test_database_uses_wal_and_current_schema(tmp_path: Path) -> None:
    GalleryStore(tmp_path / "db.sqlite3").close()
    conn = sqlite3.connect(tmp_path / "db.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_newer_database_is_refused_not_damaged(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "db.sqlite3")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StudioError, match="from a newer version"):
        GalleryStore(tmp_path / "db.sqlite3")


def test_a_corrupt_database_gives_one_line(tmp_path: Path) -> None:
    (tmp_path / "db.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StudioError, match="cannot open the studio database"):
        GalleryStore(tmp_path / "db.sqlite3")


def test_no_row_for_a_file_that_is_not_there(tmp_path: Path) -> None:
    record = OutputRecord(ImageRequest(model="m", prompt="p"), seed=1)
    with GalleryStore(tmp_path / "db.sqlite3") as store, pytest.raises(StudioError):
        store.add(tmp_path / "missing.png", record, sha256="0" * 64)
