"""Identity: what a model is (task, family, kind, format), or why that is unknown."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    kind: str  # pipeline, checkpoint, lora, embedding, vae, transformers, peft, component,
    # gguf, mmproj (a GGUF projector), llamafile
    format: str  # diffusers, transformers, safetensors, pickle, gguf, peft
    reason: str = ""  # why it is unknown, or what is wrong with it
    problem: str = ""  # set when the file is damaged or unsafe: it will not load
    # What the header states beyond the four names (GGUF: architecture, parameters,
    # quantization, context_length, ...): JSON-able, stored in the catalog.
    facts: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def known(self) -> bool:
        return self.task != UNKNOWN and not self.problem


def unknown(
    kind: str, fmt: str, reason: str, problem: str = "", facts: dict[str, Any] | None = None
) -> Identity:
    return Identity(UNKNOWN, UNKNOWN, kind, fmt, reason, problem, facts or {})


def identify_path(path: Path) -> Identity:
    """Identify a model file or folder by reading only configs and headers."""
    from studio.models.identify.from_configs import identify_folder
    from studio.models.identify.from_gguf import identify_gguf
    from studio.models.identify.from_header import identify_safetensors
    from studio.models.identify.llamafile import find_llamafile_gguf
    from studio.models.identify.pickle_scan import identify_pickle

    if path.is_dir():
        return identify_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".safetensors":
        return identify_safetensors(path)
    # GGUFs go by their magic: Ollama's blobs have no suffix, and some files say .bin.
    magic = _magic(path)
    if suffix == ".gguf" or magic == b"GGUF":
        return identify_gguf(path)
    if suffix in PICKLE_SUFFIXES:
        return identify_pickle(path)
    if suffix == ".llamafile" or magic[:2] in (b"MZ", b"PK"):
        # A llamafile is an executable and a ZIP whose stored .gguf member is the model.
        if (offset := find_llamafile_gguf(path)) is not None:
            return identify_gguf(path, offset)
        if suffix == ".llamafile":
            return unknown(
                "llamafile", "llamafile", "a llamafile without weights (no .gguf inside)"
            )
    return unknown("file", suffix.lstrip(".") or "file", f"{suffix or 'this'} files are not models")


def _magic(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(4)
    except OSError:
        return b""
