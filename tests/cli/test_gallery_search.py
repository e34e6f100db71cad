"""`studio gallery search` with --tag and --since."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.cli.main import main
from studio.core.gallery import GalleryStore
from studio.core.outputs.record import OutputRecord
from studio.core.paths import data_paths
from studio.core.requests import ImageRequest


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["gallery", "search", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def outputs(tmp_path: Path) -> dict[str, Path]:
    """Three lighthouses on May 1, 10 and 20 (noon UTC); the last two are tagged."""
    paths = {}
    with GalleryStore(data_paths().ensure().database) as store:
        for day, tags in ((1, []), (10, ["Print"]), (20, ["print", "best"])):
            path = tmp_path / f"{day}.png"
            path.write_bytes(b"png")
            request = ImageRequest(model="m", prompt=f"a lighthouse on day {day}")
            created = f"2026-05-{day:02d}T12:00:00+00:00"
            record = OutputRecord(request, seed=day, model_name="tiny-sd", created=created)
            store.add_tags(store.add(path, record, sha256="ab" * 32), tags)
            paths[f"day{day}"] = path.resolve()
    return paths


def test_search_by_tag_and_date(capsys: pytest.CaptureFixture[str], outputs: dict) -> None:
    code, out, err = run(capsys, "lighthouse", "--tag", "PRINT", "--json")
    assert code == 0, err
    found = json.loads(out)
    assert [Path(r["path"]) for r in found] == [outputs["day20"], outputs["day10"]]
    assert [r["tags"] for r in found] == [["best", "Print"], ["Print"]]
    code, out, _ = run(capsys, "--since", "2026-05-10T00:00:00+00:00")
    assert code == 0 and [line.split("\t")[0] for line in out.splitlines()] == [
        str(outputs["day20"]), str(outputs["day10"])]  # fmt: skip
    assert out.splitlines()[0].endswith("\t#best\t#Print")
    code, out, _ = run(capsys, "day", "--tag", "best", "--since", "2026-05-15")
    assert code == 0 and out.count("\n") == 1 and "day 20" in out
    code, out, _ = run(capsys, "--tag", "nobody")
    assert code == 0 and out == ""
    code, out, _ = run(capsys, "lighthouse")  # no filter: ranked full-text search as before
    assert code == 0 and len(out.splitlines()) == 3


def test_bad_tag_or_date_is_one_line(capsys: pytest.CaptureFixture[str], outputs: dict) -> None:
    code, out, err = run(capsys, "lighthouse", "--since", "yesterday")
    assert code == 2 and out == ""
    assert err == "studio: error: since must be a date like 2026-05-01 or 2026-05-01T18:30" \
        " (got 'yesterday')\n"  # fmt: skip
    code, _, err = run(capsys, "--tag", "  ")
    assert code == 2 and err == "studio: error: a tag cannot be empty\n"
