"""Step previews' cost: ImageEngine.run with a linear preview at every step against none.

Same engine, request and seed; runs alternate so drift hits both equally. Reports the
median of each and the ratio previews/none (goal: <= 1.02), then the cost of one
linear preview alone at full-size latent shapes. One torch thread: on a small shared
machine two threads make the timings noisy.

    .venv/bin/python benchmarks/bench_previews.py [--runs 21] [--steps 10] [--size 64]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_image_engine import build_pipeline  # also switches offline mode on


def preview_cost_ms(family: str, shape: tuple[int, ...], repeats: int = 50) -> float:
    """Median milliseconds of one linear preview (matmul, bytes, PIL upscale)."""
    import torch

    from studio.engines.image.previews import LatentPreviewer

    previewer = LatentPreviewer(family)
    sample = torch.randn(*shape)
    previewer(sample)  # warm-up: builds the factor tensors once
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        previewer(sample)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--size", type=int, default=64)
    args = parser.parse_args()

    import numpy as np
    import torch

    from benchmarks._machine import describe
    from studio.core.requests import ImageRequest
    from studio.engines.image import ImageEngine

    torch.set_num_threads(1)
    shown: list[int] = []
    with tempfile.TemporaryDirectory() as tmp:
        model = build_pipeline(Path(tmp) / "sd-small")
        engine = ImageEngine.load(model, device="cpu", precision="fp32")
        request = ImageRequest(model=str(model), prompt="a lighthouse at dusk", steps=args.steps,
                               width=args.size, height=args.size, seed=1234, guidance=7.0)  # fmt: skip

        def run_none():  # type: ignore[no-untyped-def]
            return engine.images(request)[0].image

        def run_previews():  # type: ignore[no-untyped-def]
            return engine.images(
                request, preview=lambda image, done, total: shown.append(done), preview_every=1
            )[0].image

        same = np.array_equal(np.asarray(run_none()), np.asarray(run_previews()))  # warm-up too
        per_run = len(shown)
        times: dict[str, list[float]] = {"none": [], "previews": []}
        for _ in range(args.runs):
            for name, fn in (("none", run_none), ("previews", run_previews)):
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
    none_s, previews_s = statistics.median(times["none"]), statistics.median(times["previews"])
    print(f"machine: {describe()}")
    print(f"pipeline: small SD (FACTS.md), {args.size}x{args.size}, {args.steps} steps, "
          f"1 torch thread, {args.runs} alternating runs each")  # fmt: skip
    print(f"previews per run: {per_run} (every step but the last); identical pixels: {same}")
    print(f"no previews median: {none_s * 1000:.1f} ms")
    print(f"previews median:    {previews_s * 1000:.1f} ms")
    print(f"ratio previews/none: {previews_s / none_s:.3f}")
    for family, shape, what in (
        ("sd1", (1, 4, 64, 64), "SD 1.x 512x512"),
        ("sdxl", (1, 4, 128, 128), "SDXL 1024x1024"),
        ("flux", (1, 4096, 64), "Flux 1024x1024, packed"),
    ):
        print(
            f"one linear preview, {what} latents {shape}: {preview_cost_ms(family, shape):.2f} ms"
        )


if __name__ == "__main__":
    main()
