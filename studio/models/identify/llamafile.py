"""Find the GGUF inside a llamafile: an executable (APE) that is also a ZIP archive.

llamafile stores its weights as an uncompressed ZIP member, so the GGUF can be read
(and mapped by llama.cpp) in place at that member's data offset: nothing is extracted.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, ..., name length, extra length
_LOCAL_SIGNATURE = b"PK\x03\x04"


def llamafile_ggufs(path: Path) -> list[tuple[str, int, int]]:
    """(member name, data offset, size) of each stored .gguf member; [] if not a ZIP."""
    try:
        with zipfile.ZipFile(path) as archive, path.open("rb") as handle:
            found = []
            for info in archive.infolist():
                if not info.filename.lower().endswith(".gguf"):
                    continue
                if info.compress_type != zipfile.ZIP_STORED:
                    continue  # a compressed GGUF cannot be read in place
                # The local header repeats the name and may carry a different extra field:
                # the data starts after *its* lengths, not the central directory's.
                handle.seek(info.header_offset)
                raw = handle.read(_LOCAL_HEADER.size)
                if len(raw) < _LOCAL_HEADER.size:
                    continue
                signature, name_len, extra_len = _LOCAL_HEADER.unpack(raw)
                if signature != _LOCAL_SIGNATURE:
                    continue
                offset = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len
                handle.seek(offset)
                if handle.read(4) == b"GGUF":
                    found.append((info.filename, offset, info.file_size))
            return found
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return []


def find_llamafile_gguf(path: Path) -> int | None:
    """The data offset of the model's GGUF in a llamafile (the largest one: a vision
    llamafile also holds its projector), or None when there is none."""
    found = llamafile_ggufs(path)
    return max(found, key=lambda item: item[2])[1] if found else None
