"""Identify single .safetensors files from tensor names and shapes alone.

Full checkpoints (original LDM layout and diffusers-in-one-file), LoRAs (kohya,
diffusers/PEFT naming) with their base family, VAEs and textual-inversion embeddings.
"""

from __future__ import annotations

import re
from pathlib import Path

from studio.core.errors import ModelError
from studio.models.identify.identity import Identity, unknown
from studio.models.identify.safetensors_header import SafetensorsHeader, read_header

# Cross-attention context width -> family (the text encoder width it was trained with).
_CONTEXT_FAMILY = {768: "sd1", 1024: "sd2", 2048: "sdxl", 1280: "sdxl-refiner"}
_LORA_MARK = re.compile(r"lora_(down|up|A|B)\.|\.lora\.(down|up)\.|\.alpha$|lokr_|hada_")
_ATTN2_K = re.compile(r"attn2[._]to_k")


def identify_safetensors(path: Path) -> Identity:
    try:
        header = read_header(path)
    except ModelError as exc:
        return unknown("checkpoint", "safetensors", "unreadable", problem=str(exc))
    return identify_header(header)


def identify_header(header: SafetensorsHeader) -> Identity:
    names = list(header.tensors)
    if not names:
        return unknown("checkpoint", "safetensors", "the file holds no tensors")
    if any(_LORA_MARK.search(n) for n in names):
        return _lora(header, names)
    if embedding := _embedding(header, names):
        return embedding
    if checkpoint := _checkpoint(header, names):
        return checkpoint
    if vae := _vae(header, names):
        return vae
    sample = ", ".join(names[:3])
    return unknown(
        "checkpoint", "safetensors", f"no known layout in {len(names)} tensors ({sample}, ...)"
    )


def _has(names: list[str], prefix: str) -> bool:
    return any(n.startswith(prefix) for n in names)


def _checkpoint(header: SafetensorsHeader, names: list[str]) -> Identity | None:
    def full(family: str) -> Identity:
        return Identity("image", family, "checkpoint", "safetensors")

    if _has(names, "model.diffusion_model.joint_blocks."):
        return full("sd3")
    if _has(names, "double_blocks.") or _has(names, "model.diffusion_model.double_blocks."):
        return full("flux")
    if _has(names, "conditioner.embedders.1.model.") or _has(
        names, "conditioner.embedders.1.transformer."
    ):
        return full("sdxl")
    if _has(names, "conditioner.embedders.0.model."):
        return full("sdxl-refiner")
    if _has(names, "cond_stage_model.model."):
        return full("sd2")
    if _has(names, "cond_stage_model.transformer."):
        return full("sd1")
    if _has(names, "model.diffusion_model."):
        # A UNet without text encoder: the cross-attention width names the family.
        family = _context_family(
            header, [n for n in names if n.startswith("model.diffusion_model.")]
        )
        if family:
            return Identity("image", family, "checkpoint", "safetensors", "UNet only")
        return unknown("checkpoint", "safetensors", "an LDM UNet of unrecognised width")
    return None


def _context_family(header: SafetensorsHeader, names: list[str]) -> str | None:
    for name in names:
        if _ATTN2_K.search(name) and name.endswith("weight"):
            shape = header.tensors[name].shape
            if len(shape) == 2:
                return _CONTEXT_FAMILY.get(shape[-1])
    return None


def _lora(header: SafetensorsHeader, names: list[str]) -> Identity:
    def lora(family: str, reason: str = "") -> Identity:
        return Identity("image", family, "lora", "safetensors", reason)

    if any(n.startswith(("lora_te2_", "text_encoder_2.", "lora_te2.")) for n in names):
        return lora("sdxl")
    if any(
        "double_blocks" in n or "single_transformer_blocks" in n or "single_blocks" in n
        for n in names
    ):
        return lora("flux")
    if any("joint_blocks" in n or "context_block" in n for n in names):
        return lora("sd3")
    down = [n for n in names if _ATTN2_K.search(n) and re.search(r"lora_(down|A)\.weight$", n)]
    if down and len(shape := header.tensors[down[0]].shape) == 2:
        family = _CONTEXT_FAMILY.get(shape[1])
        if family:
            return lora(family)
        return lora("unknown", f"cross-attention width {shape[1]} matches no known family")
    text = [
        n for n in names if ("lora_te" in n or n.startswith("text_encoder.")) and "lora_down" in n
    ]
    text += [n for n in names if n.startswith("text_encoder.") and "lora_A" in n]
    for name in text:
        width = header.tensors[name].shape[-1]
        if width in (768, 1024):
            return lora({768: "sd1", 1024: "sd2"}[width], "text encoder only")
    return lora("unknown", "could not tell the base model from the LoRA's layers")


def _embedding(header: SafetensorsHeader, names: list[str]) -> Identity | None:
    def embedding(family: str, reason: str = "") -> Identity:
        return Identity("image", family, "embedding", "safetensors", reason)

    if set(names) == {"clip_l", "clip_g"}:
        return embedding("sdxl")
    if set(names) in ({"emb_params"}, {"string_to_param.*"}) or (
        len(names) == 1
        and len(header.tensors[names[0]].shape) == 2
        and header.tensors[names[0]].shape[0] <= 128
    ):
        width = header.tensors[names[0]].shape[-1]
        family = {768: "sd1", 1024: "sd2"}.get(width)
        if family:
            return embedding(family)
        return embedding("unknown", f"embedding width {width} matches no known text encoder")
    return None


def _vae(header: SafetensorsHeader, names: list[str]) -> Identity | None:
    stripped = [n.removeprefix("first_stage_model.").removeprefix("vae.") for n in names]
    if not (_has(stripped, "encoder.") or _has(stripped, "decoder.")):
        return None
    if not (_has(stripped, "decoder.conv_in") or _has(stripped, "decoder.up")):
        return None
    post = header.shape(next((n for n in names if n.endswith("post_quant_conv.weight")), "")) or ()
    conv_in = next((n for n in names if n.endswith("decoder.conv_in.weight")), "")
    latent = (post[0] if post else None) or (header.tensors[conv_in].shape[1] if conv_in else None)
    family = {4: "sd", 16: "flux"}.get(latent or 0, "unknown")
    return Identity(
        "image", family, "vae", "safetensors", f"{latent} latent channels" if latent else ""
    )
