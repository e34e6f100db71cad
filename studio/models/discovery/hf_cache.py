"""Models in the Hugging Face cache, found through huggingface_hub's own cache scan.

scan_cache_dir honours HF_HOME / HF_HUB_CACHE, reads no weights and makes no request.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from studio.models.discovery.candidates import Candidate, Problem


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
        yield Candidate(Path(newest.snapshot_path), "hf-cache", repo.repo_id)
