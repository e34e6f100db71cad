"""Fixtures shared by the text backends' tests: tiny GGUF files, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_ggufs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """ "chat" (ChatML, CODE_EXAMPLE trained in) as F32 and as "q8" (Q8_0, the same weights);
    "plain": random, StarCoder FIM tokens, no chat template."""
    from studio.demo_models.gguf import build_tiny_llama_gguf
    from studio.demo_models.text import CODE_EXAMPLE

    root = tmp_path_factory.mktemp("gguf")
    chat = build_tiny_llama_gguf(root / "chat.gguf", memorize=(CODE_EXAMPLE,))
    q8 = build_tiny_llama_gguf(root / "chat-q8.gguf", quant="Q8_0", folder=root / "chat-hf")
    plain = build_tiny_llama_gguf(root / "plain.gguf", chat=False, fim="starcoder", seed=3)
    return {"chat": chat, "q8": q8, "plain": plain}


@pytest.fixture(scope="session")
def gguf_fallback(tiny_ggufs: dict[str, Path]):  # type: ignore[no-untyped-def]
    """The chat GGUF through transformers (TextEngine), dequantized to fp32."""
    from studio.engines.text import TextEngine

    return TextEngine.load(tiny_ggufs["chat"], device="cpu", precision="fp32")
