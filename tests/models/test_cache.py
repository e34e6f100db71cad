"""ModelCache: LRU under a byte budget, one load per key across threads, budget policy."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import pytest

from studio.core.settings import Settings
from studio.models.cache import GIB, ModelCache, budget_from_settings, default_budget


class Fake:
    def __init__(self, name: str, size: int) -> None:
        self.name, self.size = name, size


def make(name: str, size: int) -> Callable[[], Fake]:
    return lambda: Fake(name, size)


def size_of(obj: Fake) -> int:
    return obj.size


def evictions() -> tuple[list[Hashable], Callable[[Hashable, Any], None]]:
    seen: list[Hashable] = []
    return seen, lambda key, obj: seen.append(key)


def test_hit_returns_the_same_object_and_loads_once() -> None:
    cache = ModelCache(100)
    calls: list[str] = []

    def loader() -> Fake:
        calls.append("a")
        return Fake("a", 10)

    first = cache.acquire("a", loader, size_of)
    assert cache.acquire("a", loader, size_of) is first and calls == ["a"]
    assert cache.loaded() == [("a", 10)] and cache.total == 10 and "a" in cache


def test_least_recently_used_is_evicted_first_and_on_evict_is_called() -> None:
    seen, hook = evictions()
    cache = ModelCache(100, on_evict=hook)
    for key in "abc":
        cache.acquire(key, make(key, 30), size_of)
    cache.acquire("a", make("a", 30), size_of)  # a is now the most recent: b goes next
    cache.acquire("d", make("d", 30), size_of)
    assert seen == ["b"] and cache.loaded() == [("d", 30), ("a", 30), ("c", 30)]
    cache.acquire("e", make("e", 70), size_of)  # needs two evictions, oldest first
    assert seen == ["b", "c", "a"] and cache.loaded() == [("e", 70), ("d", 30)]
    assert cache.total == 100


def test_on_evict_gets_the_object_and_a_failing_hook_does_not_break_the_cache() -> None:
    got: list[Any] = []

    def hook(key: Hashable, obj: Any) -> None:
        got.append(obj)
        raise RuntimeError("hook failed")

    cache = ModelCache(10, on_evict=hook)
    a = cache.acquire("a", make("a", 10), size_of)
    cache.acquire("b", make("b", 10), size_of)
    assert got == [a] and [k for k, _ in cache.loaded()] == ["b"]


def test_unload_and_clear() -> None:
    seen, hook = evictions()
    cache = ModelCache(100, on_evict=hook)
    for key in "abc":
        cache.acquire(key, make(key, 10), size_of)
    assert cache.unload("b") is True and cache.unload("b") is False and cache.unload("zz") is False
    assert seen == ["b"] and cache.total == 20
    cache.clear()
    assert sorted(seen) == ["a", "b", "c"] and cache.loaded() == [] and cache.total == 0


def test_shrinking_the_budget_evicts_and_growing_does_not() -> None:
    seen, hook = evictions()
    cache = ModelCache(100, on_evict=hook)
    for key in "abcd":
        cache.acquire(key, make(key, 25), size_of)
    cache.budget = 200
    assert seen == []
    cache.budget = 50
    assert cache.budget == 50 and seen == ["a", "b"] and cache.total == 50
    cache.budget = 10  # below any entry: the most recent one stays, alone
    assert seen == ["a", "b", "c"] and cache.loaded() == [("d", 25)]
    with pytest.raises(ValueError):
        cache.budget = -1


def test_an_entry_larger_than_the_budget_is_returned_and_kept_alone() -> None:
    seen, hook = evictions()
    cache = ModelCache(100, on_evict=hook)
    cache.acquire("a", make("a", 40), size_of)
    cache.acquire("b", make("b", 40), size_of)
    big = cache.acquire("big", make("big", 500), size_of)
    assert big.size == 500 and seen == ["a", "b"] and cache.loaded() == [("big", 500)]
    assert cache.acquire("big", make("big", 500), size_of) is big  # a hit, no reload
    cache.acquire("c", make("c", 10), size_of)  # any other load pushes it out
    assert seen[-1] == "big" and cache.loaded() == [("c", 10)]


def test_size_hint_makes_room_before_loading() -> None:
    seen, hook = evictions()
    cache = ModelCache(100, on_evict=hook)
    cache.acquire("a", make("a", 60), size_of)
    during: list[list[Hashable]] = []

    def loader() -> Fake:
        during.append(list(seen))
        return Fake("b", 60)

    cache.acquire("b", loader, size_of, size_hint=60)
    assert during == [["a"]]  # a was gone before b started loading


def test_concurrent_acquire_of_one_key_loads_once() -> None:
    cache = ModelCache(1000)
    calls: list[int] = []
    started = threading.Event()

    def slow() -> Fake:
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return Fake("m", 10)

    results: list[Fake] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.acquire("m", slow, size_of)))
        for _ in range(8)
    ]
    threads[0].start()
    started.wait(5)
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(calls) == 1 and len(results) == 8 and all(r is results[0] for r in results)


def test_different_keys_load_in_parallel() -> None:
    cache = ModelCache(1000)
    barrier = threading.Barrier(2, timeout=5)

    def loader(name: str) -> Callable[[], Fake]:
        def load() -> Fake:
            barrier.wait()  # deadlocks (BrokenBarrierError) if loads were serialised
            return Fake(name, 1)

        return load

    threads = [
        threading.Thread(target=cache.acquire, args=(k, loader(k), size_of)) for k in ("a", "b")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(k for k, _ in cache.loaded()) == ["a", "b"]


def test_a_failed_load_reaches_every_waiter_and_is_not_cached() -> None:
    cache = ModelCache(1000)
    calls: list[int] = []
    started = threading.Event()

    def failing() -> Fake:
        calls.append(1)
        started.set()
        time.sleep(0.2)
        raise OSError("disk gone")

    errors: list[BaseException] = []

    def worker() -> None:
        try:
            cache.acquire("m", failing, size_of)
        except OSError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(5)]
    threads[0].start()
    started.wait(5)
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(calls) == 1 and len(errors) == 5 and all("disk gone" in str(e) for e in errors)
    assert cache.loaded() == [] and cache.total == 0
    assert cache.acquire("m", make("m", 5), size_of).size == 5  # the next try loads again


def test_a_failing_size_of_is_a_failed_load() -> None:
    cache = ModelCache(100)

    def bad_size(obj: Fake) -> int:
        raise ValueError("no size")

    with pytest.raises(ValueError, match="no size"):
        cache.acquire("a", make("a", 1), bad_size)
    assert cache.loaded() == []


def test_a_loader_asking_for_its_own_key_fails_instead_of_deadlocking() -> None:
    cache = ModelCache(100)

    def loader() -> Fake:
        return cache.acquire("a", loader, size_of)

    with pytest.raises(RuntimeError, match="again"):
        cache.acquire("a", loader, size_of)
    assert cache.loaded() == []


def test_default_budget_policy_and_the_settings_override() -> None:
    ram, vram = 32 * GIB, 24 * GIB
    assert default_budget("cpu", ram, None) == 16 * GIB
    assert default_budget("cpu", ram, vram) == 16 * GIB  # CPU models live in RAM
    assert default_budget("mps", ram, None) == 16 * GIB  # unified memory
    assert default_budget("cuda", ram, vram) == int(24 * GIB * 0.85)
    assert default_budget("cuda", ram, None) == 16 * GIB  # VRAM unknown: the RAM rule
    assert default_budget("cpu", 0, None) == 4 * GIB  # nothing known
    assert default_budget("cuda", ram, vram, override_gb=6) == 6 * GIB
    assert default_budget("cpu", ram, None, override_gb=1.5) == int(1.5 * GIB)
    assert budget_from_settings(Settings(), "cuda", ram, vram) == int(24 * GIB * 0.85)
    assert budget_from_settings(Settings(memory_budget_gb=10), "cuda", ram, vram) == 10 * GIB
    assert budget_from_settings(Settings(memory_budget_gb=-3), "cpu", ram, None) == 16 * GIB


def test_pipeline_bytes_of_the_tiny_pipeline(tiny_sd: Path) -> None:
    import torch

    from studio.engines.image import ImageEngine
    from studio.models.loading.memory import pipeline_bytes

    pipe = ImageEngine.load(tiny_sd, device="cpu").loaded.pipe
    modules = [m for m in pipe.components.values() if isinstance(m, torch.nn.Module)]
    expected = sum(t.nbytes for m in modules for t in (*m.parameters(), *m.buffers()))
    assert len(modules) == 3 and expected > 0
    assert pipeline_bytes(pipe) == expected
    assert pipeline_bytes(pipe, device_type="cpu") == expected
    assert pipeline_bytes(pipe, device_type="cuda") == 0
    assert pipeline_bytes(pipe.unet) == sum(
        t.nbytes for t in (*pipe.unet.parameters(), *pipe.unet.buffers())
    )
    # A component shared under two names (as from_pipe does) is counted once.
    shared = {"unet": pipe.unet, "unet_again": pipe.unet, "vae": pipe.vae}
    assert pipeline_bytes(shared) == pipeline_bytes(pipe.unet) + pipeline_bytes(pipe.vae)


def test_pipeline_bytes_counts_tied_weights_once() -> None:
    import torch

    from studio.models.loading.memory import pipeline_bytes

    embed, head = torch.nn.Embedding(10, 4), torch.nn.Linear(4, 10, bias=False)
    head.weight = torch.nn.Parameter(embed.weight.data)  # another Parameter, the same memory
    assert pipeline_bytes({"text_encoder": embed, "head": head}) == 10 * 4 * 4
    with torch.device("meta"):
        assert pipeline_bytes(torch.nn.Linear(100, 100)) == 0  # nothing materialised


def test_machine_memory_reports_the_ram() -> None:
    from studio.models.loading.memory import machine_memory

    ram, vram = machine_memory()
    assert ram > 0 and (vram is None or vram > 0)
