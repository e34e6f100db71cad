"""What every engine kept in the model cache shares: how much memory its weights hold,
how to give that memory back, and (for spec-loaded engines) its name and path."""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import Any, ClassVar

import torch

from studio.core.errors import ModelError
from studio.models.loading.memory import pipeline_bytes
from studio.models.spec import ModelSpec, resolve


def spec_for(model: str | Path | ModelSpec, task: str, noun: str) -> ModelSpec:
    """The spec of `model` (a spec, a catalog reference or a path), refused in one line
    when it is not a model of `task` ("tiny-sd is an image model, not a text model")."""
    spec = model if isinstance(model, ModelSpec) else resolve(str(model))
    if spec.task != task:
        article = "an" if spec.task[:1] in ("a", "e", "i", "o", "u") else "a"
        raise ModelError(f"{spec.name} is {article} {spec.task} model, not {noun}")
    return spec


def free_memory() -> None:
    """Collect dropped weights now and hand cached CUDA blocks back to the driver."""
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


class ResidentModel:
    """Mixin: WEIGHTS names the (dotted) attribute that holds the model or pipeline."""

    WEIGHTS: ClassVar[str] = "model"
    _lock_guard: ClassVar[threading.Lock] = threading.Lock()

    @property
    def busy(self) -> threading.Lock:
        """Held while the engine generates: engines keep per-run state (schedulers,
        adapters), so two workers sharing one cached engine take turns."""
        with ResidentModel._lock_guard:
            lock = self.__dict__.get("_busy")
            if lock is None:
                lock = self.__dict__["_busy"] = threading.Lock()
            return lock

    def memory_bytes(self) -> int:
        """Bytes of weights this engine holds (what the model cache budgets)."""
        return pipeline_bytes(self._weights_owner()[1])

    def release(self) -> None:
        """Drop the weights and give their memory back (the cache calls this on eviction)."""
        owner, _ = self._weights_owner()
        setattr(owner, self.WEIGHTS.rsplit(".", 1)[-1], None)
        free_memory()

    def _weights_owner(self) -> tuple[Any, Any]:
        *parents, last = self.WEIGHTS.split(".")
        owner: Any = self
        for name in parents:
            owner = getattr(owner, name)
        return owner, getattr(owner, last)


class SpecNamed:
    """Mixin for engines that keep the ModelSpec they were loaded from: the contract's
    identity fields (name, path, family; dtype from the weights)."""

    spec: ModelSpec

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def path(self) -> Path:
        return self.spec.path

    @property
    def family(self) -> str:
        return self.spec.family

    @property
    def dtype(self) -> Any:
        weights = ResidentModel._weights_owner(self)[1]  # type: ignore[arg-type]
        return getattr(weights, "dtype", None)
