"""Scan folders and the HF cache into the catalog, incrementally.

A path whose signature (sizes and modification times, read with stat only) has not
changed since the last scan is not read again. One bad file never stops a scan: it
is reported and the scan goes on.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from studio.models.catalog import ModelCatalog, scan_clock
from studio.models.discovery.candidates import Candidate, Problem
from studio.models.discovery.hf_cache import walk_hf_cache
from studio.models.discovery.stores import walk_folder
from studio.models.hashing import HashCache
from studio.models.identify import Identity, identify_path
from studio.models.identify.identity import WEIGHT_SUFFIXES


@dataclass
class ScanReport:
    added: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0
    removed: int = 0
    merged: list[tuple[Path, int]] = field(default_factory=list)  # duplicate path -> entry
    problems: list[Problem] = field(default_factory=list)


def signature(path: Path) -> tuple[str, int]:
    """(signature, size on disk) from stat calls only."""
    if path.is_file():
        stat = path.stat()
        return f"{stat.st_size}:{stat.st_mtime_ns}", stat.st_size
    digest = hashlib.sha256()
    total = 0
    for folder, _dirs, files in os.walk(path, followlinks=True):
        for name in sorted(files):
            file = Path(folder) / name
            try:
                stat = file.stat()
            except OSError:
                continue
            total += stat.st_size
            digest.update(f"{file.relative_to(path)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:32], total


def scan(
    catalog: ModelCatalog,
    roots: Iterable[Path],
    hashes: HashCache,
    *,
    hf_cache: bool | Path = True,
) -> ScanReport:
    """Scan `roots` (and the HF cache unless hf_cache is False) into `catalog`."""
    report = ScanReport()
    started = scan_clock()
    sources: list[tuple[Path | None, Iterator[Candidate | Problem]]] = [
        (root.expanduser().resolve(), walk_folder(root)) for root in roots
    ]
    if hf_cache:
        sources.append((None, walk_hf_cache(hf_cache if isinstance(hf_cache, Path) else None)))
    for root, found in sources:
        for item in found:
            if isinstance(item, Problem):
                report.problems.append(item)
            else:
                scan_candidate(catalog, item, hashes, report)
        if root is not None and root.exists():
            report.removed += catalog.forget_paths_under(root, started)
    hashes.flush()
    return report


def scan_candidate(
    catalog: ModelCatalog, candidate: Candidate, hashes: HashCache, report: ScanReport
) -> None:
    """Identify and record one candidate (skipped when its signature is unchanged)."""
    path = candidate.path.resolve() if candidate.source != "hf-cache" else candidate.path
    try:
        sig, size = signature(path)
    except OSError as exc:
        report.problems.append(Problem(path, exc.strerror or str(exc)))
        return
    state = catalog.path_state(path)
    previous = state[0] if state else None
    if state and previous == sig:
        catalog.mark_seen(path)
        report.unchanged += 1
        if state[1]:
            report.problems.append(Problem(path, state[1]))  # still broken: say so again
        return
    identity = _with_hints(identify_path(path), candidate)
    if identity.problem:
        report.problems.append(Problem(path, identity.problem))
    model_id = catalog.record(path, identity, name=candidate.name, source=candidate.source, size=size,
                              signature=sig)  # fmt: skip
    (report.updated if previous else report.added).append(model_id)
    survivor = _merge_duplicate(catalog, model_id, path, size, hashes)
    if survivor != model_id:
        report.merged.append((path, survivor))
        (report.updated if previous else report.added).remove(model_id)


def _with_hints(identity: Identity, candidate: Candidate) -> Identity:
    """Fill in what the folder layout says when the file itself could not tell."""
    from dataclasses import replace

    if identity.problem:
        return identity
    if identity.task == "unknown" and candidate.kind_hint in (
        "lora",
        "embedding",
        "vae",
        "checkpoint",
    ):
        reason = f"{identity.reason}; kind taken from the {candidate.source} folder layout"
        identity = replace(identity, task="image", kind=candidate.kind_hint, reason=reason)
    if identity.family == "unknown" and candidate.family_hint:
        identity = replace(
            identity, family=candidate.family_hint, reason=f"{identity.reason}; family from folder"
        )
    facts = getattr(identity, "facts", None)  # GGUF identification brings Identity.facts
    if candidate.facts and isinstance(facts, dict):
        identity = replace(identity, facts={**candidate.facts, **facts})
    return identity


def _merge_duplicate(
    catalog: ModelCatalog, model_id: int, path: Path, size: int, hashes: HashCache
) -> int:
    """Hash only when another entry has the same size: that is the only way to be a duplicate."""
    same_size = catalog.same_size(size, model_id)
    if not same_size or size == 0 or not _has_weights(path):
        return model_id
    try:
        for other_id, other_sha, other_path in same_size:
            if other_sha is None:
                catalog.set_hash(other_id, hashes.model_sha256(other_path))
        return catalog.set_hash(model_id, hashes.model_sha256(path))
    except OSError:
        return model_id


def _has_weights(path: Path) -> bool:
    if path.is_file():
        return path.suffix.lower() in (*WEIGHT_SUFFIXES, ".llamafile") or _is_gguf(path)
    return any(p.suffix in WEIGHT_SUFFIXES for p in path.rglob("*"))


def _is_gguf(path: Path) -> bool:
    """Ollama's blobs have no suffix: the GGUF magic says they are weights."""
    try:
        with path.open("rb") as file:
            return file.read(4) == b"GGUF"
    except OSError:
        return False
