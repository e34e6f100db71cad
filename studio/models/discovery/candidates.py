"""Candidate: a path that may hold a model, with what its location suggests about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Candidate:
    path: Path
    # a1111, comfyui, invokeai, folder, hf-cache; the stores of other apps, listed in
    # place: ollama, lmstudio, gpt4all, jan
    source: str
    name: str
    kind_hint: str = ""  # lora, vae, embedding, checkpoint: from the folder it sits in
    family_hint: str = ""  # InvokeAI sorts by base model: sd-1, sd-2, sdxl
    # What the store says beside the file (a projector, an Ollama tag's other layers).
    facts: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str


def read_small(path: Path, limit: int, what: str) -> bytes | str:
    """A small config file's bytes, or why not in a few words (unreadable, too large to be
    one): a store's broken or hostile file is a Problem line, never a big allocation."""
    try:
        with path.open("rb") as file:
            raw = file.read(limit + 1)
    except OSError as exc:
        return f"cannot read {what} ({exc.strerror or exc})"
    if len(raw) > limit:
        return f"{what} is too large to be one"
    return raw
