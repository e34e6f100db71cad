"""Fixtures for the model manager's tests: tiny GGUF files, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same tiny random Llama (with FIM tokens) as F32 and Q8_0 GGUFs, and its
    transformers folder ("hf")."""
    from studio.demo_models.gguf import build_tiny_llama_gguf

    root = tmp_path_factory.mktemp("gguf")
    folder = root / "tiny-llama-hf"
    made = {q: build_tiny_llama_gguf(root / f"tiny-{q}.gguf", quant=q, folder=folder, fim="starcoder")
            for q in ("F32", "Q8_0")}  # fmt: skip
    return {**made, "hf": folder}


@pytest.fixture(scope="session")
def big_vocab_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A GGUF header with a 150k-token vocabulary and as many merges (written in ~1 s)."""
    from studio.demo_models.gguf import build_vocab_gguf

    return build_vocab_gguf(tmp_path_factory.mktemp("gguf-big") / "big-vocab.gguf")
