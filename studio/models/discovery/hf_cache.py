"""Models in the Hugging Face cache, found through huggingface_hub's own cache scan.

scan_cache_dir honours HF_HOME / HF_HUB_CACHE, reads no weights and makes no request. A repo
is one model folder, except a repo of GGUF files (no config.json at its top): each GGUF
file there is a model of its own (the quantizations of one model, usually).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from studio.models.discovery.candidates import Candidate, Problem
from studio.models.discovery.gguf_files import gguf_models, model_stem

_FOLDER_MARKERS = ("config.json", "model_index.json")


def hf_cache_dir() -> Path:
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def walk_hf_cache(cache_dir: Path | None = None) -> Iterator[Candidate | Problem]:
    from huggingface_hub import scan_cache_dir
    from huggingface_hub.errors import CacheNotFound

    cache_dir = cache_dir or hf_cache_dir()
    try:
        info = scan_cache_dir(cache_dir)
    except CacheNotFound:
        return  # no cache yet: nothing to list, nothing wrong
    except OSError as exc:
        yield Problem(cache_dir, exc.strerror or str(exc))
        return
    for warning in info.warnings:
        yield Problem(
            Path(getattr(warning, "path", "") or cache_dir or hf_cache_dir()), str(warning)
        )
    for repo in info.repos:
        if repo.repo_type != "model" or not repo.revisions:
            continue
        newest = max(repo.revisions, key=lambda revision: revision.last_modified)
        snapshot = Path(newest.snapshot_path)
        files = sorted(Path(file.file_path) for file in newest.files)
        ggufs = [] if any(snapshot / m in files for m in _FOLDER_MARKERS) else _ggufs(files)
        if not ggufs:
            yield Candidate(snapshot, "hf-cache", repo.repo_id)
        for path, facts in ggufs:
            relative = path.parent.relative_to(snapshot) / model_stem(path)
            name = repo.repo_id if len(ggufs) == 1 else f"{repo.repo_id}/{relative.as_posix()}"
            yield Candidate(path, "hf-cache", name, facts=facts)


def _ggufs(files: list[Path]) -> list[tuple[Path, dict[str, str]]]:
    """The GGUF models among a snapshot's files, folder by folder (a projector pairs with
    the models of its own folder)."""
    folders: dict[Path, list[Path]] = {}
    for file in files:
        folders.setdefault(file.parent, []).append(file)
    return [found for group in folders.values() for found in gguf_models(group)]
