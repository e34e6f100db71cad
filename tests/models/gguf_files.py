"""GGUF files for tests: written with the `gguf` package's writer, or byte by byte when
the point is a header no writer would make."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any


def write_gguf(path: Path, arch: str, values: dict[str, Any], *, big_endian: bool = False) -> Path:
    """A GGUF with the given metadata (str, bool, int as u32, float, list) and one tensor."""
    import gguf
    import numpy as np

    endian = gguf.GGUFEndian.BIG if big_endian else gguf.GGUFEndian.LITTLE
    writer = gguf.GGUFWriter(path, arch, endianess=endian)
    for key, value in values.items():
        if isinstance(value, bool):
            writer.add_bool(key, value)
        elif isinstance(value, int):
            writer.add_uint32(key, value)
        elif isinstance(value, float):
            writer.add_float32(key, value)
        elif isinstance(value, list):
            writer.add_array(key, value)
        else:
            writer.add_string(key, value)
    writer.add_tensor("a.weight", np.ones((4, 32), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def string(text: bytes | str, length: int | None = None) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(raw) if length is None else length) + raw


def raw_gguf(
    path: Path, *, tensors: int = 0, kv: bytes = b"", kv_count: int | None = None,
    version: int = 3, magic: bytes = b"GGUF", tail: bytes = b"\0" * 64,
) -> Path:  # fmt: skip
    """Header bytes as given: counts may lie about what follows."""
    count = kv.count(b"general.") if kv_count is None else kv_count
    path.write_bytes(magic + struct.pack("<IQQ", version, tensors, count) + kv + tail)
    return path


def kv_string(key: str, value: bytes | str, length: int | None = None) -> bytes:
    return string(key) + struct.pack("<I", 8) + string(value, length)
