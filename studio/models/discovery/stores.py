"""The model stores of other apps, found where the apps keep them and listed in place (never
copied): Ollama's manifests and blobs, LM Studio's and GPT4All's GGUF folders, Jan's
model.yml folders, and the model folders of AUTOMATIC1111, ComfyUI and InvokeAI (which the
folder walker already reads).

Detection only looks: it lists the roots that exist and counts their models by listing them
(Ollama manifests and Jan's model.yml files are read; no model file is). Nothing joins the
model folders, and nothing is scanned, until the user says so. A model folder the user adds
that is such a store is listed by the store's layout (walk_folder), so Ollama's suffix-less
blobs get their `name:tag` and dot-folders like ~/.lmstudio are read at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from studio.models.discovery.candidates import Candidate, Problem
from studio.models.discovery.folders import walk_models
from studio.models.discovery.gguf_apps import (
    gpt4all_roots,
    is_lmstudio_home,
    lmstudio_roots,
    walk_gpt4all,
    walk_lmstudio,
)
from studio.models.discovery.jan import is_jan_data, jan_roots, walk_jan
from studio.models.discovery.ollama import is_ollama_store, ollama_roots, walk_ollama

Walk = Callable[[Path], Iterator[Candidate | Problem]]
Roots = Callable[[Path, Mapping[str, str]], list[Path]]


@dataclass(frozen=True)
class DetectedStore:
    name: str  # the app, as it names itself: "Ollama", "LM Studio"
    kind: str  # ollama, lmstudio, gpt4all, jan, a1111, comfyui, invokeai
    root: Path  # the folder that joins the model folders when the user adds the store
    models: int  # model entries listed there (counted, not identified)
    added: bool = False  # already one of the user's model folders (the operations tell)


@dataclass(frozen=True)
class StoreKind:
    kind: str
    name: str
    roots: Roots  # where the app keeps its store, most specific first
    walk: Walk  # lists a root's models in place


def _folders(*relative: str, env_root: str = "") -> Roots:
    def roots(home: Path, env: Mapping[str, str]) -> list[Path]:
        first = [Path(env[env_root]).expanduser() / "models"] if env.get(env_root) else []
        return first + [home.joinpath(*path.split("/")) for path in relative]

    return roots


OLLAMA = StoreKind("ollama", "Ollama", ollama_roots, walk_ollama)
LMSTUDIO = StoreKind("lmstudio", "LM Studio", lmstudio_roots, walk_lmstudio)
GPT4ALL = StoreKind("gpt4all", "GPT4All", gpt4all_roots, walk_gpt4all)
JAN = StoreKind("jan", "Jan", jan_roots, walk_jan)
KINDS = (
    OLLAMA, LMSTUDIO, GPT4ALL, JAN,
    StoreKind("a1111", "AUTOMATIC1111", _folders(
        "stable-diffusion-webui/models", "stable-diffusion-webui-forge/models"), walk_models),
    StoreKind("comfyui", "ComfyUI", _folders(
        "ComfyUI/models", "comfyui/models", "Documents/ComfyUI/models"), walk_models),
    StoreKind("invokeai", "InvokeAI", _folders(
        "invokeai/models", env_root="INVOKEAI_ROOT"), walk_models),
)  # fmt: skip


def detect_stores(
    home: Path | None = None, env: Mapping[str, str] | None = None
) -> list[DetectedStore]:
    """The stores that exist under `home` (default: the user's) and where `env` (default:
    the environment: OLLAMA_MODELS, LMSTUDIO_HOME, ...) points, with their model counts."""
    home, env = home or Path.home(), os.environ if env is None else env
    found: list[DetectedStore] = []
    seen: set[tuple[int, int]] = set()
    for kind in KINDS:
        for root in kind.roots(home, env):
            key = _folder_key(root)
            if key is None or key in seen:  # missing, or the same folder by another path
                continue
            seen.add(key)
            count = sum(isinstance(item, Candidate) for item in kind.walk(root))
            found.append(DetectedStore(kind.name, kind.kind, root, count))
    return found


def store_at(
    folder: Path, home: Path | None = None, env: Mapping[str, str] | None = None
) -> tuple[StoreKind, Path] | None:
    """The store `folder` is (or holds, for ~/.ollama and an LM Studio home) and the root to
    list it from; None for a folder the walker reads as it is."""
    if is_ollama_store(folder):
        return OLLAMA, folder
    if is_ollama_store(folder / "models"):
        return OLLAMA, folder / "models"
    if is_jan_data(folder):
        return JAN, folder
    if is_lmstudio_home(folder):
        return LMSTUDIO, folder / "models"
    if folder.name == "models" and is_lmstudio_home(folder.parent):
        return LMSTUDIO, folder
    # Folders known only by where the app keeps them (GPT4All's; LM Studio's moved home).
    key = _folder_key(folder)
    home, env = home or Path.home(), os.environ if env is None else env
    for kind in (LMSTUDIO, GPT4ALL):
        if key is not None and any(_folder_key(r) == key for r in kind.roots(home, env)):
            return kind, folder
    return None


def walk_folder(root: Path) -> Iterator[Candidate | Problem]:
    """A model folder of the user's: a store is listed by its own layout, anything else by
    the folder walker."""
    root = root.expanduser()
    found = store_at(root) if root.is_dir() else None
    if found is None:
        yield from walk_models(root)
    else:
        kind, store_root = found
        yield from kind.walk(store_root)


def _folder_key(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino) if os.path.isdir(path) else None
