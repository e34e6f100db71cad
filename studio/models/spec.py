"""ModelSpec: everything a loader needs to know about one model, resolved from a reference.

A reference is a catalog id, a catalog name, or a path (a path need not be in the
catalog: it is identified on the spot from its configs or header).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.errors import ModelError
from studio.models.catalog import CatalogEntry, ModelCatalog
from studio.models.identify import identify_path


@dataclass(frozen=True)
class ModelSpec:
    path: Path
    name: str
    task: str
    family: str
    kind: str  # pipeline, checkpoint, ...
    format: str  # diffusers, safetensors, pickle, ...
    allow_pickle: bool = False
    options: dict[str, Any] = field(default_factory=dict)  # low-memory options
    config_dirs: tuple[Path, ...] = ()  # installed diffusers models of the same family
    catalog_id: int | None = None
    reason: str = ""  # what identification said (why it is unknown, ...)
    # What identification read from the header (a GGUF's context_length, quantization, ...,
    # and "offset" inside a llamafile): engines read it instead of the file.
    facts: dict[str, Any] = field(default_factory=dict)


def resolve(ref: str, catalog: ModelCatalog | None = None) -> ModelSpec:
    path = Path(ref).expanduser()
    entry: CatalogEntry | None = None
    if path.exists():
        path = path.resolve()
        if catalog is not None:
            try:
                entry = catalog.find(str(path))
            except ModelError:
                entry = None
    elif catalog is not None:
        try:
            entry = catalog.find(ref)  # names may hold "/" too: HF repo ids
        except ModelError:
            if _looks_like_path(ref):
                raise ModelError(f"model not found: {ref}") from None
            raise
        path = entry.path
    else:
        raise ModelError(f"model not found: {ref}")
    if entry is not None and entry.problem:
        raise ModelError(entry.problem)
    if entry is not None:
        task, family, kind, fmt, reason = (
            entry.task,
            entry.family,
            entry.kind,
            entry.format,
            entry.reason,
        )
        facts = dict(entry.facts)
        if not facts and fmt == "gguf":  # catalogued before facts were kept: read them now
            facts = dict(identify_path(path).facts)
    else:
        identity = identify_path(path)
        if identity.problem:
            raise ModelError(identity.problem)
        task, family, kind, fmt = identity.task, identity.family, identity.kind, identity.format
        reason, facts = identity.reason, dict(identity.facts)
    return ModelSpec(
        path=path, name=entry.name if entry else (path.stem if path.is_file() else path.name),
        task=task, family=family, kind=kind, format=fmt,
        allow_pickle=bool(entry and entry.allow_pickle), options=dict(entry.options) if entry else {},
        config_dirs=_config_dirs(catalog, family, exclude=path), catalog_id=entry.id if entry else None,
        reason=reason, facts=facts,
    )  # fmt: skip


def _looks_like_path(ref: str) -> bool:
    return (
        "/" in ref or "\\" in ref or ref.startswith(".") or ref.endswith((".safetensors", ".ckpt"))
    )


def _config_dirs(catalog: ModelCatalog | None, family: str, exclude: Path) -> tuple[Path, ...]:
    if catalog is None:
        return ()
    return tuple(
        entry.path for entry in catalog.entries(task="image")
        if entry.kind == "pipeline" and entry.format == "diffusers" and entry.family == family
        and entry.paths and entry.path != exclude and not entry.problem
    )  # fmt: skip
