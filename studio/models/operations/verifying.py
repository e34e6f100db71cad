"""Verify a model: identify its files again and compute its content hash."""

from __future__ import annotations

from dataclasses import dataclass

from studio.models.catalog import CatalogEntry, ModelCatalog
from studio.models.hashing import HashCache, short_hash
from studio.models.identify import identify_path
from studio.models.operations.refused import Refused


@dataclass(frozen=True)
class VerifyResult:
    id: int  # the surviving catalog entry: one found to be the same file as another merges
    original_id: int  # the entry that was verified
    name: str
    task: str
    family: str
    sha256: str

    @property
    def short_hash(self) -> str:  # the A1111 form
        return short_hash(self.sha256)

    @property
    def merged(self) -> bool:
        return self.id != self.original_id


def verify_model(entry: CatalogEntry, catalog: ModelCatalog) -> VerifyResult:
    """Re-read `entry`'s files (headers only, then every byte for the hash) and store the hash."""
    missing = [p for p in entry.paths if not p.exists()]
    if missing:
        raise Refused("files-missing",
                      f"model {entry.id} is missing from {missing[0]}; rescan or remove it",
                      id=entry.id, name=entry.name, path=missing[0])  # fmt: skip
    identity = identify_path(entry.path)
    if identity.problem:
        raise Refused("unusable", identity.problem, name=entry.name, detail=identity.problem)
    hashes = HashCache.default()
    try:
        sha256 = hashes.model_sha256(entry.path)
    finally:
        hashes.flush()
    survivor = catalog.set_hash(entry.id, sha256)
    return VerifyResult(survivor, entry.id, entry.name, identity.task, identity.family, sha256)
