"""User-requested model downloads: the one code path that may reach the network.

The studio runs with HF_HUB_OFFLINE=1 (core.offline). huggingface_hub reads that once,
at import, into `constants.HF_HUB_OFFLINE`, and its HTTP client checks the constant on
every request; `_online()` lifts it only for the duration of a download the user asked
for. The environment keeps saying offline, so any other library or process stays offline.

Files land in huggingface_hub's own cache layout (blobs/ + snapshots/<commit>/ +
refs/), so loaders find them with local_files_only=True. We fetch the blobs ourselves
rather than through hf_hub_download because huggingface_hub 2.x writes each transfer to
a process-unique temporary file and deletes it on failure: an interrupted download
always restarts from zero. Here a partial blob stays as `blobs/<etag>.incomplete` and
the next run resumes it with an HTTP Range request; it is checked against the Hub's
hash (LFS sha256, or the git blob id for small files) before it is moved into place.
hf_hub_download then only links the finished blob into the snapshot folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from studio.core.errors import Cancelled, ModelError, one_line

if TYPE_CHECKING:
    from huggingface_hub.hf_api import RepoSibling

_HASH_CHUNK = 1 << 20
_online_lock = threading.Lock()
_online_users = 0
_saved_offline = False


@contextlib.contextmanager
def _online() -> Iterator[None]:
    """Let huggingface_hub reach the network; restores the offline switch when the last
    concurrent download ends (the switch is process-wide)."""
    global _online_users, _saved_offline
    from huggingface_hub import constants

    with _online_lock:
        if _online_users == 0:
            _saved_offline = constants.HF_HUB_OFFLINE
            constants.HF_HUB_OFFLINE = False
        _online_users += 1
    try:
        yield
    finally:
        with _online_lock:
            _online_users -= 1
            if _online_users == 0:
                constants.HF_HUB_OFFLINE = _saved_offline


def download_model(
    repo_id: str,
    revision: str | None = None,
    *,
    cache_dir: Path | None = None,
    endpoint: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Download every file of a Hub model repo into the Hugging Face cache and verify it.

    Returns the local snapshot folder. Interrupted downloads resume on the next call.
    Raises ModelError (one line) on network, Hub or verification errors, and Cancelled
    when `cancelled()` turns true (the partial file is kept for the next run).
    """
    from huggingface_hub import constants
    from huggingface_hub import errors as hf

    cache = Path(cache_dir) if cache_dir is not None else Path(constants.HF_HUB_CACHE)
    name = f"{repo_id}@{revision}" if revision else repo_id
    try:
        with _online():
            return _download(repo_id, revision, cache, endpoint, progress, cancelled)
    except (Cancelled, ModelError):
        raise
    except hf.GatedRepoError:
        raise ModelError(f"{repo_id} is gated: accept its terms on the Hub, then log in") from None
    except hf.RevisionNotFoundError:
        raise ModelError(f"revision {revision!r} not found in {repo_id}") from None
    except hf.RepositoryNotFoundError:
        raise ModelError(
            f"model {repo_id} not found on the Hub (private repos need a login)"
        ) from None
    except hf.HFValidationError as exc:
        raise ModelError(f"not a valid model id {repo_id!r}: {one_line(exc)}") from None
    except (OSError, _http_errors()) as exc:  # network, HTTP status, disk: the user can retry
        raise ModelError(
            f"download of {name} interrupted: {one_line(exc)}; run the same command again to resume"
        ) from exc


def _download(
    repo_id: str,
    revision: str | None,
    cache: Path,
    endpoint: str | None,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> Path:
    from huggingface_hub import HfApi, get_hf_file_metadata, get_token, hf_hub_download, hf_hub_url
    from huggingface_hub import try_to_load_from_cache as cached_path
    from huggingface_hub.file_download import repo_folder_name
    from huggingface_hub.utils import WeakFileLock

    # The user asked for this download: send their saved token, if any (gated repos need it).
    token = get_token()
    online = {"endpoint": endpoint, "token": token}
    info = HfApi(**online).model_info(repo_id, revision=revision, files_metadata=True)
    commit = info.sha
    if commit is None:
        raise ModelError(f"the Hub sent no commit for {repo_id}; check the endpoint")
    folder = repo_folder_name(repo_id=repo_id, repo_type="model")
    storage = cache / folder
    files = info.siblings or []
    total = sum(f.size or 0 for f in files)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    def stop() -> None:
        if cancelled is not None and cancelled():
            raise Cancelled(f"download of {repo_id} cancelled")

    advance(0)
    for file in files:
        stop()
        # Pinned to the commit listed above, so every file comes from the same version.
        if isinstance(cached_path(repo_id, file.rfilename, cache_dir=cache, revision=commit), str):
            advance(file.size or 0)
            continue
        url = hf_hub_url(repo_id, file.rfilename, revision=commit, endpoint=endpoint)
        meta = get_hf_file_metadata(url, **online)
        if meta.etag is None:
            raise ModelError(f"the Hub sent no ETag for {file.rfilename}; check the endpoint")
        blob = storage / "blobs" / meta.etag
        lock = cache / ".locks" / folder / f"{meta.etag}.lock"  # the lock hf_hub_download uses
        lock.parent.mkdir(parents=True, exist_ok=True)
        with WeakFileLock(str(lock)):
            if blob.exists():
                advance(file.size or 0)
            else:
                partial = blob.with_name(meta.etag + ".incomplete")
                _fetch(url, partial, file.size, token, advance, stop)
                _verify(partial, file, repo_id)
                os.replace(partial, blob)
        # The blob is in place: this only creates the snapshot link (and the .locks entry).
        hf_hub_download(repo_id, file.rfilename, revision=commit, cache_dir=cache, **online)

    snapshot = storage / "snapshots" / commit
    snapshot.mkdir(parents=True, exist_ok=True)
    ref = revision or "main"
    if ref != commit:  # lets loaders resolve "main" (or the tag) offline, as hf_hub_download does
        (storage / "refs" / ref).parent.mkdir(parents=True, exist_ok=True)
        (storage / "refs" / ref).write_text(commit)
    return snapshot


def _fetch(
    url: str,
    partial: Path,
    size: int | None,
    token: str | None,
    advance: Callable[[int], None],
    stop: Callable[[], None],
) -> None:
    """Stream `url` into `partial`, resuming from its current length with a Range request."""
    from huggingface_hub import constants, get_session, hf_raise_for_status
    from huggingface_hub.utils import build_hf_headers

    partial.parent.mkdir(parents=True, exist_ok=True)
    offset = partial.stat().st_size if partial.exists() else 0
    if size is not None and offset > size:  # not a prefix of this file: start over
        partial.unlink()
        offset = 0
    advance(offset)
    if size is not None and offset == size:
        partial.touch()  # an empty file has nothing to fetch but must still exist
        return
    headers = build_hf_headers(token=token, headers={"Accept-Encoding": "identity"})
    if offset:
        headers["Range"] = f"bytes={offset}-"
    # The client follows the Hub's redirect to its CDN; httpx keeps Range and drops
    # Authorization when the host changes.
    timeout = constants.HF_HUB_DOWNLOAD_TIMEOUT
    with get_session().stream("GET", url, headers=headers, timeout=timeout) as response:
        hf_raise_for_status(response)
        if offset and response.status_code != 206:  # the server ignored Range: start over
            advance(-offset)
            offset = 0
        with partial.open("r+b" if offset else "wb") as out:
            out.seek(offset)
            out.truncate()
            # No chunk size: write what arrives, so a cut connection keeps every received byte.
            for chunk in response.iter_bytes():
                stop()
                out.write(chunk)
                advance(len(chunk))


def _verify(path: Path, file: RepoSibling, repo_id: str) -> None:
    """Check a finished blob against the Hub's hash; a bad one is deleted, never kept."""
    if file.lfs is not None:
        kind, expected, digest = "sha256", file.lfs.sha256, hashlib.sha256()
    elif file.blob_id:  # small files: the git object id, sha1 of "blob <size>\0" + content
        kind, expected = "git sha1", file.blob_id
        digest = hashlib.sha1(b"blob %d\0" % path.stat().st_size)
    else:
        return
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != expected:
        path.unlink(missing_ok=True)
        raise ModelError(
            f"{repo_id}: {file.rfilename} failed verification ({kind} expected {expected}, got"
            f" {digest.hexdigest()}); the file was deleted, run the same command again"
        )


def _http_errors() -> type[Exception]:
    """The base error of the HTTP library huggingface_hub uses (httpx2 in 2.x, httpx in 1.x)."""
    try:
        import httpx2 as httpx
    except ImportError:  # pragma: no cover - huggingface_hub 1.x
        import httpx  # type: ignore[no-redef]
    return httpx.HTTPError
