"""Content hashes of model files, computed lazily and cached by (path, size, mtime).

The A1111 short hash is the first 10 hex characters of a file's SHA-256; for a
diffusers folder we hash its content files (weights, configs, tokenizer) in a stable
order so the hash still names the content.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from pathlib import Path

from studio.core.outputs.atomic import write_atomic

_CHUNK = 1 << 20
# What makes a folder's content: weights plus the configs and tokenizer files that give
# them meaning (two folders with the same weights but other configs are other models).
_CONTENT_SUFFIXES = (
    ".safetensors",
    ".ckpt",
    ".pt",
    ".pth",
    ".bin",
    ".gguf",
    ".json",
    ".txt",
    ".model",
)
_SAVE_EVERY_S = 2.0
_lock = threading.Lock()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def content_files(model_path: Path) -> list[Path]:
    """The files whose bytes define a model, in a stable order."""
    if model_path.is_file():
        return [model_path]
    return sorted(
        (
            p for p in model_path.rglob("*")
            if p.is_file() and p.suffix in _CONTENT_SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(model_path).parts)
        ),
        key=lambda p: p.relative_to(model_path).as_posix(),
    )  # fmt: skip


class HashCache:
    """SHA-256 of model files, remembered in a JSON file keyed by path, size and mtime."""

    def __init__(self, cache_file: Path) -> None:
        self.cache_file = cache_file
        try:
            self._entries: dict[str, dict[str, object]] = json.loads(cache_file.read_text())
        except (OSError, ValueError):
            self._entries = {}
        self._dirty = False
        self._saved_at = time.monotonic()

    @classmethod
    def default(cls) -> HashCache:
        """The studio's hash cache in its data folder."""
        from studio.core.paths import data_paths

        return cls(data_paths().ensure().cache / "hashes.json")

    def sha256(self, path: Path) -> str:
        stat = path.stat()
        key = str(path.resolve())
        entry = self._entries.get(key)
        if entry and entry.get("size") == stat.st_size and entry.get("mtime") == stat.st_mtime_ns:
            return str(entry["sha256"])
        value = file_sha256(path)
        with _lock:
            self._entries[key] = {"size": stat.st_size, "mtime": stat.st_mtime_ns, "sha256": value}
            self._dirty = True
            # Rewriting the whole file per hash is quadratic over a scan: batch the writes.
            if time.monotonic() - self._saved_at >= _SAVE_EVERY_S:
                self._save()
        return value

    def flush(self) -> None:
        """Write pending hashes (callers flush when a scan or a job ends)."""
        with _lock:
            if self._dirty:
                self._save()

    def model_sha256(self, model_path: Path) -> str:
        """A file's SHA-256, or for a folder the SHA-256 over its weight files' hashes."""
        if model_path.is_file():
            return self.sha256(model_path)
        digest = hashlib.sha256()
        for file in content_files(model_path):
            digest.update(file.relative_to(model_path).as_posix().encode())
            digest.update(bytes.fromhex(self.sha256(file)))
        return digest.hexdigest()

    def _save(self) -> None:
        self._dirty = False
        self._saved_at = time.monotonic()
        try:
            data = json.dumps(self._entries, indent=0, sort_keys=True).encode()
            write_atomic(self.cache_file, data, overwrite=True)
        except Exception:
            pass


def short_hash(sha256: str) -> str:
    """AUTOMATIC1111's 'Model hash': the first 10 hex characters."""
    return sha256[:10]
