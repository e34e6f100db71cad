"""Engine overhead: studio's ImageEngine against a bare diffusers call, side by side.

Same saved pipeline, same seed, steps and size; runs alternate so drift hits both
equally. Reports the median of each and the ratio studio/raw (goal: <= 1.05).

    .venv/bin/python benchmarks/bench_image_engine.py [--runs 15] [--steps 10] [--size 64]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.core.offline import enable_offline_mode

enable_offline_mode()


def build_pipeline(folder: Path) -> Path:
    """The small SD pipeline of shared/FACTS.md (8 MB, ~0.6 s per 64x64 image at 10 steps)."""
    import torch
    from diffusers import StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextModel

    from studio.demo_models.image import _clip_config, _clip_tokenizer, _scheduler, _vae

    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        block_out_channels=(32, 64), layers_per_block=2, sample_size=8, in_channels=4,
        out_channels=4, down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), cross_attention_dim=32,
    )  # fmt: skip
    config = _clip_config(32)
    config.num_hidden_layers = 5
    pipe = StableDiffusionPipeline(
        unet=unet, vae=_vae((32, 64)), text_encoder=CLIPTextModel(config),
        tokenizer=_clip_tokenizer(), scheduler=_scheduler(), safety_checker=None,
        feature_extractor=None, requires_safety_checker=False,
    )  # fmt: skip
    pipe.save_pretrained(folder, safe_serialization=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--size", type=int, default=64)
    args = parser.parse_args()

    import numpy as np
    import torch
    from diffusers import StableDiffusionPipeline

    from benchmarks._machine import describe
    from studio.core.requests import ImageRequest
    from studio.engines.contract import Events
    from studio.engines.image import ImageEngine

    torch.set_num_threads(torch.get_num_threads())
    with tempfile.TemporaryDirectory() as tmp:
        model = build_pipeline(Path(tmp) / "sd-small")
        raw = StableDiffusionPipeline.from_pretrained(model, local_files_only=True)
        raw.set_progress_bar_config(disable=True)
        engine = ImageEngine.load(model, device="cpu", precision="fp32")
        request = ImageRequest(model=str(model), prompt="a lighthouse at dusk", steps=args.steps,
                               width=args.size, height=args.size, seed=1234, guidance=7.0)  # fmt: skip

        def run_raw():  # type: ignore[no-untyped-def]
            generator = torch.Generator("cpu").manual_seed(1234)
            return raw(request.prompt, num_inference_steps=args.steps, guidance_scale=7.0,
                       width=args.size, height=args.size, generator=generator).images[0]  # fmt: skip

        def run_studio():  # type: ignore[no-untyped-def]
            return next(engine.run(request, Events())).image  # the contract the runtime calls

        same = np.array_equal(np.asarray(run_raw()), np.asarray(run_studio()))  # also warms up
        times: dict[str, list[float]] = {"raw": [], "studio": []}
        for _ in range(args.runs):
            for name, fn in (("raw", run_raw), ("studio", run_studio)):
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
    raw_s, studio_s = statistics.median(times["raw"]), statistics.median(times["studio"])
    print(f"machine: {describe()}")
    print(f"pipeline: small SD (FACTS.md), {args.size}x{args.size}, {args.steps} steps, "
          f"{args.runs} alternating runs each")  # fmt: skip
    print(f"identical pixels: {same}")
    print(f"raw diffusers median: {raw_s * 1000:.1f} ms")
    print(f"studio engine median: {studio_s * 1000:.1f} ms")
    print(f"ratio studio/raw: {studio_s / raw_s:.3f}")


if __name__ == "__main__":
    main()
