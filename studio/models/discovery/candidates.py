"""Candidate: a path that may hold a model, with what its location suggests about it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Candidate:
    path: Path
    source: str  # a1111, comfyui, invokeai, folder, hf-cache
    name: str
    kind_hint: str = ""  # lora, vae, embedding, checkpoint: from the folder it sits in
    family_hint: str = ""  # InvokeAI sorts by base model: sd-1, sd-2, sdxl


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str
