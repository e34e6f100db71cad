"""Personalization adapters on a loaded image pipeline: LoRAs (several, weighted) and
textual-inversion embeddings. Checked against the model before they touch it."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.errors import ModelError, one_line
from studio.models.identify.identity import FAMILY_LABELS
from studio.models.loading.diffusers_pipeline import LoadedPipeline

_SD_FAMILIES = {"sd1", "sd2", "sdxl"}


@dataclass(frozen=True)
class Adapter:
    path: Path
    name: str
    family: str  # the base family identification found ("unknown" if it could not tell)
    weight: float = 1.0


def adapter_name(name: str) -> str:
    """A name PEFT accepts as an adapter name (no dots), stable for the same file."""
    return re.sub(r"[^A-Za-z0-9_]", "_", name) or "lora"


def check_family(adapter: Adapter, kind: str, loaded: LoadedPipeline) -> None:
    model = loaded.family
    if adapter.family in ("unknown", "", "sd") or model not in _SD_FAMILIES | {"sd3", "flux"}:
        return  # nothing known to compare: the shape check on loading decides
    if adapter.family != model:
        raise ModelError(
            f"{kind} {adapter.name} is for {FAMILY_LABELS.get(adapter.family, adapter.family)} "
            f"but {loaded.name} is {FAMILY_LABELS.get(model, model)}; choose a matching model"
        )


class AdapterState:
    """Which LoRAs and embeddings a pipeline has loaded, so each is read from disk once."""

    def __init__(self, loaded: LoadedPipeline) -> None:
        self.loaded = loaded
        self.loras: set[str] = set()
        self.tokens: set[str] = set()

    def activate_loras(self, adapters: list[Adapter]) -> None:
        """Make exactly `adapters` active with their weights (none: LoRAs off)."""
        pipe = self.loaded.pipe
        for adapter in adapters:
            check_family(adapter, "LoRA", self.loaded)
            name = adapter_name(adapter.name)
            if name not in self.loras:
                self._load_lora(adapter, name)
        if adapters:
            pipe.enable_lora()
            pipe.set_adapters(
                [adapter_name(a.name) for a in adapters],
                adapter_weights=[a.weight for a in adapters],
            )
        elif self.loras:
            pipe.disable_lora()

    def _load_lora(self, adapter: Adapter, name: str) -> None:
        pipe = self.loaded.pipe
        try:
            pipe.load_lora_weights(str(adapter.path), adapter_name=name)
        except (ValueError, RuntimeError, KeyError, OSError) as exc:
            self._drop(name)
            raise ModelError(
                f"LoRA {adapter.name} does not fit {self.loaded.name}: {one_line(exc, 200)}"
            ) from None
        attached = {n for names in pipe.get_list_adapters().values() for n in names}
        if name not in attached:
            raise ModelError(f"LoRA {adapter.name} matches no layer of {self.loaded.name}; refused")
        self.loras.add(name)

    def _drop(self, name: str) -> None:
        with contextlib.suppress(ValueError, KeyError, AttributeError):
            self.loaded.pipe.delete_adapters([name])

    def load_embeddings(self, adapters: list[Adapter]) -> None:
        """Textual inversions: the file name is the token to use in prompts (as in A1111)."""
        for adapter in adapters:
            check_family(adapter, "embedding", self.loaded)
            if adapter.name in self.tokens:
                continue
            try:
                self._load_embedding(adapter)
            except (ValueError, RuntimeError, KeyError, OSError) as exc:
                raise ModelError(
                    f"embedding {adapter.name} does not fit {self.loaded.name}: {one_line(exc, 200)}"
                ) from None
            self.tokens.add(adapter.name)

    def _load_embedding(self, adapter: Adapter) -> None:
        pipe = self.loaded.pipe
        if self.loaded.family != "sdxl":
            pipe.load_textual_inversion(str(adapter.path), token=adapter.name)
            return
        # SDXL embeddings hold one vector set per text encoder (clip_l and clip_g).
        from safetensors.torch import load_file

        state: dict[str, Any] = load_file(str(adapter.path))
        if not {"clip_l", "clip_g"} <= set(state):
            raise ValueError("an SDXL embedding needs clip_l and clip_g tensors")
        pipe.load_textual_inversion(state["clip_l"], token=adapter.name, text_encoder=pipe.text_encoder,
                                    tokenizer=pipe.tokenizer)  # fmt: skip
        pipe.load_textual_inversion(state["clip_g"], token=adapter.name, text_encoder=pipe.text_encoder_2,
                                    tokenizer=pipe.tokenizer_2)  # fmt: skip
