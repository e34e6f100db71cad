"""Walk user model folders: find model files and folders, never following a loop twice."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from studio.models.discovery.candidates import Candidate, Problem
from studio.models.identify.identity import WEIGHT_SUFFIXES

# Folder names of the A1111 / ComfyUI / InvokeAI layouts -> the kind of model inside.
_KIND_FOLDERS = {
    "stable-diffusion": "checkpoint", "checkpoints": "checkpoint", "main": "checkpoint",
    "lora": "lora", "loras": "lora", "lycoris": "lora",
    "vae": "vae", "embeddings": "embedding", "embedding": "embedding",
    "textual_inversion": "embedding",
}  # fmt: skip
_INVOKE_BASES = {"sd-1": "sd1", "sd-2": "sd2", "sdxl": "sdxl", "sdxl-refiner": "sdxl-refiner",
                 "sd-3": "sd3", "flux": "flux"}  # fmt: skip
_MARKERS = ("model_index.json", "adapter_config.json")
_SKIP_DIRS = {".git", "__pycache__", ".cache", "node_modules", ".locks"}
_FILE_SUFFIXES = (*WEIGHT_SUFFIXES, ".llamafile")  # a llamafile holds a GGUF: identify reads it


def walk_models(root: Path) -> Iterator[Candidate | Problem]:
    """Yield candidates under `root` and a Problem for each place that cannot be read."""
    root = root.expanduser()
    if not root.exists():
        yield Problem(root, "folder does not exist")
        return
    if root.is_file():
        yield _candidate(root, root.parent)
        return
    visited: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            stat = folder.stat()
        except OSError as exc:
            yield Problem(folder, _why(exc))
            continue
        if (stat.st_dev, stat.st_ino) in visited:
            continue  # a symlink loop, or a folder linked twice
        visited.add((stat.st_dev, stat.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield Problem(folder, _why(exc))
            continue
        names = {e.name for e in entries}
        if _is_model_folder(names, entries):  # the root itself may be a model folder
            yield _candidate(folder, root.parent if folder == root else root)
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    if entry.name not in _SKIP_DIRS and not entry.name.startswith("."):
                        stack.append(path)
                elif entry.is_file() and path.suffix.lower() in _FILE_SUFFIXES:
                    yield _candidate(path, root)
                elif entry.is_symlink() and not entry.is_file():
                    yield Problem(path, "broken symlink")
            except OSError as exc:
                yield Problem(path, _why(exc))


def _is_model_folder(names: set[str], entries: list[os.DirEntry[str]]) -> bool:
    if any(marker in names for marker in _MARKERS):
        return True
    # config.json alone is too common (A1111 keeps its settings in one): require weights too.
    return "config.json" in names and any(Path(e.name).suffix in WEIGHT_SUFFIXES for e in entries)


def _candidate(path: Path, root: Path) -> Candidate:
    parts = [p.lower() for p in path.parts]
    kind = next((_KIND_FOLDERS[p] for p in reversed(parts[:-1]) if p in _KIND_FOLDERS), "")
    family = next((_INVOKE_BASES[p] for p in parts[:-1] if p in _INVOKE_BASES), "")
    text = "/".join(parts)
    if "stable-diffusion-webui" in text or "/models/stable-diffusion/" in text + "/":
        source = "a1111"
    elif "comfyui" in text or ("/models/checkpoints" in text or "/models/loras" in text):
        source = "comfyui"
    elif family:
        source = "invokeai"
    else:
        source = "folder"
    name = path.stem if path.is_file() else path.name
    return Candidate(path, source, name, kind, family)


def _why(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)
