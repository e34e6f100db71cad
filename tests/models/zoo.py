"""Build fake model collections on disk: header-true safetensors, configs, pickles, HF cache."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import zipfile
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

MARKER_ENV = "STUDIO_TEST_PICKLE_MARKER"


def tensors(path: Path, shapes: dict[str, tuple[int, ...]]) -> Path:
    """A valid .safetensors whose tensor names and shapes are real (values are zeros)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(
        {name: np.zeros(shape, dtype=np.float16) for name, shape in shapes.items()}, str(path)
    )
    return path


def sd1_checkpoint(path: Path) -> Path:
    return tensors(path, {
        "cond_stage_model.transformer.text_model.embeddings.token_embedding.weight": (8, 4),
        "model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight": (8, 768),
        "first_stage_model.decoder.conv_in.weight": (8, 4, 3, 3),
    })  # fmt: skip


def sdxl_checkpoint(path: Path) -> Path:
    return tensors(path, {
        "conditioner.embedders.0.transformer.text_model.final_layer_norm.weight": (4,),
        "conditioner.embedders.1.model.ln_final.weight": (4,),
        "model.diffusion_model.input_blocks.4.1.transformer_blocks.0.attn2.to_k.weight": (8, 2048),
    })  # fmt: skip


def lora_sd1(path: Path) -> Path:
    return tensors(path, {
        "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_down.weight": (4, 768),
        "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_up.weight": (320, 4),
        "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.alpha": (),
    })  # fmt: skip


def lora_sdxl(path: Path) -> Path:
    return tensors(path, {
        "lora_te2_text_model_encoder_layers_0_self_attn_k_proj.lora_down.weight": (4, 1280),
        "lora_te2_text_model_encoder_layers_0_self_attn_k_proj.lora_up.weight": (1280, 4),
    })  # fmt: skip


def embedding_sd1(path: Path) -> Path:
    return tensors(path, {"emb_params": (2, 768)})


def vae(path: Path) -> Path:
    return tensors(path, {
        "encoder.down.0.block.0.norm1.weight": (8,),
        "decoder.conv_in.weight": (16, 4, 3, 3),
        "post_quant_conv.weight": (4, 4, 1, 1),
    })  # fmt: skip


def truncated(path: Path) -> Path:
    good = sd1_checkpoint(path)
    data = good.read_bytes()
    good.write_bytes(data[: len(data) // 2])
    return path


class Payload:
    """Unpickling this runs os.system: it must never happen."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, (f"touch {self.marker}",))


def malicious_ckpt(path: Path, marker: Path) -> Path:
    """A torch.save-shaped zip whose data.pkl would run a shell command when unpickled."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = pickle.dumps({"state_dict": {"model.diffusion_model.x": Payload(marker)}}, protocol=2)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("archive/data.pkl", payload)
        archive.writestr("archive/version", "3\n")
    return path


def plain_ckpt(path: Path) -> Path:
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"state_dict": {"cond_stage_model.transformer.text_model.x": torch.zeros(2)}}, path)
    return path


def config_folder(
    path: Path, config: dict[str, object], extra: dict[str, object] | None = None
) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "config.json").write_text(json.dumps(config))
    for name, content in (extra or {}).items():
        (path / name).write_text(json.dumps(content))
    tensors(path / "model.safetensors", {"w": (2, 2)})
    return path


def tiny_gpt2(path: Path) -> Path:
    from transformers import GPT2Config, GPT2LMHeadModel

    GPT2LMHeadModel(
        GPT2Config(n_layer=1, n_embd=8, n_head=2, vocab_size=64, n_positions=32)
    ).save_pretrained(path)
    return path


def hf_cache_repo(cache: Path, repo_id: str, source: Path) -> Path:
    """Lay `source` out as the HF cache does: blobs by hash, a snapshot of symlinks, refs/main."""
    repo = cache / f"models--{repo_id.replace('/', '--')}"
    commit = hashlib.sha1(repo_id.encode()).hexdigest()
    snapshot = repo / "snapshots" / commit
    for file in sorted(p for p in source.rglob("*") if p.is_file()):
        data = file.read_bytes()
        blob = repo / "blobs" / hashlib.sha256(data).hexdigest()
        blob.parent.mkdir(parents=True, exist_ok=True)
        blob.write_bytes(data)
        link = snapshot / file.relative_to(source)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(os.path.relpath(blob, link.parent))
    (repo / "refs").mkdir(parents=True, exist_ok=True)
    (repo / "refs" / "main").write_text(commit)
    return snapshot


def copy(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        return Path(shutil.copytree(src, dst))
    return Path(shutil.copy2(src, dst))
