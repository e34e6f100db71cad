"""Load a diffusers-format pipeline folder from local files only, safetensors only."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from studio.core.errors import ModelError, one_line
from studio.models.identify.from_configs import identify_folder
from studio.models.loading.quiet import quiet_hf_libraries

# model_index.json `_class_name` prefix -> family. Longest prefixes first.
_FAMILIES = (
    ("StableDiffusionXL", "sdxl"),
    ("StableDiffusion3", "sd3"),
    ("StableDiffusion", "sd"),
    ("Flux", "flux"),
    ("PixArt", "pixart"),
    ("Kandinsky", "kandinsky"),
)


@dataclass
class LoadedPipeline:
    """A loaded text-to-image pipeline and the mode pipelines derived from it."""

    path: Path
    name: str
    family: str
    pipeline_class: str
    pipe: Any
    device: torch.device
    dtype: torch.dtype
    _modes: dict[str, Any] = field(default_factory=dict)

    def for_mode(self, mode: str) -> Any:
        """The pipeline for txt2img, img2img or inpaint, sharing the loaded weights."""
        if mode == "txt2img":
            return self.pipe
        if mode not in self._modes:
            from diffusers import AutoPipelineForImage2Image, AutoPipelineForInpainting

            auto = AutoPipelineForImage2Image if mode == "img2img" else AutoPipelineForInpainting
            try:
                derived = auto.from_pipe(self.pipe)
            except (ValueError, KeyError) as exc:
                raise ModelError(
                    f"{self.name} ({self.pipeline_class}) cannot do {mode}: {exc}"
                ) from None
            derived.set_progress_bar_config(disable=True)
            self._modes[mode] = derived
        return self._modes[mode]


def read_model_index(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ModelError(f"model not found: {path}")
    index_file = path / "model_index.json"
    if not path.is_dir() or not index_file.is_file():
        raise ModelError(f"{path} is not a diffusers pipeline folder (no model_index.json)")
    try:
        data = json.loads(index_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {index_file}: {exc}") from None
    if not isinstance(data, dict) or "_class_name" not in data:
        raise ModelError(f"{index_file} has no _class_name: not a diffusers pipeline")
    return data


def family_of(pipeline_class: str) -> str:
    return next((f for prefix, f in _FAMILIES if pipeline_class.startswith(prefix)), "other")


def load_pipeline(
    path: Path, device: torch.device, dtype: torch.dtype, *, allow_pickle: bool = False
) -> LoadedPipeline:
    """Load the pipeline at `path`. Never reaches the network; refuses pickle weights
    unless the user allowed them for this model (diffusers then unpickles with
    torch.load(weights_only=True): tensors only, never code)."""
    quiet_hf_libraries()  # before diffusers is imported: it warns while importing
    from diffusers import AutoPipelineForText2Image

    index = read_model_index(path)
    pipeline_class = str(index["_class_name"])
    if not allow_pickle:
        _refuse_pickle_only(path, index)
    try:
        pipe = AutoPipelineForText2Image.from_pretrained(
            path, dtype=dtype, local_files_only=True, use_safetensors=None if allow_pickle else True
        )
    except (OSError, ValueError, KeyError, RuntimeError, TypeError) as exc:
        raise ModelError(f"cannot load {pipeline_class} from {path}: {one_line(exc)}") from None
    try:
        pipe.to(device)
    except (RuntimeError, torch.OutOfMemoryError) as exc:
        raise ModelError(f"cannot move {path.name} to {device}: {one_line(exc)}") from None
    pipe.set_progress_bar_config(disable=True)
    # identify_folder tells SD 1.x from 2.x by the UNet config; family_of only knows "sd".
    family = identify_folder(path).family
    family = family if family != "unknown" else family_of(pipeline_class)
    return LoadedPipeline(path, path.name, family, pipeline_class, pipe, device, dtype)


def _refuse_pickle_only(path: Path, index: dict[str, Any]) -> None:
    """A component whose weights exist only as pickle (.bin/.ckpt/.pt) is refused."""
    for component, spec in index.items():
        if component.startswith("_") or not isinstance(spec, list) or spec[0] is None:
            continue
        folder = path / component
        if not folder.is_dir():
            continue
        files = [p.name for p in folder.iterdir()]
        has_safe = any(name.endswith(".safetensors") for name in files)
        pickled = [n for n in files if n.endswith((".bin", ".ckpt", ".pt", ".pth", ".pkl"))]
        if pickled and not has_safe:
            raise ModelError(
                f"{path.name}/{component} has only pickle weights ({pickled[0]}), which can run "
                "code when loaded; refused. Convert it to .safetensors, or allow this one model "
                "with `studio models set ID --allow-pickle yes` (tensors only, never code)"
            )


MEMORY_OPTIONS = ("cpu_offload", "vae_tiling", "vae_slicing")


def apply_memory_options(loaded: LoadedPipeline, options: dict[str, Any]) -> list[str]:
    """Low-VRAM settings chosen per model; returns what was applied, for the run record."""
    applied = []
    vae = getattr(loaded.pipe, "vae", None)
    if options.get("vae_tiling") and vae is not None and hasattr(vae, "enable_tiling"):
        vae.enable_tiling()
        applied.append("vae_tiling")
    if options.get("vae_slicing") and vae is not None and hasattr(vae, "enable_slicing"):
        vae.enable_slicing()
        applied.append("vae_slicing")
    if options.get("cpu_offload") and loaded.device.type == "cuda":
        # Keeps each component on the CPU until it runs: slower, much less VRAM.
        loaded.pipe.enable_model_cpu_offload(device=loaded.device)
        applied.append("cpu_offload")
    return applied
