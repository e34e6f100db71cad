"""Identify GGUF files (llama.cpp's format) and the facts their header states.

A GGUF names its own architecture and kind: a language model, a LoRA adapter
(general.type "adapter"), a vision/audio projector ("clip" / "mmproj") that only goes
with a text model, or something the studio does not run (diffusion models packed by
ComfyUI-GGUF, embedding encoders, control vectors, importance matrices).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

from studio.core.errors import ModelError
from studio.models.identify.gguf_header import GGUFHeader, LongString, read_gguf_header
from studio.models.identify.gguf_types import file_type_name, tensor_type_name
from studio.models.identify.identity import Identity, unknown

# ComfyUI-GGUF packs diffusion models under these architectures: image models, not text.
_DIFFUSION = {"flux", "sd1", "sd2", "sdxl", "sd3", "aura", "hidream", "cosmos", "lumina2",
              "ltxv", "hyvid", "wan", "qwen_image", "chroma", "hunyuan"}  # fmt: skip
# Encoders llama.cpp runs for embeddings only: nothing to chat with.
_ENCODERS = {"bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "jina-bert-v3",
             "modern-bert", "neo-bert", "t5encoder"}  # fmt: skip
_FIM_KEYS = (
    ("tokenizer.ggml.fim_pre_token_id", "tokenizer.ggml.prefix_token_id"),
    ("tokenizer.ggml.fim_suf_token_id", "tokenizer.ggml.suffix_token_id"),
    ("tokenizer.ggml.fim_mid_token_id", "tokenizer.ggml.middle_token_id"),
)


def identify_gguf(path: Path, offset: int = 0) -> Identity:
    """Identify the GGUF at `offset` in `path` (a llamafile holds one further in)."""
    try:
        header = read_gguf_header(path, offset)
    except ModelError as exc:
        return unknown("gguf", "gguf", "unreadable", problem=str(exc))
    facts = gguf_facts(header)
    if offset:
        facts["offset"] = offset
    return identify_header(header, facts, kind="llamafile" if offset else "gguf")


def identify_header(header: GGUFHeader, facts: dict[str, Any], kind: str = "gguf") -> Identity:
    arch = header.string("general.architecture")
    general_type = header.string("general.type") or "model"
    if header.big_endian != (sys.byteorder == "big"):
        return Identity("unknown", arch or "unknown", kind, "gguf", "big-endian GGUF",
                        "a big-endian GGUF (made for s390x): llama.cpp cannot load it on this machine",
                        facts=facts)  # fmt: skip
    if arch == "clip" or general_type == "mmproj":
        what = _projector(header)
        reason = f"a {what} projector (mmproj): it goes with a text model, not alone"
        return Identity("unknown", "clip", "mmproj", "gguf", reason, facts=facts)
    if general_type == "adapter":
        adapter = header.string("adapter.type") or "lora"
        reason = f"a GGUF {adapter} adapter for {arch or 'an unnamed'} models"
        return Identity("text", arch or "unknown", "lora", "gguf", reason, facts=facts)
    if general_type != "model":
        return unknown(kind, "gguf", f"a GGUF of type {general_type!r}, not a model", facts=facts)
    if arch is None:
        return unknown(kind, "gguf", "", problem="the GGUF header names no general.architecture",
                       facts=facts)  # fmt: skip
    if arch in _DIFFUSION:
        reason = (
            f"a {arch} diffusion model in GGUF (ComfyUI-GGUF): the studio runs GGUF text models"
        )
        return Identity("unknown", arch, kind, "gguf", reason, facts=facts)
    if arch in _ENCODERS:
        reason = f"a {arch} embedding encoder: it does not generate text"
        return Identity("unknown", arch, kind, "gguf", reason, facts=facts)
    if arch == "controlvector":
        return Identity("unknown", arch, "controlvector", "gguf", "a control vector", facts=facts)
    return Identity("text", arch, kind, "gguf", facts=facts)


def gguf_facts(header: GGUFHeader) -> dict[str, Any]:
    """What the catalog and engines want to know without re-reading the file (JSON-able)."""
    arch = header.string("general.architecture")
    types = Counter(tensor_type_name(t.type) for t in header.tensors)
    parts = header.integer("split.count") or 1  # llama.cpp's -00001-of-0000N.gguf
    parameters = header.integer("general.parameter_count")
    if parameters is None and parts == 1:  # a split file's first part lists only its tensors
        parameters = sum(t.elements for t in header.tensors)
    facts: dict[str, Any] = {
        "architecture": arch,
        "name": header.string("general.name"),
        "parameters": parameters,
        "quantization": _quantization(header),
        "tensor_types": dict(sorted(types.items())),
        "context_length": header.integer(f"{arch}.context_length") if arch else None,
        "chat_template": isinstance(header.get("tokenizer.chat_template"), str | LongString),
        "fim": all(any(header.integer(k) is not None for k in keys) for keys in _FIM_KEYS),
        "vocabulary": header.array_length("tokenizer.ggml.tokens")
        or (header.integer(f"{arch}.vocab_size") if arch else None),
    }
    if parts > 1:
        facts["parts"] = parts
    if size_label := header.string("general.size_label"):
        facts["size_label"] = size_label
    if adapter := header.string("adapter.type"):
        facts["adapter"] = adapter
    if projector := header.string("clip.projector_type"):
        facts["projector"] = projector
    return facts


def chat_template(header: GGUFHeader) -> str | None:
    """The chat template's text, or None when there is none (or it is too long to keep)."""
    return header.string("tokenizer.chat_template")


def _quantization(header: GGUFHeader) -> str | None:
    file_type = header.integer("general.file_type")
    if file_type is not None:
        return file_type_name(file_type)
    # No file type: name the type holding most of the matrices' weights, as llama.cpp guesses.
    weights: Counter[str] = Counter()
    for tensor in header.tensors:
        if len(tensor.shape) >= 2:
            weights[tensor_type_name(tensor.type)] += tensor.elements
    return weights.most_common(1)[0][0] if weights else None


def _projector(header: GGUFHeader) -> str:
    vision = header.get("clip.has_vision_encoder")
    audio = header.get("clip.has_audio_encoder")
    if audio and not vision:
        return "audio"
    return "vision and audio" if audio else "vision"
