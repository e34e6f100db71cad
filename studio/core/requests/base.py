"""Serialization shared by every request type: a 'type' tag, a schema version, migrations."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any, ClassVar, Self

from studio.core.errors import ValidationError

Migration = Callable[[dict[str, Any]], dict[str, Any]]
_REGISTRY: dict[str, type[Request]] = {}


class Request:
    """Base for request dataclasses. Subclasses set TYPE; SCHEMA (1 until a field changes
    meaning) and MIGRATIONS when they change."""

    TYPE: ClassVar[str]
    SCHEMA: ClassVar[int] = 1
    # MIGRATIONS[n] upgrades a dict saved with schema n to schema n + 1.
    MIGRATIONS: ClassVar[dict[int, Migration]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "TYPE" in cls.__dict__:
            _REGISTRY[cls.TYPE] = cls

    def search_text(self) -> str:
        """What the gallery indexes for full-text search (the prompt, or the input text)."""
        return str(getattr(self, "prompt", "") or getattr(self, "text", ""))

    def to_dict(self) -> dict[str, Any]:
        body = dataclasses.asdict(self)  # type: ignore[call-overload]
        return {"type": self.TYPE, "schema": self.SCHEMA, **body}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    def replace(self, **changes: Any) -> Self:
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        data = dict(data)
        kind = data.pop("type", cls.TYPE)
        kind = _current_type(kind)
        if kind != cls.TYPE:
            raise ValidationError(f"expected a '{cls.TYPE}' request, got '{kind}'")
        schema = data.pop("schema", cls.SCHEMA)
        if not isinstance(schema, int) or schema < 1 or schema > cls.SCHEMA:
            raise ValidationError(
                f"{cls.TYPE} request schema {schema!r} is not supported "
                f"(this version reads 1 to {cls.SCHEMA})"
            )
        while schema < cls.SCHEMA:
            data = cls.MIGRATIONS[schema](data)
            schema += 1
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValidationError(f"unknown field(s) in {cls.TYPE} request: {', '.join(unknown)}")
        return cls(**data)


def _current_type(kind: object) -> object:
    """Earlier 'type' tags (old gallery rows, job rows, sidecars) read as today's."""
    from studio.core.modalities import canonical_task  # the registry imports the requests

    return canonical_task(kind) if isinstance(kind, str) else kind


def request_from_dict(data: dict[str, Any]) -> Request:
    """Rebuild any request from its dict form, choosing the type by its 'type' tag."""
    kind = data.get("type")
    kind = _current_type(kind)
    if kind not in _REGISTRY:
        raise ValidationError(f"unknown request type {kind!r}")
    return _REGISTRY[kind].from_dict(data)


def request_from_json(text: str) -> Request:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"request is not valid JSON: {exc.msg} at line {exc.lineno}"
        ) from None
    if not isinstance(data, dict):
        raise ValidationError("request JSON must be an object")
    return request_from_dict(data)
