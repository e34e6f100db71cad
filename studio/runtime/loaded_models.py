"""The process's loaded models: one ModelCache shared by every job, under a memory budget.

Loading an image model the second time is a dictionary lookup; the least recently used
models are released when a new one would exceed the budget (settings, else sized from
the machine's RAM/VRAM).
"""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING

from studio.core.errors import ModelError
from studio.core.settings import load_settings
from studio.models.cache import ModelCache, budget_from_settings
from studio.models.catalog import ModelCatalog
from studio.models.spec import ModelSpec, resolve

if TYPE_CHECKING:
    from studio.engines.image import ImageEngine

_lock = threading.Lock()
_cache: ModelCache | None = None


def model_cache() -> ModelCache:
    global _cache
    with _lock:
        if _cache is None:
            from studio.models.loading.memory import machine_memory  # imports torch

            ram, vram = machine_memory()
            device = "cuda" if vram else "cpu"
            budget = budget_from_settings(load_settings(), device, ram, vram)
            _cache = ModelCache(budget, on_evict=lambda key, engine: engine.release())
        return _cache


def image_engine_key(spec: ModelSpec, device: str, precision: str) -> tuple[str, ...]:
    return ("image", str(spec.path), device, precision, json.dumps(spec.options, sort_keys=True))


def load_image_engine(
    model: str, device: str = "auto", precision: str = "auto", catalog: ModelCatalog | None = None
) -> ImageEngine:
    """An image model by catalog id, name or path, from the cache or loaded now."""
    spec = resolve(model, catalog)
    if spec.task not in ("image", "unknown"):
        raise ModelError(f"{spec.name} is a {spec.task} model, not an image model")

    def load() -> ImageEngine:
        from studio.engines.image import ImageEngine  # torch and diffusers load here

        return ImageEngine.load(spec, device=device, precision=precision)

    engine = model_cache().acquire(
        image_engine_key(spec, device, precision), load, lambda e: e.memory_bytes()
    )
    if catalog is not None:
        engine.resolver = lambda ref: resolve(ref, catalog)  # LoRAs and embeddings by id/name
        if spec.catalog_id is not None:
            catalog.touch(spec.catalog_id)
    return engine


def unload_model(model: str, catalog: ModelCatalog | None = None) -> int:
    """Release every loaded copy of `model` (any device/precision); returns how many."""
    path = str(resolve(model, catalog).path)
    cache = model_cache()
    keys = [key for key, _size in cache.loaded() if isinstance(key, tuple) and key[1] == path]
    return sum(cache.unload(key) for key in keys)
