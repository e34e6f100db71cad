"""Tags on gallery outputs, and the tag and date filters of the pager."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.core.errors import StudioError, ValidationError
from studio.core.gallery import GalleryStore
from studio.core.gallery.query import GalleryFilter, GalleryPager, since_bound
from studio.core.migrations import MIGRATIONS, SCHEMA_VERSION
from studio.core.outputs.record import OutputRecord
from studio.core.requests import ImageRequest


def add(store: GalleryStore, folder: Path, prompt: str, created: str, seed: int = 1) -> int:
    path = folder / f"{seed}.png"
    path.write_bytes(b"png")
    request = ImageRequest(model="m", prompt=prompt)
    record = OutputRecord(request, seed=seed, model_name="tiny-sd", created=created)
    return store.add(path, record, sha256="ab" * 32)


@pytest.fixture
def store(tmp_path: Path) -> GalleryStore:
    with GalleryStore(tmp_path / "db.sqlite3") as gallery:
        yield gallery


def test_add_list_and_remove_tags(store: GalleryStore, tmp_path: Path) -> None:
    fox = add(store, tmp_path, "a fox", "2026-01-01T10:00:00+00:00", seed=1)
    owl = add(store, tmp_path, "an owl", "2026-01-02T10:00:00+00:00", seed=2)
    assert store.add_tags(fox, ["  Sunset  ", "print  run", "sunset"]) == ["Sunset", "print run"]
    # The first spelling stays; another case is the same tag, for any output.
    assert store.add_tags(owl, ["SUNSET", "Ônibus"]) == ["Sunset", "Ônibus"]
    assert store.add_tags(fox, ["ônibus"]) == ["Ônibus"]
    assert store.tags(fox) == ["Ônibus", "print run", "Sunset"]  # accents do not sort last
    assert store.all_tags() == [("Ônibus", 2), ("print run", 1), ("Sunset", 2)]
    assert store.remove_tag(fox, "sunset") and not store.remove_tag(fox, "sunset")
    assert store.remove_tag(fox, "ÔNIBUS")
    assert store.tags(fox) == ["print run"] and store.tags(owl) == ["Ônibus", "Sunset"]
    assert store.tags(12345) == []


def test_bad_tags_are_one_line_and_write_nothing(store: GalleryStore, tmp_path: Path) -> None:
    fox = add(store, tmp_path, "a fox", "2026-01-01T10:00:00+00:00")
    with pytest.raises(ValidationError, match=r"^a tag cannot be empty$"):
        store.add_tags(fox, ["fine", "   "])
    with pytest.raises(ValidationError, match=r"is too long \(65 characters, at most 64\)"):
        store.add_tags(fox, ["x" * 65])
    assert store.tags(fox) == []
    store.add_tags(fox, ["y" * 64])  # the limit itself is fine
    with pytest.raises(StudioError, match="gallery output 999 does not exist"):
        store.add_tags(999, ["fine"])
    with pytest.raises(ValidationError, match="empty"):
        store.remove_tag(fox, "")


def test_removing_an_output_removes_its_tags(store: GalleryStore, tmp_path: Path) -> None:
    fox = add(store, tmp_path, "a fox", "2026-01-01T10:00:00+00:00")
    store.add_tags(fox, ["keep"])
    store.remove(fox)
    assert store.all_tags() == [] and store.tags(fox) == []
    # A rewritten file keeps its row id and so its tags.
    again = add(store, tmp_path, "a fox", "2026-01-01T10:00:00+00:00")
    store.add_tags(again, ["keep"])
    assert add(store, tmp_path, "a fox again", "2026-01-03T10:00:00+00:00") == again
    assert store.tags(again) == ["keep"]


def test_pager_filters_by_tag_and_date(store: GalleryStore, tmp_path: Path) -> None:
    ids = [
        add(store, tmp_path, f"lighthouse {day}", f"2026-01-{day:02d}T10:00:00+00:00", seed=day)
        for day in range(1, 7)
    ]
    store.add_tags(ids[0], ["Best"])
    store.add_tags(ids[3], ["best", "print"])
    store.add_tags(ids[5], ["print"])
    with GalleryPager(store.database) as pager:
        assert pager.tags() == [("Best", 2), ("print", 2)]
        by_tag = GalleryFilter(tag="BEST")
        assert pager.count(by_tag) == 2
        assert [r.id for r in pager.page(by_tag, 0, 10)] == [ids[3], ids[0]]
        assert pager.count(GalleryFilter(tag="nobody")) == 0
        since = GalleryFilter(since="2026-01-04T10:00:00+00:00")  # on or after
        assert [r.seed for r in pager.page(since, 0, 10)] == [6, 5, 4]
        both = GalleryFilter(text="lighthouse", tag="print", since="2026-01-05T00:00Z")
        assert [r.id for r in pager.page(both, 0, 10)] == [ids[5]] and pager.count(both) == 1
        oldest = GalleryFilter(tag="print", newest_first=False)
        assert [r.id for r in pager.page(oldest, 0, 10)] == [ids[3], ids[5]]


def test_since_reads_naive_values_as_local_time() -> None:
    expected = datetime(2026, 5, 1).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    assert since_bound("2026-05-01") == expected
    assert since_bound("2026-05-01T18:30-03:00") == "2026-05-01T21:30:00"
    with pytest.raises(ValidationError, match=r"^since must be a date like 2026-05-01"):
        GalleryFilter(since="last tuesday")
    with pytest.raises(ValidationError, match="too long"):
        GalleryFilter(tag="z" * 80)


def test_a_database_at_the_previous_version_keeps_its_rows(tmp_path: Path) -> None:
    database = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(database)
    for version, script in enumerate(MIGRATIONS[:-1]):
        conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version + 1};\nCOMMIT;")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION - 1
    conn.execute(
        "INSERT INTO outputs (path, task, model, prompt, record_json, sha256, created)"
        " VALUES ('/old/1.png', 'image', 'sd', 'an old lighthouse', '{}', '00', '2025-06-01')"
    )
    conn.commit()
    conn.close()
    with GalleryStore(database) as store:
        [entry] = store.search("lighthouse")
        assert (entry.path, entry.prompt) == (Path("/old/1.png"), "an old lighthouse")
        store.add_tags(entry.id, ["old"])
        assert store.all_tags() == [("old", 1)]
    conn = sqlite3.connect(database)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_migration_6_gives_unconditional_and_walk_rows_their_one_name(tmp_path: Path) -> None:
    database = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(database)
    for version, script in enumerate(MIGRATIONS[:5]):
        conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version + 1};\nCOMMIT;")
    old_request = '{"type": "latent-walk", "schema": 1, "model": "m", "seeds": [1, 2]}'
    conn.execute(
        "INSERT INTO outputs (path, task, model, prompt, record_json, sha256, created)"
        " VALUES ('/old/walk.gif', 'latent-walk', 'm', 'latent walk', '{}', '00', '2025-06-01')"
    )
    conn.execute(
        "INSERT INTO jobs (task, request_json, priority, seq, state, created)"
        " VALUES ('image-unconditional', ?, 0, 1, 'finished', 0)", (old_request,),
    )  # fmt: skip
    conn.commit()
    conn.close()
    with GalleryStore(database) as store:
        [entry] = store.search("walk")
        assert entry.task == "walk"
    conn = sqlite3.connect(database)
    task, request_json = conn.execute("SELECT task, request_json FROM jobs").fetchone()
    conn.close()
    from studio.core.requests import request_from_json

    assert task == "unconditional" and request_from_json(request_json).TYPE == "walk"
