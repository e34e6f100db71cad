"""Apps that keep plain GGUF files in a folder of their own: LM Studio
(`models/<publisher>/<model>/*.gguf`) and GPT4All (the files side by side).

Listed by their own layout, not by the folder walker: LM Studio lives in a dot-folder the
walker skips, its projectors (mmproj) belong to the model beside them, and its names read
best as `publisher/model/file`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from studio.models.discovery.candidates import Candidate, Problem
from studio.models.discovery.gguf_files import gguf_models, model_stem

_POINTER = ".lmstudio-home-pointer"  # LM Studio writes the path of its home folder here
_MAX_POINTER = 4096


def lmstudio_roots(home: Path, env: Mapping[str, str]) -> list[Path]:
    """LM Studio's models folders: under $LMSTUDIO_HOME, the home its pointer file names,
    the old ~/.cache/lm-studio and ~/.lmstudio."""
    homes = [Path(env["LMSTUDIO_HOME"]).expanduser()] if env.get("LMSTUDIO_HOME") else []
    pointed = _pointed_home(home / _POINTER)
    homes += [pointed] if pointed else []
    homes += [home / ".cache" / "lm-studio", home / ".lmstudio"]
    return [folder / "models" for folder in homes]


def is_lmstudio_home(folder: Path) -> bool:
    """An LM Studio home (its models folder inside) by the names LM Studio gives it."""
    return folder.name in (".lmstudio", "lm-studio") and (folder / "models").is_dir()


def gpt4all_roots(home: Path, env: Mapping[str, str]) -> list[Path]:
    """GPT4All's download folder on Linux, macOS and Windows."""
    roots = [home / ".local" / "share" / "nomic.ai" / "GPT4All",
             home / "Library" / "Application Support" / "nomic.ai" / "GPT4All"]  # fmt: skip
    if env.get("XDG_DATA_HOME"):
        roots.insert(0, Path(env["XDG_DATA_HOME"]) / "nomic.ai" / "GPT4All")
    if env.get("LOCALAPPDATA"):
        roots.append(Path(env["LOCALAPPDATA"]) / "nomic.ai" / "GPT4All")
    return roots


def walk_lmstudio(models: Path) -> Iterator[Candidate | Problem]:
    """`models/<publisher>/<model>/*.gguf`, named `publisher/model/file`; a file elsewhere in
    the folder is named by its stem."""
    for _folder, files in _folders(models, depth=3):
        for path, facts in gguf_models(files):
            parts = path.relative_to(models).parts
            name = (
                "/".join((*parts[:-1], model_stem(path))) if len(parts) == 3 else model_stem(path)
            )
            yield Candidate(path, "lmstudio", name, facts=facts)


def walk_gpt4all(root: Path) -> Iterator[Candidate | Problem]:
    for _folder, files in _folders(root, depth=1):
        for path, facts in gguf_models(files):
            yield Candidate(path, "gpt4all", model_stem(path), facts=facts)


def _folders(root: Path, depth: int) -> Iterator[tuple[Path, list[Path]]]:
    """(folder, its files) for folders up to `depth` levels down from `root`, dot-folders and
    unreadable ones left out (a folder that cannot be read is the user's to fix, not ours)."""
    stack = [(root, 1)]
    while stack:
        folder, level = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        files = []
        for entry in entries:
            try:
                if entry.is_dir():
                    if level < depth and not entry.name.startswith("."):
                        stack.append((Path(entry.path), level + 1))
                elif entry.is_file() and not entry.name.startswith("."):
                    files.append(Path(entry.path))
            except OSError:
                continue
        yield folder, files


def _pointed_home(pointer: Path) -> Path | None:
    try:
        with pointer.open("rb") as file:
            text = file.read(_MAX_POINTER).decode("utf-8", "replace").strip()
    except OSError:
        return None
    return Path(text).expanduser() if text and "\n" not in text else None
