"""The process's loaded models: one ModelCache shared by every job, under a memory budget.

Loading an image model the second time is a dictionary lookup; the least recently used
models are released when a new one would exceed the budget (settings, else sized from
the machine's RAM/VRAM). A budget changed in the settings applies at the next load, or
at once through apply_memory_budget.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import TYPE_CHECKING, Any

from studio.core.errors import BackendUnavailable, ModelError, StudioError
from studio.core.modalities import load_ref, modality
from studio.core.requests.base import Request
from studio.core.settings import Settings, load_settings
from studio.models.cache import ModelCache, budget_from_settings
from studio.models.catalog import ModelCatalog
from studio.models.spec import resolve

if TYPE_CHECKING:
    from studio.engines.contract import Engine

log = logging.getLogger(__name__)
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
    task: str, model: str, device: str = "auto", precision: str = "auto",
    catalog: ModelCatalog | None = None, options: dict[str, Any] | None = None,
) -> Engine:  # fmt: skip
    """The engine that runs `task` on `model` (catalog id, name or path): from the cache,
    or loaded now by the registry's backend for the model's task, format and family.

    `options` are the request's load options (Engine.LOAD_OPTIONS): they, the device, the
    precision and the model's saved options make two loads of one file differ. Engines
    are keyed by class, so a walk reuses the image model the image task loaded.
    """
    entry = modality(task)
    spec = resolve(model, catalog)
    backends = [b for b in entry.backends if b.accepts(spec.task, spec.format, spec.family)]
    if not backends:
        if spec.task in entry.model_tasks:
            raise ModelError(f"{spec.name} ({spec.family}) is not {_a(task)} model the studio runs")
        wanted = " or ".join(_a(t) for t in entry.model_tasks if t != "unknown")
        raise ModelError(f"{spec.name} is {_a(spec.task)} model, not {wanted} model")
    cache = model_cache()
    apply_memory_budget()  # the budget the settings say now, before making room
    load_options = {k: v for k, v in (options or {}).items() if v is not None}
    for number, backend in enumerate(backends, start=1):
        key = (backend.engine, str(spec.path), device, precision,
               json.dumps(spec.options, sort_keys=True), json.dumps(load_options, sort_keys=True))  # fmt: skip

        def load(backend: Any = backend) -> Engine:
            engine_class = load_ref(backend.engine)  # torch and the model's library load here
            return engine_class.load(spec, device, precision, **load_options)  # type: ignore[no-any-return]

        try:
            engine = cache.acquire(key, load, lambda e: e.memory_bytes())
            break
        except BackendUnavailable as exc:  # e.g. llama.cpp missing: the next backend runs it
            if number == len(backends):
                raise ModelError(str(exc)) from None
            log.info("%s: %s; trying the next backend", spec.name, exc)
    if catalog is not None:
        if hasattr(engine, "resolver"):  # LoRAs and embeddings by catalog id or name
            engine.resolver = lambda ref: resolve(ref, catalog)
        if spec.catalog_id is not None:
            catalog.touch(spec.catalog_id)
    return engine


def load_options(request: Request) -> dict[str, Any]:
    """The request's fields that change how its engine loads (e.g. a speech vocoder)."""
    entry = modality(request.TYPE)
    names = sorted({name for backend in entry.backends for name in backend.load_options})
    return {name: getattr(request, name) for name in names if hasattr(request, name)}


def unload_model(model: str, catalog: ModelCatalog | None = None) -> int:
    """Release every loaded copy of `model` (any device/precision); returns how many."""
    path = str(resolve(model, catalog).path)
    cache = model_cache()
    keys = [key for key, _size in cache.loaded() if isinstance(key, tuple) and key[1] == path]
    return sum(cache.unload(key) for key in keys)


def _a(word: str) -> str:
    return f"{'an' if word[:1] in ('a', 'e', 'i', 'o', 'u') else 'a'} {word}"


def loaded_model_paths() -> set[str]:
    """Paths of the models loaded now; never starts the cache (which imports torch)."""
    with _lock:
        cache = _cache
    if cache is None:
        return set()
    return {str(key[1]) for key, _size in cache.loaded() if isinstance(key, tuple) and len(key) > 1}
