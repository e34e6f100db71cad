"""The process's loaded models: one ModelCache shared by every job, under a memory budget.

Loading an image model the second time is a dictionary lookup; the least recently used
models are released when a new one would exceed the budget (settings, else sized from
the machine's RAM/VRAM). A budget changed in the settings applies at the next load, or
at once through apply_memory_budget.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

from studio.core.errors import ModelError, StudioError
from studio.core.settings import Settings, load_settings
from studio.models.cache import ModelCache, budget_from_settings
from studio.models.catalog import ModelCatalog
from studio.models.spec import ModelSpec, resolve

if TYPE_CHECKING:
    from studio.engines.image import ImageEngine

E = TypeVar("E", bound=Any)
_lock = threading.Lock()
_cache: ModelCache | None = None
_machine: tuple[str, int, int | None] = ("cpu", 0, None)  # device type, RAM, VRAM: measured once


def model_cache() -> ModelCache:
    global _cache, _machine
    with _lock:
        if _cache is None:
            from studio.models.loading.memory import machine_memory  # imports torch

            ram, vram = machine_memory()
            _machine = ("cuda" if vram else "cpu", ram, vram)
            budget = budget_from_settings(_saved_settings(), *_machine)
            _cache = ModelCache(budget, on_evict=lambda key, engine: engine.release())
        return _cache


def apply_memory_budget(settings: Settings | None = None) -> int | None:
    """Give the model cache the budget of `settings` (default: the saved ones); a smaller
    budget releases least recently used models now. Returns the budget in bytes, or None
    before any model was loaded (the cache reads the settings when it is made).

    Releasing a model frees device memory: call it off the GUI thread."""
    with _lock:
        cache, machine = _cache, _machine
    if cache is None:
        return None
    budget = budget_from_settings(settings or _saved_settings(), *machine)
    if budget != cache.budget:
        cache.budget = budget
    return budget


def _saved_settings() -> Settings:
    try:
        return load_settings()
    except StudioError:  # unreadable: the automatic budget; the settings dialog says why
        return Settings()


def load_engine(
    task: str,
    model: str,
    catalog: ModelCatalog | None,
    loader: Callable[[ModelSpec], E],
    *key: Hashable,
) -> E:
    """A model of `task` by catalog id, name or path, from the cache or loaded by `loader`.

    Engines in the cache provide memory_bytes() (for the budget) and release() (on eviction).
    `key` adds what makes two loads of one file differ (device, precision, options).
    """
    spec = resolve(model, catalog)
    if spec.task != task and not (task == "image" and spec.task == "unknown"):
        raise ModelError(
            f"{spec.name} is {_article(spec.task)} {spec.task} model, not {_article(task)} {task} model"
        )
    cache = model_cache()
    apply_memory_budget()  # the budget the settings say now, before making room
    engine = cache.acquire(
        (task, str(spec.path), *key), lambda: loader(spec), lambda e: e.memory_bytes()
    )
    if catalog is not None and spec.catalog_id is not None:
        catalog.touch(spec.catalog_id)
    return engine


def load_image_engine(
    model: str, device: str = "auto", precision: str = "auto", catalog: ModelCatalog | None = None
) -> ImageEngine:
    """An image model by catalog id, name or path, from the cache or loaded now."""

    def load(spec: ModelSpec) -> ImageEngine:
        from studio.engines.image import ImageEngine  # torch and diffusers load here

        return ImageEngine.load(spec, device=device, precision=precision)

    options = json.dumps(resolve(model, catalog).options, sort_keys=True)
    engine = load_engine("image", model, catalog, load, device, precision, options)
    if catalog is not None:
        engine.resolver = lambda ref: resolve(ref, catalog)  # LoRAs and embeddings by id/name
    return engine


def unload_model(model: str, catalog: ModelCatalog | None = None) -> int:
    """Release every loaded copy of `model` (any device/precision); returns how many."""
    path = str(resolve(model, catalog).path)
    cache = model_cache()
    keys = [key for key, _size in cache.loaded() if isinstance(key, tuple) and key[1] == path]
    return sum(cache.unload(key) for key in keys)


def _article(word: str) -> str:
    return "an" if word[:1] in ("a", "e", "i", "o", "u") else "a"


def loaded_model_paths() -> set[str]:
    """Paths of the models loaded now; never starts the cache (which imports torch)."""
    with _lock:
        cache = _cache
    if cache is None:
        return set()
    return {str(key[1]) for key, _size in cache.loaded() if isinstance(key, tuple) and len(key) > 1}
