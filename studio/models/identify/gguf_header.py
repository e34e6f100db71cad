"""Read a GGUF file's header (metadata and tensor table) without reading any weights.

Layout: magic b"GGUF", version u32 (2 or 3), tensor count u64, metadata count u64, the
metadata (key string, value type u32, value), the tensor table (name string, n_dims u32,
dims u64 each, ggml type u32, data offset u64), padding to `general.alignment`, the data.
A string is a u64 length and UTF-8 bytes; an array an element type u32, a count u64 and
the elements. Little-endian; big-endian files (for s390x) read the same with ">".

Arrays are walked, never built: a 150k-token vocabulary keeps only its length, where
gguf.GGUFReader makes a numpy view per element and takes seconds. Every count and
length is checked against the bytes left (and the header against a sane maximum)
before it is used, so a truncated or hostile file is one ModelError line, never a
crash, a hang or a huge allocation.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.errors import ModelError
from studio.models.identify.gguf_types import ARRAY, STRING, VALUE_FORMATS, tensor_bytes

MAGIC = b"GGUF"
VERSIONS = (2, 3)  # v1 counted in u32 and has not been written since 2023
MAX_HEADER = 256 * 2**20  # 262k tokens and as many merges take 11 MB
MAX_COUNT = 2**24  # tensors, metadata pairs, or elements of one array
MAX_KEY = 1024  # keys and tensor names (ggml allows 63-byte tensor names)
KEPT_STRING = 2**18  # longer string values keep only their length (a chat template is ~10 KB)
MAX_TENSOR = 2**50  # bytes: a petabyte tensor is a corrupt shape
MAX_DIMS = 4  # GGML_MAX_DIMS
DEFAULT_ALIGNMENT = 32
# The fewest bytes one entry can take, to refuse counts the file cannot hold before looping.
_MIN_PAIR = 8 + 4 + 1  # empty key, value type, a one-byte value
_MIN_TENSOR = 8 + 4 + 4 + 8  # empty name, no dims, type, offset
_MIN_ELEMENT = {STRING: 8, ARRAY: 12}


@dataclass(frozen=True)
class GGUFArray:
    """An array value, skipped: its element type and length only."""

    element_type: int
    count: int


@dataclass(frozen=True)
class LongString:
    """A string value longer than KEPT_STRING, skipped: its length only."""

    length: int


@dataclass(frozen=True)
class GGUFTensor:
    name: str
    shape: tuple[int, ...]  # ggml order: the fastest-moving dimension first
    type: int  # ggml type (gguf_types.TENSOR_TYPES)
    offset: int  # from the start of the data section

    @property
    def elements(self) -> int:
        count = 1
        for dim in self.shape:
            count *= dim
        return count


@dataclass(frozen=True)
class GGUFHeader:
    version: int
    big_endian: bool
    metadata: dict[str, Any]  # numbers, bools, strings, GGUFArray, LongString
    tensors: tuple[GGUFTensor, ...]
    data_start: int  # where the tensor data begins, from the start of the file
    data_end: int  # where the last tensor of a known type ends (0 if none is known)

    def get(self, key: str, default: Any = None) -> Any:
        return self.metadata.get(key, default)

    def string(self, key: str) -> str | None:
        value = self.metadata.get(key)
        return value if isinstance(value, str) else None

    def integer(self, key: str) -> int | None:
        value = self.metadata.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def array_length(self, key: str) -> int | None:
        value = self.metadata.get(key)
        return value.count if isinstance(value, GGUFArray) else None


class _Truncated(Exception):
    """The header runs past the end of the file (or of MAX_HEADER)."""


class _Corrupt(Exception):
    """A value no valid file holds; the message says which."""


def read_gguf_header(path: Path, offset: int = 0) -> GGUFHeader:
    """The header of the GGUF at `offset` in `path` (non-zero inside a llamafile)."""
    try:
        with path.open("rb") as handle:
            size = path.stat().st_size
            if size - offset < 24:
                raise ModelError(
                    f"{path.name} is truncated: {max(size - offset, 0)} bytes, not a GGUF file"
                )
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
                return _parse(view, path.name, offset, size)
    except OSError as exc:
        raise ModelError(f"cannot read {path}: {exc.strerror or exc}") from None


def _parse(view: mmap.mmap, name: str, offset: int, size: int) -> GGUFHeader:
    magic = bytes(view[offset : offset + 4])
    if magic != MAGIC:
        raise ModelError(f"{name} is not a GGUF file (it starts with {magic!r}, not b'GGUF')")
    (version,) = struct.unpack_from("<I", view, offset + 4)
    big_endian = (
        version not in VERSIONS and struct.unpack_from(">I", view, offset + 4)[0] in VERSIONS
    )
    if big_endian:
        (version,) = struct.unpack_from(">I", view, offset + 4)
    if version not in VERSIONS:
        raise ModelError(f"{name} is GGUF version {version}; the studio reads versions 2 and 3")
    reader = _Reader(view, offset + 8, min(size, offset + MAX_HEADER), ">" if big_endian else "<")
    try:
        metadata, tensors = reader.header()
        alignment = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
        if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
            raise _Corrupt(f"general.alignment is {alignment!r}, not a power of two")
    except _Truncated:
        if reader.end < size:
            raise ModelError(
                f"{name} has a corrupt GGUF header: longer than {MAX_HEADER >> 20} MB"
            ) from None
        raise ModelError(
            f"{name} is truncated: its GGUF header runs past the end of the file"
        ) from None
    except _Corrupt as exc:
        raise ModelError(f"{name} has a corrupt GGUF header: {exc}") from None
    data_start = offset + -(-(reader.pos - offset) // alignment) * alignment
    data_end = 0
    for tensor in tensors:
        if tensor.offset % alignment:
            raise ModelError(
                f"{name} has a corrupt GGUF header: tensor {_shown(tensor.name)} is misaligned"
            )
        nbytes = tensor_bytes(tensor.type, tensor.elements)
        if nbytes is not None and nbytes > MAX_TENSOR:
            raise ModelError(
                f"{name} has a corrupt GGUF header: tensor {_shown(tensor.name)} is {tensor.shape}"
            )
        if nbytes is not None:
            data_end = max(data_end, data_start + tensor.offset + nbytes)
    if data_end > size:
        raise ModelError(
            f"{name} is truncated: its tensors need {data_end} bytes, the file has {size} "
            "(an unfinished download?)"
        )
    return GGUFHeader(version, big_endian, metadata, tuple(tensors), data_start, data_end)


def _shown(text: str) -> str:
    """A key or name fit for a one-line message: a damaged one may hold anything."""
    if text and len(text) <= 80 and text.isprintable():
        return text
    return repr(text[:60]) + ("..." if len(text) > 60 else "")


class _Reader:
    """A position in the mapped header; every read checks the bytes left first."""

    def __init__(self, view: mmap.mmap, pos: int, end: int, order: str) -> None:
        self.view, self.pos, self.end = view, pos, end
        self._u32 = struct.Struct(order + "I").unpack_from
        self._u64 = struct.Struct(order + "Q").unpack_from
        self._formats = {t: struct.Struct(order + f) for t, f in VALUE_FORMATS.items()}

    def header(self) -> tuple[dict[str, Any], list[GGUFTensor]]:
        tensor_count, kv_count = self.u64(), self.u64()
        self.check_count(kv_count, _MIN_PAIR, "metadata pairs")
        self.check_count(tensor_count, _MIN_TENSOR, "tensors")
        metadata: dict[str, Any] = {}
        for _ in range(kv_count):
            key = self.name("a metadata key")
            metadata[key] = self.value(self.u32(), _shown(key))
        return metadata, [self.tensor() for _ in range(tensor_count)]

    def tensor(self) -> GGUFTensor:
        name = self.name("a tensor name")
        n_dims = self.u32()
        if n_dims > MAX_DIMS:
            raise _Corrupt(f"tensor {_shown(name)} has {n_dims} dimensions (at most {MAX_DIMS})")
        shape = tuple(self.u64() for _ in range(n_dims))
        return GGUFTensor(name, shape, self.u32(), self.u64())

    def value(self, value_type: int, key: str) -> Any:
        if value_type == STRING:
            return self.string(KEPT_STRING, key)
        if value_type == ARRAY:
            element_type, count = self.u32(), self.u64()
            self.skip_elements(element_type, count, key, depth=0)
            return GGUFArray(element_type, count)
        form = self._formats.get(value_type)
        if form is None:
            raise _Corrupt(f"{key} has value type {value_type}, which GGUF does not define")
        self.need(form.size)
        (value,) = form.unpack_from(self.view, self.pos)
        self.pos += form.size
        return value

    def skip_elements(self, element_type: int, count: int, key: str, depth: int) -> None:
        form = self._formats.get(element_type)
        if form is None and element_type not in (STRING, ARRAY):
            raise _Corrupt(f"{key} is an array of type {element_type}, which GGUF does not define")
        self.check_count(
            count, form.size if form else _MIN_ELEMENT[element_type], f"elements in {key}"
        )
        if form is not None:
            self.need(form.size * count)
            self.pos += form.size * count
        elif element_type == STRING:
            # The hot loop of a vocabulary: lengths only, one bound check each.
            view, pos, end, u64 = self.view, self.pos, self.end, self._u64
            for _ in range(count):
                if pos + 8 > end:
                    raise _Truncated
                pos += 8 + u64(view, pos)[0]
            if pos > end:
                raise _Truncated
            self.pos = pos
        else:
            if depth >= 2:
                raise _Corrupt(f"{key} nests arrays more than two deep")
            for _ in range(count):
                self.skip_elements(self.u32(), self.u64(), key, depth + 1)

    def string(self, keep: int, what: str, limit: int = MAX_HEADER) -> str | LongString:
        length = self.u64()
        if length > limit:
            raise _Corrupt(f"{what} claims {length} bytes")
        self.need(length)
        if length > keep:
            self.pos += length
            return LongString(length)
        raw = self.view[self.pos : self.pos + length]
        self.pos += length
        return raw.decode("utf-8", errors="replace")

    def name(self, what: str) -> str:
        name = self.string(MAX_KEY, what, limit=MAX_KEY)
        return name if isinstance(name, str) else ""  # never a LongString: keep == limit

    def check_count(self, count: int, min_size: int, what: str) -> None:
        if count > MAX_COUNT:
            raise _Corrupt(f"it claims {count} {what} (at most {MAX_COUNT})")
        self.need(count * min_size)

    def need(self, length: int) -> None:
        if self.pos + length > self.end:
            raise _Truncated

    def u32(self) -> int:
        self.need(4)
        (value,) = self._u32(self.view, self.pos)
        self.pos += 4
        return int(value)

    def u64(self) -> int:
        self.need(8)
        (value,) = self._u64(self.view, self.pos)
        self.pos += 8
        return int(value)
