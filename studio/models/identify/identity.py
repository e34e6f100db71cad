"""Identity: what a model is (task, family, kind, format), or why that is unknown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

UNKNOWN = "unknown"
PICKLE_SUFFIXES = (".ckpt", ".pt", ".pth", ".bin", ".pkl")
WEIGHT_SUFFIXES = (".safetensors", ".gguf", *PICKLE_SUFFIXES)

FAMILY_LABELS = {
    "sd1": "SD 1.x", "sd2": "SD 2.x", "sdxl": "SDXL", "sdxl-refiner": "SDXL refiner",
    "sd3": "SD 3", "flux": "Flux", "sd": "SD (1.x/2.x/XL)",
}  # fmt: skip


@dataclass(frozen=True)
class Identity:
    task: str  # image, unconditional, text, translate, music, speech, or unknown
    family: str  # sd1, sdxl, flux, musicgen, marian, llama, ... or unknown
    kind: str  # pipeline, checkpoint, lora, embedding, vae, transformers, peft, component
    format: str  # diffusers, transformers, safetensors, pickle, gguf, peft
    reason: str = ""  # why it is unknown, or what is wrong with it
    problem: str = ""  # set when the file is damaged or unsafe: it will not load

    @property
    def known(self) -> bool:
        return self.task != UNKNOWN and not self.problem


def unknown(kind: str, fmt: str, reason: str, problem: str = "") -> Identity:
    return Identity(UNKNOWN, UNKNOWN, kind, fmt, reason, problem)


def identify_path(path: Path) -> Identity:
    """Identify a model file or folder by reading only configs and headers."""
    from studio.models.identify.from_configs import identify_folder
    from studio.models.identify.from_header import identify_safetensors
    from studio.models.identify.pickle_scan import identify_pickle

    if path.is_dir():
        return identify_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".safetensors":
        return identify_safetensors(path)
    if suffix in PICKLE_SUFFIXES:
        return identify_pickle(path)
    if suffix == ".gguf":
        return unknown("checkpoint", "gguf", "GGUF (llama.cpp) files are not supported yet")
    return unknown("file", suffix.lstrip(".") or "file", f"{suffix or 'this'} files are not models")
