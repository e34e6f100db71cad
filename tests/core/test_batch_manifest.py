"""The batch manifest: durable appends, torn last lines, corrupt lines, compaction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.core.batch import BatchFileError, Manifest, load_job_file


def entry(item: str, status: str = "done", **more: object) -> dict[str, object]:
    return {"item": item, "index": int(item[:5]), "status": status, **more}


def test_append_and_load_keep_the_last_entry_per_item(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "out" / "manifest.jsonl")
    assert manifest.load() == {}
    manifest.append(entry("00000-aa", "failed", error="out of memory"))
    manifest.append(entry("00001-bb", path=tmp_path / "b.png", seed=7, notes=["é"]))
    manifest.append(entry("00000-aa", path="a.png", seconds=1.5))
    loaded = manifest.load()
    assert list(loaded) == ["00000-aa", "00001-bb"]
    assert loaded["00000-aa"] == entry("00000-aa", path="a.png", seconds=1.5)
    assert loaded["00001-bb"]["path"] == str(tmp_path / "b.png")  # paths are written as text
    assert manifest.done() == {"00000-aa", "00001-bb"}
    lines = manifest.path.read_text(encoding="utf-8").split("\n")
    assert len(lines) == 4 and lines[-1] == "" and all(json.loads(line) for line in lines[:3])


def test_a_torn_last_line_is_ignored_and_cut_by_the_next_append(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    whole = json.dumps(entry("00000-aa")) + "\n"
    path.write_text(whole + '{"item": "00001-bb", "sta', encoding="utf-8")
    assert list(Manifest(path).load()) == ["00000-aa"]
    manifest = Manifest(path)
    manifest.append(entry("00002-cc"))
    assert path.read_text(encoding="utf-8") == whole + json.dumps(entry("00002-cc")) + "\n"
    assert list(manifest.load()) == ["00000-aa", "00002-cc"]


def test_zeros_a_crash_left_and_a_whole_line_without_newline(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    path.write_bytes(json.dumps(entry("00000-aa")).encode() + b"\n\0\0\0\0")
    assert list(Manifest(path).load()) == ["00000-aa"]
    path.write_bytes(json.dumps(entry("00000-aa")).encode())  # killed before the newline
    manifest = Manifest(path)
    assert list(manifest.load()) == ["00000-aa"]
    manifest.append(entry("00001-bb"))
    assert list(manifest.load()) == ["00000-aa", "00001-bb"]


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (b'{"item": "00001-bb"', "bad JSON: Expecting ',' delimiter"),
        (b'["not", "an", "entry"]', "not an entry with an item id"),
        (b"caf\xe9", "not UTF-8"),
    ],
)
def test_a_corrupt_line_before_the_last_is_an_error(
    tmp_path: Path, bad: bytes, problem: str
) -> None:
    path = tmp_path / "manifest.jsonl"
    good = json.dumps(entry("00000-aa")).encode() + b"\n"
    path.write_bytes(good + b"\n" + bad + b"\n" + good)
    with pytest.raises(BatchFileError) as caught:
        Manifest(path).load()
    assert str(caught.value) == (
        f"{path}:3: corrupt manifest line ({problem}); fix or delete that line, then run again"
    )


def test_compact_keeps_the_last_entry_per_item_in_plan_order(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "manifest.jsonl")
    for item, status in [("00002-cc", "failed"), ("00000-aa", "done"), ("00002-cc", "done"),
                         ("00009-zz", "done"), ("00001-bb", "failed")]:  # fmt: skip
        manifest.append(entry(item, status))
    with manifest.path.open("ab") as handle:
        handle.write(b'{"item": "torn')
    manifest.compact(["00000-aa", "00001-bb", "00002-cc", "00003-dd"])
    lines = [json.loads(line) for line in manifest.path.read_text().splitlines()]
    assert [(e["item"], e["status"]) for e in lines] == [
        ("00000-aa", "done"),
        ("00001-bb", "failed"),
        ("00002-cc", "done"),
        ("00009-zz", "done"),  # not in the plan: kept, after it
    ]
    assert not list(tmp_path.glob(".*.part"))  # the atomic write left nothing behind
    manifest.compact()  # no order: as first seen
    assert [e["item"] for e in manifest.load().values()] == [e["item"] for e in lines]


def test_compact_in_the_order_of_a_plan(tmp_path: Path) -> None:
    job = tmp_path / "jobs.txt"
    job.write_text("one\ntwo\nthree\n", encoding="utf-8")
    plan = load_job_file(job, model="m")
    manifest = Manifest(tmp_path / "manifest.jsonl")
    for item in reversed(plan.items):
        manifest.append({"item": item.id, "index": item.index, "status": "done"})
    manifest.compact(plan)
    assert list(manifest.load()) == [item.id for item in plan.items]


def test_append_refuses_an_entry_without_item_or_status(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "manifest.jsonl")
    with pytest.raises(ValueError, match="item id and a status"):
        manifest.append({"item": "00000-aa", "status": "maybe"})
    with pytest.raises(ValueError, match="item id and a status"):
        manifest.append({"status": "done"})
    assert not manifest.path.exists()
