from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from studio.core.errors import OutputError
from studio.core.outputs.atomic import write_atomic


def test_writes_complete_file_and_creates_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out.bin"
    write_atomic(target, b"hello")
    assert target.read_bytes() == b"hello"
    assert [p.name for p in target.parent.iterdir()] == ["out.bin"]


def test_never_replaces_an_existing_file_unless_asked(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    write_atomic(target, b"first")
    with pytest.raises(FileExistsError):
        write_atomic(target, b"second")
    assert target.read_bytes() == b"first"
    write_atomic(target, b"third", overwrite=True)
    assert target.read_bytes() == b"third"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_full_disk_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OutputError) as info:
        write_atomic(tmp_path / "out.png", b"x" * 1000)
    assert str(info.value) == f"could not write {tmp_path / 'out.png'}: No space left on device"
    assert list(tmp_path.iterdir()) == []


def test_output_folder_that_cannot_exist_gives_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OutputError, match="cannot create output folder"):
        write_atomic(blocker / "sub" / "out.png", b"x")
