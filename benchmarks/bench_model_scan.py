"""Model scan speed: a first scan of 2,000 synthetic models, then unchanged rescans.

The collection mixes the layouts users have: an A1111 install (SD1/SDXL checkpoints,
LoRAs in sub-folders, embeddings, VAEs), ComfyUI and InvokeAI folders, diffusers
pipeline folders and transformers folders. Files are header-true .safetensors with
real tensor names and tiny shapes (kohya-style metadata makes sizes differ, as in real
collections, so the duplicate check hashes little). Goal: an unchanged rescan <= 1 s.

    .venv/bin/python benchmarks/bench_model_scan.py [--models 2000] [--rescans 5] [--same-size]
        [--profile] [--profile-first]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from safetensors.numpy import save_file

Shapes = dict[str, tuple[int, ...]]


def _write(path: Path, shapes: Shapes, name: str, pad: int) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {key: np.zeros(shape, dtype=np.float16) for key, shape in shapes.items()}
    save_file(arrays, str(path), metadata={"ss_output_name": name, "ss_comment": "x" * pad})
    return path.stat().st_size


class Sizes:
    """Gives every model its own size (as kohya metadata does), or leaves sizes alike."""

    def __init__(self, same_size: bool) -> None:
        self.same_size = same_size
        self.used: set[int] = set()
        self.made = 0

    def file(self, path: Path, shapes: Shapes) -> None:
        name = f"{path.stem}-{self.made}"  # distinct content, even when sizes are alike
        pad = 0 if self.same_size else 8 * self.made  # headers are padded to 8 bytes
        size = _write(path, shapes, name, pad)
        while not self.same_size and size in self.used:
            pad += 8
            size = _write(path, shapes, name, pad)
        self.used.add(size)
        self.made += 1

    def folder(self, folder: Path) -> None:
        names = ("config.json", "model_index.json")
        config = next(folder / n for n in names if (folder / n).exists())
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        while not self.same_size and size in self.used:
            with config.open("a") as handle:
                handle.write(" ")  # JSON allows trailing whitespace
            size += 1
        self.used.add(size)
        self.made += 1


def _unet_blocks(prefix: str, context: int, blocks: int) -> Shapes:
    shapes: Shapes = {}
    for b in range(1, blocks + 1):
        block = f"{prefix}input_blocks.{b}.1.transformer_blocks.0."
        shapes[block + "attn2.to_k.weight"] = (8, context)
        shapes[block + "attn2.to_v.weight"] = (8, context)
        shapes[block + "attn1.to_q.weight"] = (8, 8)
        shapes[block + "norm1.weight"] = (8,)
    return shapes


def sd1_checkpoint(i: int) -> Shapes:
    return {
        "cond_stage_model.transformer.text_model.embeddings.token_embedding.weight": (8, 4),
        "cond_stage_model.transformer.text_model.final_layer_norm.weight": (4,),
        "first_stage_model.decoder.conv_in.weight": (8, 4, 3, 3),
        "first_stage_model.post_quant_conv.weight": (4, 4, 1, 1),
        **_unet_blocks("model.diffusion_model.", 768, 6),
    }


def sdxl_checkpoint(i: int) -> Shapes:
    return {
        "conditioner.embedders.0.transformer.text_model.final_layer_norm.weight": (4,),
        "conditioner.embedders.1.model.ln_final.weight": (4,),
        "conditioner.embedders.1.model.text_projection": (4, 4),
        "first_stage_model.decoder.conv_in.weight": (8, 4, 3, 3),
        **_unet_blocks("model.diffusion_model.", 2048, 6),
    }


def lora(i: int, te: str = "lora_te", context: int = 768, layers: int = 12) -> Shapes:
    shapes: Shapes = {}
    rank = 4
    for n in range(layers):
        unet = f"lora_unet_down_blocks_{n % 3}_attentions_{n % 2}_transformer_blocks_{n}_attn2_to_k"
        shapes[f"{unet}.lora_down.weight"] = (rank, context)
        shapes[f"{unet}.lora_up.weight"] = (8, rank)
        shapes[f"{unet}.alpha"] = ()
        text = f"{te}_text_model_encoder_layers_{n}_self_attn_k_proj"
        shapes[f"{text}.lora_down.weight"] = (rank, 8)
        shapes[f"{text}.lora_up.weight"] = (8, rank)
    return shapes


def lora_sdxl(i: int) -> Shapes:
    return lora(i, te="lora_te2", context=2048)


def embedding(i: int) -> Shapes:
    return {"emb_params": (1 + i % 8, 768)}


def vae(i: int) -> Shapes:
    return {
        "encoder.conv_in.weight": (8, 3, 3, 3),
        "encoder.down.0.block.0.norm1.weight": (8,),
        "decoder.conv_in.weight": (16, 4, 3, 3),
        "decoder.up.0.block.0.conv1.weight": (8, 8, 3, 3),
        "post_quant_conv.weight": (4, 4, 1, 1),
    }


def diffusers_folder(folder: Path, i: int, sizes: Sizes) -> None:
    xl = i % 3 == 0
    index = {
        "_class_name": "StableDiffusionXLPipeline" if xl else "StableDiffusionPipeline",
        "_diffusers_version": "0.42.1",
        "unet": ["diffusers", "UNet2DConditionModel"],
        "vae": ["diffusers", "AutoencoderKL"],
        "text_encoder": ["transformers", "CLIPTextModel"],
        "tokenizer": ["transformers", "CLIPTokenizer"],
        "scheduler": ["diffusers", "EulerDiscreteScheduler"],
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model_index.json").write_text(json.dumps(index))
    for part, config, shapes in (
        ("unet", {"cross_attention_dim": 2048 if xl else 768}, {"conv_in.weight": (8, 4, 3, 3)}),
        ("vae", {"latent_channels": 4}, {"decoder.conv_in.weight": (8, 4, 3, 3)}),
        ("text_encoder", {"hidden_size": 768}, {"text_model.final_layer_norm.weight": (8,)}),
    ):
        (folder / part).mkdir()
        (folder / part / "config.json").write_text(json.dumps(config))
        weights = folder / part / "diffusion_pytorch_model.safetensors"
        _write(weights, shapes, f"{folder.name}-{part}", 0 if sizes.same_size else 8 * i)
    for part in ("tokenizer", "scheduler"):
        (folder / part).mkdir()
        (folder / part / "config.json").write_text("{}")


def transformers_folder(folder: Path, i: int, sizes: Sizes) -> None:
    kind = ("marian", "MarianMTModel") if i % 2 else ("llama", "LlamaForCausalLM")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(
        json.dumps({"model_type": kind[0], "architectures": [kind[1]]})
    )
    (folder / "tokenizer_config.json").write_text("{}")
    pad = 0 if sizes.same_size else 8 * i
    _write(folder / "model.safetensors", {"model.embed_tokens.weight": (16, 8)}, folder.name, pad)


# (count, sub-folder, builder); sub-folders with {g} spread files 50 to a folder.
FILES: list[tuple[int, str, Callable[[int], Shapes]]] = [
    (250, "stable-diffusion-webui/models/Stable-diffusion/sd15", sd1_checkpoint),
    (150, "stable-diffusion-webui/models/Stable-diffusion/sdxl", sdxl_checkpoint),
    (500, "stable-diffusion-webui/models/Lora/set-{g}", lora),
    (300, "stable-diffusion-webui/models/Lora/xl-{g}", lora_sdxl),
    (250, "stable-diffusion-webui/embeddings", embedding),
    (100, "stable-diffusion-webui/models/VAE", vae),
    (50, "ComfyUI/models/checkpoints", sd1_checkpoint),
    (130, "ComfyUI/models/loras", lora),
    (50, "invokeai/models/sd-1/lora", lora),
]
COPIES = 20  # A1111 LoRAs also copied into ComfyUI: true duplicates, merged by hash
FOLDERS = [(100, "diffusers", diffusers_folder), (100, "hf-models", transformers_folder)]


def build_collection(root: Path, models: int, same_size: bool = False) -> int:
    """Lay out `models` candidates in the proportions above; returns how many were made."""
    scale = models / (sum(n for n, *_ in FILES) + COPIES + sum(n for n, *_ in FOLDERS))
    sizes = Sizes(same_size)
    for count, where, build in FILES:
        for i in range(round(count * scale)):
            path = root / where.format(g=i // 50) / f"{build.__name__}-{i:04d}.safetensors"
            sizes.file(path, build(i))
    sources = sorted(root.glob("*/models/Lora/set-0/*"))[: round(COPIES * scale)]
    for source in sources:
        shutil.copy2(source, root / "ComfyUI/models/loras" / f"copy-{source.name}")
    for count, where, build_folder in FOLDERS:
        for i in range(round(count * scale)):
            folder = root / where / f"{build_folder.__name__}-{i:04d}"
            build_folder(folder, sizes.made, sizes)
            sizes.folder(folder)
    return sizes.made + len(sources)


def _stats(profiler: cProfile.Profile) -> str:
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=2000)
    parser.add_argument("--rescans", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile one rescan")
    parser.add_argument("--profile-first", action="store_true", help="cProfile the first scan")
    parser.add_argument(
        "--same-size",
        action="store_true",
        help="no per-model metadata: sizes repeat (as for metadata-free LoRAs of one base)",
    )
    args = parser.parse_args()

    from benchmarks._machine import describe
    from studio.models.catalog import ModelCatalog
    from studio.models.discovery.scanner import scan
    from studio.models.hashing import HashCache

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "models"
        started = time.perf_counter()
        made = build_collection(root, args.models, args.same_size)
        build_s = time.perf_counter() - started
        hashes = HashCache(Path(tmp) / "hashes.json")
        with ModelCatalog(Path(tmp) / "db.sqlite3") as catalog:
            started = time.perf_counter()
            first_profiler = cProfile.Profile() if args.profile_first else None
            if first_profiler:
                first_profiler.enable()
            first = scan(catalog, [root], hashes, hf_cache=False)
            first_s = time.perf_counter() - started
            if first_profiler:
                first_profiler.disable()
            entries = catalog.entries()
            kinds = Counter(f"{e.kind}/{e.family}" for e in entries)
            rescans = []
            for _ in range(args.rescans):
                started = time.perf_counter()
                again = scan(catalog, [root], hashes, hf_cache=False)
                rescans.append(time.perf_counter() - started)
                assert again.unchanged == made and not again.added and not again.updated
            profile = _stats(first_profiler) if first_profiler else ""
            if args.profile:
                profiler = cProfile.Profile()
                profiler.runcall(scan, catalog, [root], hashes, hf_cache=False)
                profile += _stats(profiler)
    rescan_s = statistics.median(rescans)
    print(f"machine: {describe()}")
    same = "sizes repeat (--same-size)" if args.same_size else "every size distinct"
    print(f"collection: {made} models ({same}), built in {build_s:.1f} s; "
          f"{len(entries)} catalog entries, {len(first.merged)} merged as duplicates, "
          f"{len(first.problems)} problems")  # fmt: skip
    print(f"identified: {dict(sorted(kinds.items()))}")
    print(f"first scan: {first_s * 1000:.0f} ms ({made / first_s:.0f} models/s)")
    print(f"unchanged rescan, median of {args.rescans}: {rescan_s * 1000:.0f} ms "
          f"({made / rescan_s:.0f} models/s; min {min(rescans) * 1000:.0f}, "
          f"max {max(rescans) * 1000:.0f}) goal <= 1000 ms")  # fmt: skip
    if profile:
        print(profile)


if __name__ == "__main__":
    main()
