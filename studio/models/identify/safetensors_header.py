"""Read a .safetensors header (tensor names, dtypes, shapes) without reading any weights.

Layout: 8-byte little-endian header length N, N bytes of JSON, then the data. The
checks here catch truncated and corrupt files before any library touches them.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path

from studio.core.errors import ModelError

MAX_HEADER = 100 * 2**20  # real headers are well under 10 MB


@dataclass(frozen=True)
class TensorInfo:
    dtype: str
    shape: tuple[int, ...]


@dataclass(frozen=True)
class SafetensorsHeader:
    tensors: dict[str, TensorInfo]
    metadata: dict[str, str]

    def shape(self, name: str) -> tuple[int, ...] | None:
        info = self.tensors.get(name)
        return info.shape if info else None


def read_header(path: Path) -> SafetensorsHeader:
    try:
        with path.open("rb") as handle:
            size = path.stat().st_size
            prefix = handle.read(8)
            if len(prefix) < 8:
                raise ModelError(f"{path.name} is truncated: {size} bytes, not a safetensors file")
            (length,) = struct.unpack("<Q", prefix)
            if length == 0 or length > MAX_HEADER or length + 8 > size:
                raise ModelError(
                    f"{path.name} has a corrupt or truncated safetensors header "
                    f"(header length {length}, file size {size})"
                )
            raw = handle.read(length)
    except OSError as exc:
        raise ModelError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ModelError(f"{path.name} has a corrupt safetensors header (not JSON)") from None
    if not isinstance(data, dict):
        raise ModelError(f"{path.name} has a corrupt safetensors header (not an object)")
    metadata = data.pop("__metadata__", None) or {}
    tensors: dict[str, TensorInfo] = {}
    end = 0
    for name, spec in data.items():
        try:
            tensors[name] = TensorInfo(str(spec["dtype"]), tuple(int(n) for n in spec["shape"]))
            end = max(end, int(spec["data_offsets"][1]))
        except (KeyError, TypeError, ValueError, IndexError):
            raise ModelError(f"{path.name} has a corrupt entry for tensor {name!r}") from None
    if 8 + length + end > size:
        raise ModelError(
            f"{path.name} is truncated: the header promises {8 + length + end} bytes, "
            f"the file has {size}"
        )
    return SafetensorsHeader(tensors, {str(k): str(v) for k, v in metadata.items()})
