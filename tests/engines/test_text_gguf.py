"""TextEngine on GGUF files, the fallback where llama.cpp is missing: transformers loads them
dequantized and says what that costs; token alternatives from transformers' generate()."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.core.errors import ModelError
from studio.core.gallery import GalleryStore
from studio.core.outputs.writer import OutputWriter
from studio.core.requests.text import TextRequest
from studio.demo_models.text import CODE_EXAMPLE
from studio.engines.text import TextEngine
from studio.models.hashing import HashCache
from tests.helpers import record_run

PROMPT, REPLY = CODE_EXAMPLE
pytestmark = pytest.mark.usefixtures("one_torch_thread")


def ask(path: Path, **changes: object) -> TextRequest:
    fields = {"model": str(path), "prompt": PROMPT, "temperature": 0.0, "max_new_tokens": 60,
              **changes}  # fmt: skip
    return TextRequest(**fields)  # type: ignore[arg-type]


def test_a_gguf_runs_dequantized_and_says_what_it_costs(
    gguf_fallback: TextEngine, tiny_ggufs: dict[str, Path]
) -> None:
    notes: list[str] = []
    reply = gguf_fallback.generate(ask(tiny_ggufs["chat"]), on_note=notes.append)
    assert reply.text == REPLY and reply.run["template"] == "chat template"  # the file's own
    run = reply.run
    assert run["backend"] == "transformers (GGUF dequantized)" and run["dtype"] == "fp32"
    assert run["file_bytes"] == tiny_ggufs["chat"].stat().st_size and run["dequantized_bytes"] > 0
    assert notes == run["notes"] and "dequantized to fp32" in notes[0]
    q8 = TextEngine.load(tiny_ggufs["q8"], device="cpu", precision="fp32")
    q8_run = q8.generate(ask(tiny_ggufs["q8"], max_new_tokens=4)).run
    assert q8_run["quantization"] == "Q8_0"
    assert q8_run["dequantized_bytes"] > 3 * q8_run["file_bytes"]  # 8 bits -> 32 bits


def test_an_architecture_transformers_cannot_read_is_one_line(tmp_path: Path) -> None:
    import gguf
    import numpy as np

    path = tmp_path / "odd.gguf"
    writer = gguf.GGUFWriter(path, "madeup")
    writer.add_tensor("token_embd.weight", np.zeros((4, 32), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    with pytest.raises(ModelError, match=r"^transformers cannot load odd\.gguf: ") as caught:
        TextEngine.load(path, device="cpu")
    assert "\n" not in str(caught.value)


def test_token_alternatives_from_transformers(
    gguf_fallback: TextEngine, tiny_ggufs: dict[str, Path], tmp_path: Path
) -> None:
    reply = gguf_fallback.generate(ask(tiny_ggufs["chat"], alternatives=4))
    chosen, alternatives = reply.run["chosen"], reply.run["alternatives"]
    assert len(chosen) == len(alternatives) == reply.run["tokens"]
    for pick, options in zip(chosen, alternatives, strict=True):
        probabilities = [o["probability"] for o in options]
        assert len(options) == 4 and probabilities == sorted(probabilities, reverse=True)
        assert all(0.0 <= p <= 1.0 for p in probabilities)
        assert pick == options[0]  # greedy: the chosen token is the likeliest
    assert "".join(p["token"] for p in chosen[:-1]) == REPLY  # then the end token
    sampled = gguf_fallback.generate(
        ask(tiny_ggufs["chat"], alternatives=2, temperature=1.5, seed=4)
    )
    assert len(sampled.run["chosen"]) == sampled.run["tokens"]
    assert all(0.0 <= p["probability"] <= 1.0 for p in sampled.run["chosen"])
    stores = (OutputWriter(tmp_path / "out"), GalleryStore(tmp_path / "db.sqlite3"),
              HashCache(tmp_path / "hashes.json"))  # fmt: skip
    written = record_run(gguf_fallback, ask(tiny_ggufs["chat"], alternatives=3), *stores).outputs[0]
    sidecar = json.loads(written.path.with_name(written.path.name + ".json").read_text())
    assert len(sidecar["run"]["alternatives"][0]) == 3 and sidecar["run"]["chosen"]
