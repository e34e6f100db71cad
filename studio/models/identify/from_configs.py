"""Identify model folders from their configs: model_index.json, config.json, adapter_config.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from studio.models.identify.identity import PICKLE_SUFFIXES, Identity, unknown

# diffusers pipeline class -> (task, family). Checked by prefix, longest first.
_PIPELINES = (
    ("StableDiffusionXLImg2ImgPipeline", ("image", "sdxl-refiner")),
    ("StableDiffusionXL", ("image", "sdxl")),
    ("StableDiffusion3", ("image", "sd3")),
    ("StableDiffusionUpscale", ("image", "sd-upscale")),
    ("StableDiffusion", ("image", "sd")),  # sd1 or sd2, told apart by the UNet below
    ("Flux", ("image", "flux")),
    ("PixArt", ("image", "pixart")),
    ("Sana", ("image", "sana")),
    ("Kandinsky", ("image", "kandinsky")),
    ("AudioLDM2", ("music", "audioldm2")),
    ("AudioLDM", ("music", "audioldm")),
    ("StableAudio", ("music", "stable-audio")),
    ("MusicLDM", ("music", "musicldm")),
    ("DDPMPipeline", ("unconditional", "ddpm")),
    ("DDIMPipeline", ("unconditional", "ddim")),
    ("LDMPipeline", ("unconditional", "ldm")),
    ("ScoreSdeVe", ("unconditional", "score-sde")),
    ("PNDMPipeline", ("unconditional", "pndm")),
    ("ConsistencyModel", ("unconditional", "consistency")),
)
# transformers model_type -> (task, family) for the generative models the studio runs.
_TRANSFORMERS = {
    "marian": ("translate", "marian"),
    "m2m_100": ("translate", "m2m100"),
    "nllb-moe": ("translate", "nllb"),
    "madlad": ("translate", "madlad"),
    "musicgen": ("music", "musicgen"),
    "musicgen_melody": ("music", "musicgen-melody"),
    "vits": ("speech", "vits"),
    "speecht5": ("speech", "speecht5"),
    "bark": ("speech", "bark"),
}
_T5_TYPES = {"t5", "mt5", "umt5"}


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def identify_folder(folder: Path) -> Identity:
    if (folder / "model_index.json").is_file():
        return _diffusers_pipeline(folder)
    if (folder / "adapter_config.json").is_file():
        return _peft_adapter(folder)
    if (folder / "config.json").is_file():
        return _transformers_or_component(folder)
    return unknown("folder", "folder", "no model_index.json, config.json or adapter_config.json")


def _diffusers_pipeline(folder: Path) -> Identity:
    index = _read_json(folder / "model_index.json")
    if index is None or "_class_name" not in index:
        return unknown(
            "pipeline",
            "diffusers",
            "",
            problem="model_index.json is unreadable or has no _class_name",
        )
    cls = str(index["_class_name"])
    missing = [
        name for name, spec in index.items()
        if not name.startswith("_") and isinstance(spec, list) and spec and spec[0] is not None
        and not (folder / name).is_dir()
    ]  # fmt: skip
    if missing:
        return unknown(
            "pipeline",
            "diffusers",
            cls,
            problem=f"{cls} is missing its {', '.join(missing)} folder",
        )
    match = next((v for prefix, v in _PIPELINES if cls.startswith(prefix)), None)
    if match is None:
        return unknown("pipeline", "diffusers", f"pipeline class {cls} is not supported yet")
    task, family = match
    if family == "sd":
        unet = _read_json(folder / "unet" / "config.json") or {}
        family = "sd2" if unet.get("cross_attention_dim") == 1024 else "sd1"
    fmt = "diffusers" if _has_safetensors(folder) else "pickle"
    reason = (
        "" if fmt == "diffusers" else "weights only as pickle: refused unless you allow this model"
    )
    return Identity(task, family, "pipeline", fmt, reason)


def _transformers_or_component(folder: Path) -> Identity:
    config = _read_json(folder / "config.json")
    if config is None:
        return unknown("transformers", "transformers", "", problem="config.json is unreadable")
    if "_class_name" in config:  # a lone diffusers component (VAE, UNet, ...)
        cls = str(config["_class_name"])
        kind = "vae" if cls.startswith("Autoencoder") else "component"
        return Identity("image", "sd" if kind == "vae" else "unknown", kind, "diffusers", cls)
    model_type = str(config.get("model_type", ""))
    architectures = [str(a) for a in config.get("architectures") or []]
    fmt = "transformers" if _has_safetensors(folder) else "pickle"
    if model_type == "m2m_100" and _tokenizer_class(folder).startswith("Nllb"):
        return Identity("translate", "nllb", "transformers", fmt)
    if model_type in _TRANSFORMERS:
        task, family = _TRANSFORMERS[model_type]
        return Identity(task, family, "transformers", fmt)
    if model_type in _T5_TYPES and any("ConditionalGeneration" in a for a in architectures):
        return Identity(
            "translate", "t5", "transformers", fmt, "T5-family seq2seq (MADLAD and similar)"
        )
    if any(a.endswith(("ForCausalLM", "LMHeadModel")) for a in architectures):
        return Identity("text", model_type or "unknown", "transformers", fmt)
    what = ", ".join(architectures) or model_type or "no architectures"
    return unknown("transformers", fmt, f"{what} is not a generative model the studio runs")


def _peft_adapter(folder: Path) -> Identity:
    config = _read_json(folder / "adapter_config.json") or {}
    task_type = str(config.get("task_type") or "")
    # PEFT's task types name what the base model does: a causal LM or a seq2seq translator.
    task = "text" if task_type == "CAUSAL_LM" else "unknown"
    if task_type == "SEQ_2_SEQ_LM":
        task = "translate"
    base = str(config.get("base_model_name_or_path") or "")
    peft_type = str(config.get("peft_type") or "LORA").lower()
    reason = f"{peft_type} adapter for {base or 'an unnamed base model'}"
    return Identity(task, "peft", "peft", "peft", reason)


def _tokenizer_class(folder: Path) -> str:
    config = _read_json(folder / "tokenizer_config.json") or {}
    return str(config.get("tokenizer_class") or "")


def _has_safetensors(folder: Path) -> bool:
    found_pickle = False
    for path in folder.rglob("*"):
        if path.suffix == ".safetensors":
            return True
        found_pickle = found_pickle or path.suffix in PICKLE_SUFFIXES
    return not found_pickle  # a folder with no weights at all is not "pickle"
