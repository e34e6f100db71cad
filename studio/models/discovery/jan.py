"""Jan's models, listed in place: `<data>/llamacpp/models/<id>/model.yml` beside the GGUF.

As Jan lists them: the id is the folder's path under models/ (it may hold slashes), the
first folder down that holds a model.yml; the file names the weights (`model_path`, relative
to Jan's data folder), the model (`name`, else the id) and a projector (`mmproj_path`).
Models of older Jan versions (`<data>/models/<id>/*.gguf`) are listed by folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from studio.models.discovery.candidates import Candidate, Problem, read_small
from studio.models.discovery.gguf_files import gguf_models

_MAX_CONFIG = 64 * 1024  # a model.yml is a dozen lines
_MAX_DEPTH = 6  # ids are publisher/model/quant at most: deeper is not Jan's


def jan_roots(home: Path, env: Mapping[str, str]) -> list[Path]:
    """Jan's data folder on Linux, macOS and Windows, and ~/jan of older versions."""
    roots = [Path(env["XDG_DATA_HOME"]) / "Jan" / "data"] if env.get("XDG_DATA_HOME") else []
    roots += [home / ".local" / "share" / "Jan" / "data",
              home / "Library" / "Application Support" / "Jan" / "data"]  # fmt: skip
    if env.get("APPDATA"):
        roots.append(Path(env["APPDATA"]) / "Jan" / "data")
    return [*roots, home / "jan"]


def is_jan_data(folder: Path) -> bool:
    return (folder / "llamacpp" / "models").is_dir()


def walk_jan(data: Path) -> Iterator[Candidate | Problem]:
    listed: set[Path] = set()
    models = data / "llamacpp" / "models"
    stack = [(models, 0)] if models.is_dir() else []
    while stack:
        folder, depth = stack.pop()
        config = folder / "model.yml"
        if config.is_file():
            item = _configured(data, folder.relative_to(models).as_posix(), config)
            if isinstance(item, Candidate):
                listed.add(item.path)
            yield item
            continue
        if depth < _MAX_DEPTH:
            stack += sorted(((sub, depth + 1) for sub in _subfolders(folder)), reverse=True)
    yield from _legacy(data / "models", listed)


def _configured(data: Path, model_id: str, config: Path) -> Candidate | Problem:
    values = _read_yaml(config)
    if isinstance(values, str):
        return Problem(config, f"Jan model {model_id}: {values}")
    weights = _path_in(data, values.get("model_path")) or config.parent / "model.gguf"
    if not weights.is_file():
        return Problem(config, f"Jan model {model_id}: its file {weights.name} is missing")
    name = values.get("name")
    facts = {}
    projector = _path_in(data, values.get("mmproj_path"))
    if projector is not None and projector.is_file():
        facts["projector"] = str(projector)
    return Candidate(weights, "jan", name.strip() if isinstance(name, str) and name.strip()
                     else model_id, facts=facts)  # fmt: skip


def _legacy(models: Path, listed: set[Path]) -> Iterator[Candidate]:
    """Older Jan: `models/<id>/` holding the GGUF (and a model.json); ones a model.yml of
    the new layout already points at are not listed twice."""
    for folder in _subfolders(models):
        try:
            files = [path for path in folder.iterdir() if path.is_file()]
        except OSError:
            continue
        for path, facts in gguf_models(files):
            if path not in listed:
                yield Candidate(path, "jan", folder.name, facts=facts)


def _read_yaml(path: Path) -> dict[str, Any] | str:
    import yaml

    raw = read_small(path, _MAX_CONFIG, "model.yml")
    if isinstance(raw, str):
        return raw
    try:
        values = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return f"broken model.yml ({str(exc).splitlines()[0]})"
    return values if isinstance(values, dict) else "broken model.yml (not a mapping)"


def _path_in(data: Path, value: object) -> Path | None:
    if not isinstance(value, str) or not value.strip():
        return None
    path = Path(value.strip())
    return path if path.is_absolute() else data / path


def _subfolders(folder: Path) -> list[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []
    found = []
    for entry in entries:
        try:
            if entry.is_dir() and not entry.name.startswith("."):
                found.append(Path(entry.path))
        except OSError:
            continue
    return found
