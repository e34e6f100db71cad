"""Content hashes of model files, computed lazily and cached by (path, size, mtime).

The A1111 short hash is the first 10 hex characters of a file's SHA-256; for a
diffusers folder we hash its weight files in a stable order so the hash still names
the content.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

from studio.core.outputs.atomic import write_atomic

_CHUNK = 1 << 20
_WEIGHT_SUFFIXES = (".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".gguf")
_lock = threading.Lock()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def weight_files(model_path: Path) -> list[Path]:
    if model_path.is_file():
        return [model_path]
    return sorted(
        (p for p in model_path.rglob("*") if p.is_file() and p.suffix in _WEIGHT_SUFFIXES),
        key=lambda p: p.relative_to(model_path).as_posix(),
    )


class HashCache:
    """SHA-256 of model files, remembered in a JSON file keyed by path, size and mtime."""

    def __init__(self, cache_file: Path) -> None:
        self.cache_file = cache_file
        try:
            self._entries: dict[str, dict[str, object]] = json.loads(cache_file.read_text())
        except (OSError, ValueError):
            self._entries = {}

    def sha256(self, path: Path) -> str:
        stat = path.stat()
        key = str(path.resolve())
        entry = self._entries.get(key)
        if entry and entry.get("size") == stat.st_size and entry.get("mtime") == stat.st_mtime_ns:
            return str(entry["sha256"])
        value = file_sha256(path)
        with _lock:
            self._entries[key] = {"size": stat.st_size, "mtime": stat.st_mtime_ns, "sha256": value}
            self._save()
        return value

    def model_sha256(self, model_path: Path) -> str:
        """A file's SHA-256, or for a folder the SHA-256 over its weight files' hashes."""
        if model_path.is_file():
            return self.sha256(model_path)
        digest = hashlib.sha256()
        for file in weight_files(model_path):
            digest.update(file.relative_to(model_path).as_posix().encode())
            digest.update(bytes.fromhex(self.sha256(file)))
        return digest.hexdigest()

    def _save(self) -> None:
        try:
            data = json.dumps(self._entries, indent=0, sort_keys=True).encode()
            write_atomic(self.cache_file, data, overwrite=True)
        except Exception:
            pass


def short_hash(sha256: str) -> str:
    """AUTOMATIC1111's 'Model hash': the first 10 hex characters."""
    return sha256[:10]
