"""The GGUF inside a llamafile (an executable that is also a ZIP) is found and read in place."""

from __future__ import annotations

import zipfile
from pathlib import Path

from studio.models.identify import identify_path
from studio.models.identify.from_gguf import identify_gguf
from studio.models.identify.gguf_header import read_gguf_header
from studio.models.identify.llamafile import find_llamafile_gguf, llamafile_ggufs


def _llamafile(
    path: Path, members: dict[str, Path | bytes], compress: int = zipfile.ZIP_STORED
) -> Path:
    """An APE-like prefix (the executable part), then a ZIP archive appended to it."""
    path.write_bytes(b"MZqFpD='\n" + b"\x7fELF-ish executable code\n" * 500)
    with zipfile.ZipFile(path, "a", compression=compress) as archive:
        archive.writestr(".args", "-m\ntiny.gguf\n")
        for name, content in members.items():
            data = content.read_bytes() if isinstance(content, Path) else content
            archive.writestr(name, data)
    return path


def test_the_stored_gguf_is_found_at_its_offset(tiny_gguf: dict[str, Path], tmp_path: Path) -> None:
    projector = tiny_gguf["F32"].read_bytes()[:4096]  # smaller: the model is the largest
    path = _llamafile(
        tmp_path / "tiny.llamafile", {"tiny.gguf": tiny_gguf["Q8_0"], "mmproj.gguf": projector}
    )
    offset = find_llamafile_gguf(path)
    assert offset is not None and path.read_bytes()[offset : offset + 4] == b"GGUF"
    assert [name for name, *_ in llamafile_ggufs(path)] == ["tiny.gguf", "mmproj.gguf"]
    inside = read_gguf_header(path, offset)
    alone = read_gguf_header(tiny_gguf["Q8_0"])
    assert inside.metadata == alone.metadata and inside.tensors == alone.tensors
    assert inside.data_start == offset + alone.data_start
    expected = identify_gguf(tiny_gguf["Q8_0"]).facts
    for rename in (None, "tiny"):  # by suffix, then by content
        found = identify_path(path.rename(tmp_path / rename) if rename else path)
        assert (found.task, found.kind, found.format) == ("text", "llamafile", "gguf")
        assert found.facts == {**expected, "offset": offset}


def test_a_compressed_gguf_or_none_is_not_a_model(
    tiny_gguf: dict[str, Path], tmp_path: Path
) -> None:
    packed = _llamafile(
        tmp_path / "packed.llamafile", {"tiny.gguf": tiny_gguf["F32"]}, zipfile.ZIP_DEFLATED
    )
    assert find_llamafile_gguf(packed) is None
    bare = _llamafile(tmp_path / "runtime.llamafile", {})
    assert "without weights" in identify_path(bare).reason
    plain = tmp_path / "archive.zip"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert (
        identify_path(plain).task == "unknown" and find_llamafile_gguf(tmp_path / "missing") is None
    )
