"""Model cache: a cold pipeline load against a ModelCache hit for the same model, side by side.

Each repetition times, in turn: a plain `ImageEngine.load` (cold), a cache miss
(`acquire` after `unload`: the same load plus measuring it with `pipeline_bytes`) and a
cache hit (`acquire` of the loaded key). Reports medians and the ratios hit/cold
(goal: <= 5 %) and miss/cold (what the cache adds to a load).

    .venv/bin/python benchmarks/bench_model_cache.py [--runs 11] [--tiny]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_image_engine import build_pipeline  # also switches HF offline


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--tiny", action="store_true", help="the ~200 KB test pipeline instead")
    args = parser.parse_args()

    from benchmarks._machine import describe
    from studio.demo_models.image import build_tiny_sd
    from studio.engines.image import ImageEngine
    from studio.models.cache import ModelCache
    from studio.models.loading.memory import pipeline_bytes

    with tempfile.TemporaryDirectory() as tmp:
        if args.tiny:
            model, label = build_tiny_sd(Path(tmp) / "tiny-sd"), "tiny SD (test fixture)"
        else:
            model, label = build_pipeline(Path(tmp) / "sd-small"), "small SD (FACTS.md, 8 MB)"

        def load() -> ImageEngine:
            return ImageEngine.load(model, device="cpu", precision="fp32")

        def size_of(engine: ImageEngine) -> int:
            return pipeline_bytes(engine.loaded.pipe)

        cache = ModelCache(4 << 30)
        key = (str(model), "cpu", "fp32")
        load()  # warm-up: first imports and file cache
        times: dict[str, list[float]] = {"cold": [], "miss": [], "hit": [], "size_of": []}
        for _ in range(args.runs):
            started = time.perf_counter()
            engine = load()
            times["cold"].append(time.perf_counter() - started)
            del engine
            cache.unload(key)
            gc.collect()
            started = time.perf_counter()
            cached = cache.acquire(key, load, size_of)
            times["miss"].append(time.perf_counter() - started)
            started = time.perf_counter()
            hit = cache.acquire(key, load, size_of)
            times["hit"].append(time.perf_counter() - started)
            assert hit is cached
            started = time.perf_counter()
            size = size_of(cached)
            times["size_of"].append(time.perf_counter() - started)
            del hit, cached  # freeing a pipeline takes ~ms: never inside a timed section
            gc.collect()
        hits = 10_000
        started = time.perf_counter()
        for _ in range(hits):
            cache.acquire(key, load, size_of)
        hit_mean = (time.perf_counter() - started) / hits
    med = {name: statistics.median(values) for name, values in times.items()}
    print(f"machine: {describe()}")
    print(f"pipeline: {label}, {size / 2**20:.1f} MiB of parameters and buffers, "
          f"{args.runs} alternating runs")  # fmt: skip
    print(f"cold load (ImageEngine.load) median: {med['cold'] * 1000:.1f} ms")
    print(f"cache miss (load + pipeline_bytes) median: {med['miss'] * 1000:.1f} ms "
          f"(pipeline_bytes alone {med['size_of'] * 1000:.2f} ms)")  # fmt: skip
    print(f"cache hit median: {med['hit'] * 1e6:.1f} us (mean of {hits} hits: "
          f"{hit_mean * 1e6:.2f} us)")  # fmt: skip
    print(f"ratio hit/cold: {med['hit'] / med['cold']:.2e} (goal <= 5e-02)")
    print(f"ratio miss/cold: {med['miss'] / med['cold']:.3f}")


if __name__ == "__main__":
    main()
