"""End to end below the CLI: engine -> atomic PNG with metadata -> gallery row."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from studio.core.errors import Cancelled, OutputError
from studio.core.gallery import GalleryStore
from studio.core.outputs.reader import read_parameters
from studio.core.outputs.writer import OutputWriter
from studio.core.requests import ImageRequest
from studio.engines.image import ImageEngine
from studio.models.hashing import HashCache, file_sha256
from tests.helpers import record_run, tiny_request


def setup(tmp_path: Path) -> tuple[OutputWriter, GalleryStore, HashCache]:
    return (OutputWriter(tmp_path / "out"), GalleryStore(tmp_path / "db.sqlite3"),
            HashCache(tmp_path / "hashes.json"))  # fmt: skip


def request(model: Path, **changes: object) -> ImageRequest:
    return tiny_request(model, **{"seed": 3, **changes})


def test_outputs_are_written_with_metadata_and_recorded(
    sd_engine: ImageEngine, tiny_sd: Path, tmp_path: Path
) -> None:
    writer, gallery, hashes = setup(tmp_path)
    written = record_run(sd_engine, request(tiny_sd, batch_size=2), writer, gallery, hashes).outputs
    assert [w.record.seed for w in written] == [3, 4]
    for item in written:
        assert item.path.suffix == ".png" and item.path.is_relative_to(tmp_path / "out")
        restored = read_parameters(item.path)
        assert restored.to_request() == request(tiny_sd, batch_size=2, seed=item.record.seed)
        entry = gallery.get(item.gallery_id)
        assert entry is not None and entry.path == item.path and entry.seed == item.record.seed
        assert entry.sha256 == file_sha256(item.path)
    # The model hash is the A1111 short form of the content hash, cached for next time.
    assert written[0].record.model_hash == hashes.model_sha256(tiny_sd)[:10]
    assert (tmp_path / "hashes.json").exists()
    assert not list((tmp_path / "out").rglob("*.part"))


def test_cancel_keeps_finished_batches_only(
    sd_engine: ImageEngine, tiny_sd: Path, tmp_path: Path
) -> None:
    writer, gallery, hashes = setup(tmp_path)
    steps: list[int] = []
    with pytest.raises(Cancelled):
        record_run(
            sd_engine, request(tiny_sd, steps=3, batch_count=3), writer, gallery, hashes,
            progress=lambda done, total: steps.append(done), cancelled=lambda: len(steps) >= 4,
        )  # fmt: skip
    assert len(list((tmp_path / "out").rglob("*.png"))) == 1
    assert gallery.count() == 1


def test_full_disk_leaves_no_file_and_no_row(
    sd_engine: ImageEngine, tiny_sd: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer, gallery, hashes = setup(tmp_path)
    hashes.model_sha256(tiny_sd)  # hash first, so only the image write meets the full disk

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OutputError, match="No space left on device"):
        record_run(sd_engine, request(tiny_sd), writer, gallery, hashes)
    assert [p for p in (tmp_path / "out").rglob("*") if p.is_file()] == []
    assert gallery.count() == 0


def test_file_names_follow_the_template_and_never_collide(
    sd_engine: ImageEngine, tiny_sd: Path, tmp_path: Path
) -> None:
    from studio.core.outputs.naming import FilenameTemplate

    writer = OutputWriter(tmp_path / "out", FilenameTemplate("{model}/{seed}-{prompt}"))
    _, gallery, hashes = setup(tmp_path)
    first = record_run(
        sd_engine, request(tiny_sd, prompt="../../escape"), writer, gallery, hashes
    ).outputs
    second = record_run(
        sd_engine, request(tiny_sd, prompt="../../escape"), writer, gallery, hashes
    ).outputs
    assert first[0].path.relative_to(tmp_path / "out").as_posix() == f"{tiny_sd.name}/3-escape.png"
    assert second[0].path.name == "3-escape-2.png"
