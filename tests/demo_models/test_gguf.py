"""The tiny Llama GGUF holds the transformers folder's model: transformers reads it back
(undoing llama.cpp's q/k permutation) with the same logits, tokenizer and chat template."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.demo_models.gguf import build_tiny_llama_gguf, llama_folder_to_gguf

TEXT = "Hello! def add(a, b):\n    return a + b <|im_start|>user"


@pytest.fixture(scope="module")
def ggufs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tiny-gguf")
    folder = root / "hf"
    made = {q: build_tiny_llama_gguf(root / f"tiny-{q}.gguf", quant=q, folder=folder)
            for q in ("F32", "F16", "Q8_0")}  # fmt: skip
    return {**made, "hf": folder}


@pytest.mark.usefixtures("one_torch_thread")
@pytest.mark.parametrize(("quant", "tolerance"), [("F32", 1e-5), ("F16", 2e-3), ("Q8_0", 3e-2)])
def test_transformers_reads_the_same_model_back(
    ggufs: dict[str, Path], quant: str, tolerance: float
) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = ggufs[quant]
    reference = AutoModelForCausalLM.from_pretrained(ggufs["hf"]).eval()
    loaded = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name).eval()
    tokenizer = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
    expected_tokenizer = AutoTokenizer.from_pretrained(ggufs["hf"])
    ids = expected_tokenizer(TEXT, return_tensors="pt")["input_ids"]
    assert tokenizer(TEXT)["input_ids"] == ids[0].tolist()
    assert tokenizer.chat_template == expected_tokenizer.chat_template
    assert (tokenizer.eos_token, len(tokenizer)) == ("<|endoftext|>", len(expected_tokenizer))
    with torch.no_grad():
        gap = (loaded(ids).logits - reference(ids).logits).abs().max().item()
    assert gap < tolerance


def test_the_file_is_as_small_as_its_quantization(ggufs: dict[str, Path]) -> None:
    sizes = {q: ggufs[q].stat().st_size for q in ("F32", "F16", "Q8_0")}
    assert sizes["Q8_0"] < sizes["F16"] < sizes["F32"] < 600_000


def test_only_llama_folders_convert(ggufs: dict[str, Path], tmp_path: Path) -> None:
    other = tmp_path / "gpt2"
    other.mkdir()
    (other / "config.json").write_text(json.dumps({"model_type": "gpt2"}))
    with pytest.raises(ValueError, match="not a Llama"):
        llama_folder_to_gguf(other, tmp_path / "x.gguf")
    with pytest.raises(ValueError, match="quant must be one of F32, F16, Q8_0"):
        build_tiny_llama_gguf(tmp_path / "x.gguf", quant="Q4_K_M", folder=ggufs["hf"])
