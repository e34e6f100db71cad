"""Tiny random-weight image pipelines (SD 1.x, SDXL) built from config, fully offline.

Tests use them to exercise the real loading and generation code, and the studio
offers them as clearly labelled demo models on a machine with no models yet.
Their outputs are noise: they are untrained.
"""

from __future__ import annotations

from pathlib import Path


def byte_level_clip_vocab() -> dict[str, int]:
    """A CLIP vocabulary of the 256 byte-level characters (+ `</w>` forms) and specials."""
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    chars = list(bytes_to_unicode().values())
    tokens = chars + [c + "</w>" for c in chars] + ["<|startoftext|>", "<|endoftext|>"]
    return {token: i for i, token in enumerate(tokens)}


def _clip_tokenizer():  # type: ignore[no-untyped-def]
    from transformers import CLIPTokenizer

    # model_max_length=77 is required: without it the pipeline pads to ~1e30 and fails.
    return CLIPTokenizer(vocab=byte_level_clip_vocab(), merges=[], model_max_length=77)


def _clip_config(hidden: int, projection: int | None = None):  # type: ignore[no-untyped-def]
    from transformers import CLIPTextConfig

    vocab = byte_level_clip_vocab()
    extra = {"projection_dim": projection} if projection else {}
    return CLIPTextConfig(
        bos_token_id=vocab["<|startoftext|>"], eos_token_id=vocab["<|endoftext|>"],
        pad_token_id=vocab["<|endoftext|>"], hidden_size=hidden, intermediate_size=2 * hidden,
        num_attention_heads=4, num_hidden_layers=2, vocab_size=len(vocab), layer_norm_eps=1e-5,
        **extra,
    )  # fmt: skip


def _vae(channels: tuple[int, ...]):  # type: ignore[no-untyped-def]
    from diffusers import AutoencoderKL

    return AutoencoderKL(
        block_out_channels=list(channels), in_channels=3, out_channels=3, latent_channels=4,
        down_block_types=["DownEncoderBlock2D"] * len(channels),
        up_block_types=["UpDecoderBlock2D"] * len(channels), norm_num_groups=2,
    )  # fmt: skip


def _scheduler():  # type: ignore[no-untyped-def]
    from diffusers import DDIMScheduler

    return DDIMScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
        clip_sample=False, set_alpha_to_one=False, steps_offset=1,
    )  # fmt: skip


def build_tiny_sd(folder: Path, seed: int = 0) -> Path:
    """A Stable Diffusion 1.x-class pipeline of a few hundred KB, saved as safetensors."""
    import torch
    from diffusers import StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextModel

    torch.manual_seed(seed)
    unet = UNet2DConditionModel(
        block_out_channels=(8, 16), layers_per_block=1, sample_size=8, in_channels=4,
        out_channels=4, down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), cross_attention_dim=16,
        attention_head_dim=4, norm_num_groups=4,
    )  # fmt: skip
    pipe = StableDiffusionPipeline(
        unet=unet, vae=_vae((8, 16)), text_encoder=CLIPTextModel(_clip_config(16)),
        tokenizer=_clip_tokenizer(), scheduler=_scheduler(), safety_checker=None,
        feature_extractor=None, requires_safety_checker=False,
    )  # fmt: skip
    pipe.save_pretrained(folder, safe_serialization=True)
    return folder


def build_tiny_sdxl(folder: Path, seed: int = 0, widths: tuple[int, int] = (16, 24)) -> Path:
    """A Stable Diffusion XL-class pipeline (two text encoders, size/crop conditioning).

    The two encoders differ in width as in the real model: single-file loading tells
    them apart by width alone.
    """
    import torch
    from diffusers import StableDiffusionXLPipeline, UNet2DConditionModel
    from transformers import CLIPTextModel, CLIPTextModelWithProjection

    torch.manual_seed(seed)
    first, second = widths
    unet = UNet2DConditionModel(
        block_out_channels=(8, 16), layers_per_block=1, sample_size=8, in_channels=4,
        out_channels=4, down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), attention_head_dim=(2, 4),
        use_linear_projection=True, addition_embed_type="text_time", addition_time_embed_dim=8,
        transformer_layers_per_block=(1, 1), projection_class_embeddings_input_dim=6 * 8 + second,
        cross_attention_dim=first + second, norm_num_groups=4,
    )  # fmt: skip
    pipe = StableDiffusionXLPipeline(
        unet=unet, vae=_vae((8, 16)), text_encoder=CLIPTextModel(_clip_config(first)),
        text_encoder_2=CLIPTextModelWithProjection(_clip_config(second, projection=second)),
        tokenizer=_clip_tokenizer(), tokenizer_2=_clip_tokenizer(), scheduler=_scheduler(),
    )  # fmt: skip
    pipe.save_pretrained(folder, safe_serialization=True)
    return folder
