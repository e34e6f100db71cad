"""ModelCache: loaded models kept in memory under a byte budget, least recently used first out.

Thread-safe. A key is loaded by one thread at a time: other threads asking for it wait
for that load and share its result (or its exception; a failed load is not cached).
Loading runs outside the lock, so loads of different keys proceed in parallel.

Oversize policy: an entry larger than the whole budget is kept alone (everything else
is evicted), so using one big model over and over does not reload it each time; the
next load of any other key evicts it. The total exceeds the budget only in that case.

Eviction drops the cache's reference and calls `on_evict(key, obj)`; freeing device
memory (`torch.cuda.empty_cache()`) is the caller's job there. Memory is only freed
once no one else holds the object, so evicting a model that is still in use is safe.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")
GIB = 1 << 30
_log = logging.getLogger(__name__)

CPU_SHARE = 0.5  # the OS, the GUI and generation activations need the other half
GPU_SHARE = 0.85  # weights; the rest of VRAM is left for activations and the CUDA context
_FALLBACK = 4 * GIB  # when the machine's memory is unknown


def default_budget(
    device_type: str, total_ram: int, total_vram: int | None, *, override_gb: float = 0.0
) -> int:
    """Bytes the cache may hold on `device_type` ("cpu", "cuda", "mps", ...).

    A positive `override_gb` (Settings.memory_budget_gb, GiB) wins. Otherwise: CUDA
    (and other discrete accelerators with a known VRAM size) gets 85% of VRAM; CPU and
    MPS (unified memory: the model lives in RAM) get half the RAM; 4 GiB if unknown.
    """
    if override_gb > 0:
        return int(override_gb * GIB)
    if device_type not in ("cpu", "mps") and total_vram:
        return int(total_vram * GPU_SHARE)
    return int(total_ram * CPU_SHARE) if total_ram > 0 else _FALLBACK


def budget_from_settings(
    settings: Any, device_type: str, total_ram: int, total_vram: int | None
) -> int:
    """default_budget with the user's `memory_budget_gb` (0 or missing: automatic)."""
    override = float(getattr(settings, "memory_budget_gb", 0.0) or 0.0)
    return default_budget(device_type, total_ram, total_vram, override_gb=override)


class _Pending(Future):  # type: ignore[type-arg]
    def __init__(self) -> None:
        super().__init__()
        self.owner = threading.get_ident()


class ModelCache:
    def __init__(
        self, budget_bytes: int, on_evict: Callable[[Hashable, Any], None] | None = None
    ) -> None:
        if budget_bytes < 0:
            raise ValueError("budget_bytes must be >= 0")
        self._budget = budget_bytes
        self._on_evict = on_evict
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()  # LRU first
        self._loading: dict[Hashable, _Pending] = {}
        self._total = 0
        self._lock = threading.Lock()

    @property
    def budget(self) -> int:
        return self._budget

    @budget.setter
    def budget(self, value: int) -> None:
        """Shrinking evicts LRU entries now; the most recent one stays (the oversize policy)."""
        if value < 0:
            raise ValueError("budget must be >= 0")
        with self._lock:
            self._budget = value
            evicted = self._evict_locked(0)
        self._notify(evicted)

    @property
    def total(self) -> int:
        """Bytes held now."""
        with self._lock:
            return self._total

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._entries

    def acquire(
        self,
        key: Hashable,
        loader: Callable[[], T],
        size_of: Callable[[T], int],
        *,
        size_hint: int = 0,
    ) -> T:
        """The cached object for `key` (now most recently used), or load, measure and keep it.

        `size_hint` (e.g. the size on disk) evicts that much room before loading, so the
        peak is not old models + new model; the real size comes from `size_of` afterwards.
        """
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key][0]  # type: ignore[no-any-return]
            pending = self._loading.get(key)
            owner = pending is None
            if pending is None:
                pending = self._loading[key] = _Pending()
                evicted = self._evict_locked(size_hint) if size_hint > 0 else []
            elif pending.owner == threading.get_ident():
                raise RuntimeError(f"loading {key!r} asked for {key!r} again")
        if not owner:
            return pending.result()  # type: ignore[no-any-return]  # raises the load's error
        self._notify(evicted)
        try:
            obj = loader()
            size = int(size_of(obj))
        except BaseException as exc:
            with self._lock:
                del self._loading[key]
            pending.set_exception(exc)
            raise
        with self._lock:
            del self._loading[key]
            self._entries[key] = (obj, size)
            self._total += size
            evicted = self._evict_locked(0)
        pending.set_result(obj)  # before on_evict: waiters should not wait on the hook
        self._notify(evicted)
        return obj

    def unload(self, key: Hashable) -> bool:
        """Evict `key` now; False if it is not loaded (a load in progress is not stopped)."""
        with self._lock:
            item = self._entries.pop(key, None)
            if item is not None:
                self._total -= item[1]
        if item is None:
            return False
        self._notify([(key, item[0])])
        return True

    def clear(self) -> None:
        with self._lock:
            evicted = [(k, obj) for k, (obj, _size) in self._entries.items()]
            self._entries.clear()
            self._total = 0
        self._notify(evicted)

    def loaded(self) -> list[tuple[Hashable, int]]:
        """(key, bytes) of every kept entry, most recently used first (for the UI)."""
        with self._lock:
            return [(k, size) for k, (_obj, size) in reversed(self._entries.items())]

    def _evict_locked(self, room: int) -> list[tuple[Hashable, Any]]:
        """Drop LRU entries until total + room fits; the newest entry always stays."""
        evicted = []
        while len(self._entries) > 1 or (room and self._entries):
            if self._total + room <= self._budget:
                break
            key, (obj, size) = self._entries.popitem(last=False)
            self._total -= size
            evicted.append((key, obj))
        return evicted

    def _notify(self, evicted: list[tuple[Hashable, Any]]) -> None:
        # Outside the lock: the hook may be slow (empty_cache) or use the cache itself.
        for key, obj in evicted:
            if self._on_evict is not None:
                try:
                    self._on_evict(key, obj)
                except Exception:
                    _log.exception("on_evict failed for %r", key)
