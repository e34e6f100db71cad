"""Fill-in-the-middle: which FIM tokens a tokenizer has, and the prompt they make.

Detected from the vocabulary, never from the model's name. Prompts are prefix-suffix-
middle (PSM), the order these families were trained on; the model writes the middle
and ends it with one of the style's end tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studio.core.errors import ModelError


@dataclass(frozen=True)
class FimStyle:
    name: str
    prefix: str
    suffix: str
    middle: str
    ends: tuple[str, ...]  # tokens that end the middle, where the vocabulary has them


FIM_STYLES = (
    # StarCoder, StarCoder2, SantaCoder, Granite code, ...
    FimStyle("starcoder", "<fim_prefix>", "<fim_suffix>", "<fim_middle>",
             ("<|endoftext|>", "<fim_pad>", "<file_sep>")),
    # Qwen2.5-Coder, CodeGemma
    FimStyle("qwen", "<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>",
             ("<|endoftext|>", "<|fim_pad|>", "<|file_sep|>", "<|file_separator|>", "<|im_end|>")),
    # DeepSeek-Coder
    FimStyle("deepseek", "<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>",
             ("<｜end▁of▁sentence｜>", "<|EOT|>")),
)  # fmt: skip


def detect_fim(tokenizer: Any) -> FimStyle | None:
    vocab = tokenizer.get_vocab()
    for style in FIM_STYLES:
        if all(token in vocab for token in (style.prefix, style.suffix, style.middle)):
            return style
    return None


def fim_prompt(
    tokenizer: Any, model_name: str, prefix: str, suffix: str
) -> tuple[list[int], FimStyle, list[int]]:
    """(prompt ids, style, ids of the tokens that end the middle); one-line error without FIM."""
    style = detect_fim(tokenizer)
    if style is None:
        known = ", ".join(f"{s.prefix}/{s.suffix}/{s.middle}" for s in FIM_STYLES)
        raise ModelError(
            f"{model_name} has no fill-in-the-middle tokens ({known}); use a code model "
            "trained for FIM, or ask in chat mode"
        )
    vocab = tokenizer.get_vocab()

    def encode(text: str) -> list[int]:
        # Code that happens to contain "<fim_middle>" is text, not a control token.
        encoded = tokenizer(text, add_special_tokens=False, split_special_tokens=True)
        return list(encoded["input_ids"]) if text else []

    lead = list(tokenizer("", add_special_tokens=True)["input_ids"])  # BOS where the model uses one
    ids = [
        *lead, vocab[style.prefix], *encode(prefix), vocab[style.suffix], *encode(suffix),
        vocab[style.middle],
    ]  # fmt: skip
    ends = [vocab[token] for token in style.ends if token in vocab]
    return ids, style, ends
