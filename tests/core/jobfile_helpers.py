"""Writing job files and reading their one-line errors, for the job-file tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core.batch import BatchFileError, load_job_file


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, **kwargs: object) -> str:
    with pytest.raises(BatchFileError) as caught:
        load_job_file(path, **kwargs)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message
    return message


GRID_3X3 = """
[base]
model = "sd15"
prompt = "a castle"
steps = 4

[grid]
x = {field = "seed", values = [1, 2, 3]}
y = {field = "guidance", values = [5, 7, 9.5]}
"""
