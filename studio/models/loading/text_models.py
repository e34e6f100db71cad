"""Load local causal language models, optionally with a PEFT adapter (LoRA) on top.

Local files only, safetensors (or GGUF) only, remote code never: a model whose
architecture needs `trust_remote_code` is refused rather than run.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from studio.core.errors import ModelError, one_line
from studio.models.loading.quiet import quiet_transformers

_ERRORS = (OSError, ValueError, KeyError, RuntimeError, TypeError)


@dataclass
class LoadedTextModel:
    path: Path
    model: Any
    tokenizer: Any | None
    adapter: Path | None = None


def load_causal_lm(
    path: Path,
    *,
    adapter: Path | None = None,
    device: str = "cpu",
    dtype: torch.dtype = torch.float32,
) -> LoadedTextModel:
    quiet_transformers()
    from transformers import AutoModelForCausalLM, AutoTokenizer

    try:
        model = AutoModelForCausalLM.from_pretrained(
            path, local_files_only=True, use_safetensors=True, dtype=dtype, trust_remote_code=False
        )
    except _ERRORS as exc:
        raise ModelError(f"cannot load the language model in {path}: {one_line(exc)}") from None
    if adapter is not None:
        model = _with_adapter(model, adapter)
    tokenizer = None
    if any(
        (path / name).exists() for name in ("tokenizer.json", "tokenizer_config.json", "vocab.json")
    ):
        try:
            tokenizer = AutoTokenizer.from_pretrained(
                path, local_files_only=True, trust_remote_code=False
            )
        except _ERRORS as exc:
            raise ModelError(f"cannot load the tokenizer in {path}: {one_line(exc)}") from None
    return LoadedTextModel(path, model.to(device).eval(), tokenizer, adapter)


def load_gguf_causal_lm(
    path: Path, *, device: str = "cpu", dtype: torch.dtype = torch.float32
) -> LoadedTextModel:
    """A GGUF file through transformers (model and tokenizer from its header), for the
    architectures transformers reads. It dequantizes every tensor to `dtype`: a 4-bit file
    takes about 4x its size in fp16 and 8x in fp32."""
    quiet_transformers()
    from transformers import AutoModelForCausalLM, AutoTokenizer, modeling_gguf_pytorch_utils

    # Its dequantizing loop draws a raw tqdm bar that transformers' own switch leaves on.
    bar = modeling_gguf_pytorch_utils.tqdm
    if not isinstance(bar, functools.partial):
        modeling_gguf_pytorch_utils.tqdm = functools.partial(bar, disable=True)
    where = {"gguf_file": path.name, "local_files_only": True, "trust_remote_code": False}
    try:
        model = AutoModelForCausalLM.from_pretrained(path.parent, dtype=dtype, **where)
        tokenizer = AutoTokenizer.from_pretrained(path.parent, **where)
    except (*_ERRORS, ImportError) as exc:  # ImportError: the gguf package is missing
        raise ModelError(f"transformers cannot load {path.name}: {one_line(exc)}") from None
    return LoadedTextModel(path, model.to(device).eval(), tokenizer)


def _with_adapter(model: Any, adapter: Path) -> Any:
    from peft import PeftModel

    if not (adapter / "adapter_model.safetensors").is_file():
        pickled = adapter / "adapter_model.bin"
        what = (
            "only pickle weights (adapter_model.bin), refused" if pickled.exists() else "no weights"
        )
        raise ModelError(f"adapter {adapter.name} has {what}; convert it to safetensors")
    try:
        return PeftModel.from_pretrained(model, adapter, is_trainable=False, local_files_only=True)
    except _ERRORS as exc:
        raise ModelError(
            f"adapter {adapter.name} does not fit this model: {one_line(exc)}"
        ) from None
