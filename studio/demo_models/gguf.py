"""Tiny random Llama models as GGUF files (llama.cpp's format), built offline.

`build_tiny_llama_gguf` converts the tiny Llama of `demo_models.text` the way llama.cpp's
convert_hf_to_gguf.py does (tensor names, the q/k head permutation, the byte-level BPE
vocabulary with its merges and special tokens, the chat template), and keeps the
transformers folder beside it: both hold the same weights, so a llama.cpp or a
transformers-from-GGUF run can be checked against the transformers one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from studio.demo_models import DEMO_NOTE

__all__ = ["DEMO_NOTE", "QUANTS", "build_tiny_llama_gguf", "llama_folder_to_gguf"]

QUANTS = {"F32": 0, "F16": 1, "Q8_0": 7}  # -> general.file_type (llama_ftype)
# Token types (llama.cpp's llama_token_type): what the tokenizer treats as whole tokens.
_NORMAL, _CONTROL, _USER_DEFINED, _UNUSED = 1, 3, 4, 5
# llama.cpp's FIM keys, by the tokens demo_models.text adds for each family.
_FIM = {"fim_pre": ("<fim_prefix>", "<|fim_prefix|>"), "fim_suf": ("<fim_suffix>", "<|fim_suffix|>"),
        "fim_mid": ("<fim_middle>", "<|fim_middle|>"), "fim_pad": ("<fim_pad>", "<|fim_pad|>")}  # fmt: skip


def build_tiny_llama_gguf(
    path: Path, *, quant: str = "F32", folder: Path | None = None, hidden: int = 64,
    **llama: Any,
) -> Path:  # fmt: skip
    """Write a tiny random Llama as the GGUF `path` and return it.

    The transformers twin goes to `folder` (default: `<stem>-hf` beside `path`); a folder
    that already holds a model is converted as it is, so F32 and Q8_0 files made one after
    the other share their weights. The other arguments are `build_tiny_llama`'s (chat, fim,
    layers, heads, kv_heads, context, seed; `memorize` trains in replies that greedy
    decoding then gives, in llama.cpp too).
    """
    from studio.demo_models.text import build_tiny_llama

    if quant not in QUANTS:
        raise ValueError(f"quant must be one of {', '.join(QUANTS)}, not {quant!r}")
    folder = folder or path.with_name(f"{path.stem}-hf")
    if not (folder / "config.json").is_file():
        build_tiny_llama(folder, hidden=hidden, **llama)
    return llama_folder_to_gguf(folder, path, quant=quant, name=path.stem, description=DEMO_NOTE)


def llama_folder_to_gguf(
    folder: Path, path: Path, *, quant: str = "F32", name: str = "", description: str = ""
) -> Path:
    """Convert a transformers Llama folder (safetensors, tokenizer.json) into the GGUF `path`."""
    import gguf
    from safetensors.numpy import load_file

    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    if config.get("model_type") != "llama":
        raise ValueError(f"{folder} holds a {config.get('model_type')!r} model, not a Llama")
    if quant not in QUANTS:
        raise ValueError(f"quant must be one of {', '.join(QUANTS)}, not {quant!r}")
    weights = load_file(folder / "model.safetensors")
    partial = path.with_name(path.name + ".part")
    writer = gguf.GGUFWriter(partial, "llama")
    writer.add_name(name or folder.name)
    if description:
        writer.add_description(description)
    writer.add_file_type(QUANTS[quant])
    if quant != "F32":
        writer.add_quantization_version(gguf.GGML_QUANT_VERSION)
    _add_hyperparameters(writer, config)
    _add_tokenizer(writer, folder, config)
    _add_tensors(writer, weights, config, getattr(gguf.GGMLQuantizationType, quant))
    return _finish(writer, partial, path)


def _add_hyperparameters(writer: Any, config: dict[str, Any]) -> None:
    heads = config["num_attention_heads"]
    head_dim = config.get("head_dim") or config["hidden_size"] // heads
    rope = config.get("rope_parameters") or {}
    writer.add_vocab_size(config["vocab_size"])
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(config["hidden_size"])
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(config.get("num_key_value_heads") or heads)
    writer.add_rope_dimension_count(head_dim)
    writer.add_rope_freq_base(float(rope.get("rope_theta", config.get("rope_theta", 10000.0))))
    writer.add_layer_norm_rms_eps(float(config["rms_norm_eps"]))


def _add_tokenizer(writer: Any, folder: Path, config: dict[str, Any]) -> None:
    """The byte-level BPE vocabulary as llama.cpp's "gpt2" tokenizer model."""
    spec = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    vocab: dict[str, int] = dict(spec["model"]["vocab"])
    added = {token["content"]: token for token in spec.get("added_tokens", [])}
    vocab.update({content: token["id"] for content, token in added.items()})
    size = config["vocab_size"]
    tokens = [f"[PAD{i}]" for i in range(size)]  # llama.cpp's filler for unused ids
    types = [_UNUSED] * size
    for token, index in vocab.items():
        if index < size:
            tokens[index] = token
            special = token in added and added[token].get("special")
            types[index] = _CONTROL if special else _USER_DEFINED if token in added else _NORMAL
    merges = [m if isinstance(m, str) else " ".join(m) for m in spec["model"].get("merges", [])]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("gpt-2")  # ByteLevel with GPT-2's split regex
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    eos = config["eos_token_id"]
    stops = eos if isinstance(eos, list) else [eos]
    writer.add_bos_token_id(config["bos_token_id"])
    writer.add_eos_token_id(stops[0])
    if config.get("pad_token_id") is not None:
        writer.add_pad_token_id(config["pad_token_id"])
    if "<|im_end|>" in vocab:  # the end of a chat turn: llama.cpp stops there too
        writer.add_eot_token_id(vocab["<|im_end|>"])
    writer.add_add_bos_token(False)  # the transformers tokenizer adds none either
    writer.add_add_eos_token(False)
    for key, names in _FIM.items():
        if (found := next((vocab[n] for n in names if n in vocab), None)) is not None:
            writer.add_uint32(f"tokenizer.ggml.{key}_token_id", found)
    if template := _chat_template(folder):
        writer.add_chat_template(template)


def _chat_template(folder: Path) -> str | None:
    if (folder / "chat_template.jinja").is_file():
        return (folder / "chat_template.jinja").read_text(encoding="utf-8")
    config_file = folder / "tokenizer_config.json"
    if config_file.is_file():
        template = json.loads(config_file.read_text(encoding="utf-8")).get("chat_template")
        return template if isinstance(template, str) else None
    return None


def _add_tensors(writer: Any, weights: dict[str, Any], config: dict[str, Any], qtype: Any) -> None:
    import gguf
    import numpy as np

    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, config["num_hidden_layers"])
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads") or heads
    if "lm_head.weight" not in weights:  # tied: llama.cpp can share it, transformers wants it
        weights = {**weights, "lm_head.weight": weights["model.embed_tokens.weight"]}
    for hf_name, array in weights.items():
        target = names.get_name(hf_name, try_suffixes=(".weight", ".bias"))
        if target is None:
            raise ValueError(f"no GGUF name for tensor {hf_name!r}")
        data = np.asarray(array, dtype=np.float32)
        # llama.cpp's rope pairs neighbouring dimensions, HF's the two halves of each head.
        if hf_name.endswith("q_proj.weight"):
            data = _permute(data, heads)
        elif hf_name.endswith("k_proj.weight"):
            data = _permute(data, kv_heads)
        if data.ndim < 2 or qtype == gguf.GGMLQuantizationType.F32:
            writer.add_tensor(target, data)  # norms stay F32, as llama.cpp keeps them
        elif qtype == gguf.GGMLQuantizationType.F16:
            writer.add_tensor(target, data.astype(np.float16))
        else:
            if data.shape[-1] % 32:
                raise ValueError(
                    f"{hf_name}: rows of {data.shape[-1]} do not split into Q8_0 blocks of 32"
                )
            writer.add_tensor(target, gguf.quants.quantize(data, qtype), raw_dtype=qtype)


def _permute(weight: Any, n_head: int) -> Any:
    """convert_hf_to_gguf.py's LlamaModel.permute: interleave each head's two rope halves."""
    rest = weight.shape[1:]
    return (
        weight.reshape(n_head, 2, weight.shape[0] // n_head // 2, *rest)
        .swapaxes(1, 2)
        .reshape(weight.shape)
    )


def build_vocab_gguf(path: Path, *, vocab: int = 150_000, context: int = 32768) -> Path:
    """A Llama GGUF header with a real-size vocabulary and merge table (Qwen2's size by
    default) and one tiny tensor: what makes header readers slow, without the weights.
    Not a model anything can run."""
    import gguf
    import numpy as np

    partial = path.with_name(path.name + ".part")
    writer = gguf.GGUFWriter(partial, "llama")
    writer.add_name(path.stem)
    writer.add_file_type(QUANTS["F32"])
    writer.add_context_length(context)
    writer.add_tokenizer_model("gpt2")
    # Byte-level spellings of varied length, as a real vocabulary has.
    writer.add_token_list([f"Ġw{i:x}" + "a" * (i % 7) for i in range(vocab)])
    writer.add_token_types([_NORMAL] * vocab)
    writer.add_token_merges([f"Ġw {i:x}" for i in range(vocab)])
    writer.add_chat_template("{% for m in messages %}{{ m['content'] }}{% endfor %}")
    writer.add_tensor("token_embd.weight", np.zeros((vocab, 1), dtype=np.float32))
    return _finish(writer, partial, path)


def _finish(writer: Any, partial: Path, path: Path) -> Path:
    """Write the file out, then put it in place whole (a failed build leaves no GGUF)."""
    try:
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
    finally:
        writer.close()
    os.replace(partial, path)
    return path
