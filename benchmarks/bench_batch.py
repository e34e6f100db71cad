"""`studio batch` against a bare loop of diffusers calls, in one run.

64 items (same pipeline, 64x64, 4 steps, per-item seeds); both sides load the model once
and write one PNG per item. The difference per item is the runtime's overhead: queue,
events, metadata, atomic writes, manifest, gallery rows.

    .venv/bin/python benchmarks/bench_batch.py [--items 64] [--steps 4] [--threads 1]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=64)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["STUDIO_HOME"] = str(Path(tmp) / "home")
        from studio.core.offline import enable_offline_mode

        enable_offline_mode()
        import torch

        torch.set_num_threads(args.threads)
        from benchmarks._machine import describe
        from benchmarks.bench_image_engine import build_pipeline

        model = build_pipeline(Path(tmp) / "sd-small")
        jobfile = Path(tmp) / "items.csv"
        rows = [f"a lighthouse number {n},64,64,{args.steps},{1000 + n}" for n in range(args.items)]
        jobfile.write_text("prompt,width,height,steps,seed\n" + "\n".join(rows) + "\n")
        bare = run_bare(model, args.items, args.steps, Path(tmp) / "bare")
        batch = run_batch(model, jobfile, Path(tmp) / "batch")
    print(f"machine: {describe()}; torch threads {args.threads}")
    print(
        f"{args.items} items, small SD (FACTS.md), 64x64, {args.steps} steps, one model load each"
    )
    print(f"bare diffusers loop: {bare:.2f} s ({bare / args.items * 1000:.1f} ms/item)")
    print(f"studio batch:        {batch:.2f} s ({batch / args.items * 1000:.1f} ms/item)")
    print(f"ratio batch/bare: {batch / bare:.3f} (goal <= 1.05); overhead per item: "
          f"{(batch - bare) / args.items * 1000:.1f} ms")  # fmt: skip


def run_bare(model: Path, items: int, steps: int, out: Path) -> float:
    import torch
    from diffusers import StableDiffusionPipeline

    out.mkdir()
    started = time.perf_counter()
    pipe = StableDiffusionPipeline.from_pretrained(model, local_files_only=True)
    pipe.set_progress_bar_config(disable=True)
    for n in range(items):
        image = pipe(f"a lighthouse number {n}", num_inference_steps=steps, width=64, height=64,
                     generator=torch.Generator("cpu").manual_seed(1000 + n)).images[0]  # fmt: skip
        image.save(out / f"{n:05d}.png")
    return time.perf_counter() - started


def run_batch(model: Path, jobfile: Path, out: Path) -> float:
    from studio.core.batch import load_job_file
    from studio.core.paths import data_paths
    from studio.runtime.batch.runner import BatchRunner

    started = time.perf_counter()
    plan = load_job_file(jobfile, model=str(model))
    summary = BatchRunner(plan, out, data_paths().ensure().database, devices=["cpu"]).run()
    assert summary.done == len(plan.items) and summary.failed == 0
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
