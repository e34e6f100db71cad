"""Turn a diffusers SD pipeline folder into an original-LDM single-file checkpoint.

The reverse of diffusers' `convert_ldm_unet_checkpoint`, VAE and CLIP conversions,
written independently from the well-known key layout, so that a round trip through
the single-file loader proves both directions agree on every tensor.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import save_file

Tensors = dict[str, torch.Tensor]

_UNET_FIXED = {
    "time_embedding.linear_1": "time_embed.0", "time_embedding.linear_2": "time_embed.2",
    "add_embedding.linear_1": "label_emb.0.0", "add_embedding.linear_2": "label_emb.0.2",
    "conv_in": "input_blocks.0.0", "conv_norm_out": "out.0", "conv_out": "out.2",
}  # fmt: skip
_UNET_RESNET = {
    "norm1": "in_layers.0", "conv1": "in_layers.2", "norm2": "out_layers.0",
    "conv2": "out_layers.3", "time_emb_proj": "emb_layers.1", "conv_shortcut": "skip_connection",
}  # fmt: skip
_VAE_ATTN = {"group_norm": "norm", "to_q": "q", "to_k": "k", "to_v": "v", "to_out.0": "proj_out"}
_OPEN_CLIP_LAYER = {"layer_norm1": "ln_1", "layer_norm2": "ln_2", "mlp.fc1": "mlp.c_fc",
                    "mlp.fc2": "mlp.c_proj", "self_attn.out_proj": "attn.out_proj"}  # fmt: skip


def _resnet(rest: str) -> str:
    name, _, param = rest.partition(".")
    return f"{_UNET_RESNET[name]}.{param}"


def unet_to_ldm(state: Tensors, config: dict[str, Any]) -> Tensors:
    """diffusers UNet2DConditionModel keys -> `model.diffusion_model.*` keys."""
    per = config["layers_per_block"] + 1  # LDM slots per resolution: the layers + a resampler
    out: Tensors = {}
    for key, value in state.items():
        head, _, param = key.rpartition(".")
        if head in _UNET_FIXED:
            new = f"{_UNET_FIXED[head]}.{param}"
        elif m := re.fullmatch(r"down_blocks\.(\d+)\.(resnets|attentions)\.(\d+)\.(.+)", key):
            block, kind, layer, rest = int(m[1]), m[2], int(m[3]), m[4]
            slot = 1 + block * per + layer
            new = f"input_blocks.{slot}.0.{_resnet(rest)}" if kind == "resnets" else (
                f"input_blocks.{slot}.1.{rest}")  # fmt: skip
        elif m := re.fullmatch(r"down_blocks\.(\d+)\.downsamplers\.0\.conv\.(.+)", key):
            new = f"input_blocks.{(int(m[1]) + 1) * per}.0.op.{m[2]}"
        elif m := re.fullmatch(r"mid_block\.resnets\.(\d+)\.(.+)", key):
            new = f"middle_block.{2 * int(m[1])}.{_resnet(m[2])}"
        elif m := re.fullmatch(r"mid_block\.attentions\.0\.(.+)", key):
            new = f"middle_block.1.{m[1]}"
        elif m := re.fullmatch(r"up_blocks\.(\d+)\.(resnets|attentions)\.(\d+)\.(.+)", key):
            block, kind, layer, rest = int(m[1]), m[2], int(m[3]), m[4]
            slot = block * per + layer
            new = f"output_blocks.{slot}.0.{_resnet(rest)}" if kind == "resnets" else (
                f"output_blocks.{slot}.1.{rest}")  # fmt: skip
        elif m := re.fullmatch(r"up_blocks\.(\d+)\.upsamplers\.0\.conv\.(.+)", key):
            block = int(m[1])
            # The upsampler follows the last layer's attention when the block has one.
            has_attn = any(k.startswith(f"up_blocks.{block}.attentions.") for k in state)
            new = f"output_blocks.{block * per + per - 1}.{2 if has_attn else 1}.conv.{m[2]}"
        else:
            raise KeyError(f"unmapped UNet key {key}")
        out["model.diffusion_model." + new] = value
    return out


def vae_to_ldm(state: Tensors, config: dict[str, Any]) -> Tensors:
    """diffusers AutoencoderKL keys -> `first_stage_model.*` keys."""
    levels = len(config["up_block_types"])
    out: Tensors = {}
    for key, value in state.items():
        new = key.replace("conv_norm_out", "norm_out").replace("conv_shortcut", "nin_shortcut")
        new = re.sub(r"down_blocks\.(\d+)\.resnets\.", r"down.\1.block.", new)
        new = re.sub(r"down_blocks\.(\d+)\.downsamplers\.0\.", r"down.\1.downsample.", new)
        # The decoder's levels are numbered from the lowest resolution in LDM.
        new = re.sub(r"up_blocks\.(\d+)\.resnets\.",
                     lambda m: f"up.{levels - 1 - int(m[1])}.block.", new)  # fmt: skip
        new = re.sub(r"up_blocks\.(\d+)\.upsamplers\.0\.",
                     lambda m: f"up.{levels - 1 - int(m[1])}.upsample.", new)  # fmt: skip
        new = re.sub(r"mid_block\.resnets\.(\d+)\.", lambda m: f"mid.block_{int(m[1]) + 1}.", new)
        if m := re.fullmatch(
            r"(encoder|decoder)\.mid_block\.attentions\.0\.(.+)\.(weight|bias)", key
        ):
            new = f"{m[1]}.mid.attn_1.{_VAE_ATTN[m[2]]}.{m[3]}"
            if m[2] != "group_norm" and value.ndim == 2:  # LDM uses 1x1 convolutions here
                value = value[:, :, None, None]
        out["first_stage_model." + new] = value
    return out


def clip_to_ldm(state: Tensors, prefix: str) -> Tensors:
    """HF CLIPTextModel keys under `prefix` (`cond_stage_model.transformer.` for SD 1.x)."""
    out = {prefix + "text_model." + k.removeprefix("text_model."): v for k, v in state.items()}
    positions = out[prefix + "text_model.embeddings.position_embedding.weight"].shape[0]
    # Real files also carry the position-ids buffer that transformers no longer saves.
    out[prefix + "text_model.embeddings.position_ids"] = torch.arange(positions)[None]
    return out


def open_clip_to_ldm(state: Tensors, prefix: str) -> Tensors:
    """HF CLIP text keys -> OpenCLIP layout (SD 2.x `cond_stage_model.model.`, SDXL's second)."""
    out: Tensors = {}
    qkv: dict[str, dict[str, torch.Tensor]] = {}
    for key, value in state.items():
        key = key.removeprefix("text_model.")
        if key == "embeddings.token_embedding.weight":
            out[prefix + "token_embedding.weight"] = value
        elif key == "embeddings.position_embedding.weight":
            out[prefix + "positional_embedding"] = value
        elif key.startswith("final_layer_norm."):
            out[prefix + "ln_final." + key.rpartition(".")[2]] = value
        elif key == "text_projection.weight":
            out[prefix + "text_projection"] = value.T.contiguous()
        elif m := re.fullmatch(
            r"encoder\.layers\.(\d+)\.self_attn\.([qkv])_proj\.(weight|bias)", key
        ):
            qkv.setdefault(f"{m[1]}.{m[3]}", {})[m[2]] = value
        elif m := re.fullmatch(r"encoder\.layers\.(\d+)\.(.+)\.(weight|bias)", key):
            out[f"{prefix}transformer.resblocks.{m[1]}.{_OPEN_CLIP_LAYER[m[2]]}.{m[3]}"] = value
        else:
            raise KeyError(f"unmapped CLIP key {key}")
    for layer_param, parts in qkv.items():
        layer, param = layer_param.split(".")
        fused = torch.cat([parts["q"], parts["k"], parts["v"]])
        out[f"{prefix}transformer.resblocks.{layer}.attn.in_proj_{param}"] = fused
    return out


def pipeline_to_ldm(pipe: Any, family: str) -> Tensors:
    """The whole pipeline as one original-layout state dict (sd1, sd2 or sdxl)."""
    state = unet_to_ldm(pipe.unet.state_dict(), pipe.unet.config)
    state |= vae_to_ldm(pipe.vae.state_dict(), pipe.vae.config)
    text = pipe.text_encoder.state_dict()
    if family == "sd1":
        state |= clip_to_ldm(text, "cond_stage_model.transformer.")
    elif family == "sd2":
        state |= open_clip_to_ldm(text, "cond_stage_model.model.")
    else:
        state |= clip_to_ldm(text, "conditioner.embedders.0.transformer.")
        state |= open_clip_to_ldm(
            pipe.text_encoder_2.state_dict(), "conditioner.embedders.1.model."
        )
    return {k: v.detach().contiguous() for k, v in state.items()}


def write_ldm_checkpoint(folder: Path, out: Path, family: str = "sd1") -> Path:
    """Load the diffusers pipeline at `folder` and save it as one LDM `.safetensors` file."""
    from diffusers import DiffusionPipeline

    pipe = DiffusionPipeline.from_pretrained(folder, local_files_only=True)
    save_file(pipeline_to_ldm(pipe, family), out)
    return out


def build_tiny_sdxl_two_widths(folder: Path) -> Path:
    """The demo SDXL: its two text encoders differ in width (16 and 24), as in the real one."""
    from studio.demo_models.image import build_tiny_sdxl

    return build_tiny_sdxl(folder, widths=(16, 24))
