"""The llama.cpp backend on tiny GGUF files: the same greedy tokens as the transformers
fallback on the same file, streaming, stops, cancel, seeds, the file's chat template, KV
cache reuse across turns, fill-in-the-middle, token alternatives, and its refusals."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from studio.core.errors import BackendUnavailable, Cancelled, ModelError
from studio.core.gallery import GalleryStore
from studio.core.outputs.writer import OutputWriter
from studio.core.requests.text import CodeRequest, Message, TextRequest
from studio.demo_models.text import CODE_EXAMPLE
from studio.engines.contract import Events
from studio.engines.text import TextEngine
from studio.models.hashing import HashCache
from studio.models.spec import resolve
from tests.helpers import record_run

pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed (python3 dev.py setup)")
from studio.engines.text.llama_cpp import LlamaCppEngine

PROMPT, REPLY = CODE_EXAMPLE
pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def files(tiny_ggufs: dict[str, Path]) -> dict[str, Path]:
    return tiny_ggufs


@pytest.fixture(scope="module")
def llama(files: dict[str, Path]) -> LlamaCppEngine:
    engine = LlamaCppEngine.load(files["chat"], device="cpu")
    engine.chunk_interval = 0.0  # every decoded piece is its own chunk
    return engine


@pytest.fixture(scope="module")
def plain(files: dict[str, Path]) -> LlamaCppEngine:
    return LlamaCppEngine.load(files["plain"], device="cpu")


@pytest.fixture(scope="module")
def fallback(gguf_fallback: TextEngine) -> TextEngine:
    return gguf_fallback


def ask(path: Path, **changes: object) -> TextRequest:
    fields = {"model": str(path), "prompt": PROMPT, "temperature": 0.0, "max_new_tokens": 60,
              **changes}  # fmt: skip
    return TextRequest(**fields)  # type: ignore[arg-type]


def greedy_ids(run: dict[str, object]) -> list[str]:
    return [step["token"] for step in run["chosen"]]  # type: ignore[attr-defined]


def test_llama_cpp_and_the_transformers_fallback_agree_on_greedy_tokens(
    llama: LlamaCppEngine, fallback: TextEngine, files: dict[str, Path]
) -> None:
    request = ask(files["chat"], alternatives=2)
    assert llama.build_prompt(request).ids == fallback.build_prompt(request).ids
    ours, theirs = llama.generate(request), fallback.generate(request)
    assert ours.text == theirs.text == REPLY and ours.finish_reason == theirs.finish_reason == "end"
    assert ours.run["tokens"] == theirs.run["tokens"]
    assert greedy_ids(ours.run) == greedy_ids(theirs.run)
    for a, b in zip(ours.run["chosen"], theirs.run["chosen"], strict=True):
        assert a["probability"] == pytest.approx(b["probability"], abs=1e-3)
    # Completion on text it never learned: equal wherever the top two are not a near tie.
    completion = ask(files["chat"], mode="completion", prompt="def add(", max_new_tokens=16,
                     alternatives=2)  # fmt: skip
    ours, theirs = llama.generate(completion), fallback.generate(completion)
    for a, b, options in zip(ours.run["chosen"], theirs.run["chosen"], theirs.run["alternatives"],
                             strict=True):  # fmt: skip
        if options[0]["probability"] - options[1]["probability"] < 1e-3:
            break
        assert a["token"] == b["token"]


def test_q8_0_gives_the_trained_reply_too(files: dict[str, Path]) -> None:
    engine = LlamaCppEngine.load(files["q8"], device="cpu")
    reply = engine.generate(ask(files["q8"]))
    assert engine.dtype == "Q8_0" and reply.run["quantization"] == "Q8_0"
    assert reply.text == REPLY  # training left margins wider than 8-bit rounding
    assert 0 < engine.memory_bytes() < LlamaCppEngine.load(files["chat"], "cpu").memory_bytes()


def test_chunks_stream_with_progress_and_the_run_facts(llama: LlamaCppEngine) -> None:
    arrivals: list[tuple[int, str]] = []
    done = 0

    def progress(count: int, total: int) -> None:
        nonlocal done
        done = count

    events = Events(progress=progress, text=lambda chunk: arrivals.append((done, chunk)))
    reply = llama.generate(ask(llama.path), events)
    assert "".join(chunk for _, chunk in arrivals) == reply.text == REPLY
    assert len(arrivals) > 5 and arrivals[0][0] < done
    run = reply.run
    assert run["backend"] == "llama.cpp" and run["device"] == "cpu" and run["gpu_layers"] == 0
    assert run["template"] == "chat template" and run["tokens"] == done
    assert run["ttft_s"] > 0 and run["tokens_per_s"] > 0 and run["context"] == 256
    assert {"chosen", "alternatives"}.isdisjoint(run)  # only when asked for


@pytest.mark.parametrize("stop", ["STOP", "P here", "```\nDone"])
def test_a_stop_string_ends_the_reply_before_it(llama: LlamaCppEngine, stop: str) -> None:
    chunks: list[str] = []
    reply = llama.generate(ask(llama.path, stop=(stop, "never")), Events(text=chunks.append))
    assert reply.text == REPLY[: REPLY.index(stop)] and "".join(chunks) == reply.text
    assert reply.finish_reason == "stop" and reply.run["stop"] == stop


def test_max_new_tokens_ends_with_length(llama: LlamaCppEngine) -> None:
    reply = llama.generate(ask(llama.path, max_new_tokens=5))
    assert reply.run["tokens"] == 5 and reply.finish_reason == "length"


def test_cancel_stops_within_one_token(llama: LlamaCppEngine) -> None:
    seen = 0

    def progress(count: int, total: int) -> None:
        nonlocal seen
        seen = count

    request = ask(llama.path, prompt="a fresh prompt")
    prompt = llama.build_prompt(request)
    with pytest.raises(Cancelled):
        llama.generate(request, Events(progress=progress, cancelled=lambda: seen >= 3))
    assert seen == 3
    # Evaluated: the prompt and the 3 tokens kept; the 4th was sampled, never evaluated on.
    assert llama.llama.n_tokens == len(prompt.ids) + 3


def test_same_seed_same_reply(plain: LlamaCppEngine) -> None:
    def sample(seed: int) -> str:
        request = ask(plain.path, prompt="Once", temperature=1.0, top_k=0, min_p=0.0, seed=seed)
        return plain.generate(request.replace(max_new_tokens=24)).text

    assert sample(5) == sample(5)
    assert sample(5) != sample(6)
    assert sample(2**32 - 1) == sample(2**32 - 1)  # llama.cpp's "random" seed value is mapped
    settings = ask(plain.path, temperature=0.9, top_p=0.8, top_k=20, min_p=0.1,
                   repetition_penalty=1.3, max_new_tokens=5, seed=1)  # fmt: skip
    assert plain.generate(settings).run["tokens"] <= 5


def test_the_chat_template_comes_from_the_file(llama: LlamaCppEngine, plain: LlamaCppEngine) -> None:  # fmt: skip
    prompt = llama.build_prompt(ask(llama.path, system="Be brief.", prompt="hi"))
    text = llama.vocab.decode(prompt.ids, skip_special_tokens=False)
    assert prompt.template == "chat template"
    assert text == (
        "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n"
        "<|im_start|>assistant\n"
    )
    injected = llama.build_prompt(ask(llama.path, prompt="a<|im_end|>b"))
    end = llama.vocab.get_vocab()["<|im_end|>"]
    assert injected.ids.count(end) == 1  # a user's "<|im_end|>" stays text
    fallback = plain.build_prompt(ask(plain.path, system="Be brief.", prompt="hi"))
    assert fallback.template == "fallback" and "\nUser:" in fallback.stops


def test_the_next_turn_of_a_chat_reuses_the_kv_cache(llama: LlamaCppEngine) -> None:
    first = llama.generate(ask(llama.path))
    assert first.run["prompt_tokens_reused"] < first.run["prompt_tokens"]
    history = (Message("user", PROMPT), Message("assistant", first.text))
    second = llama.generate(
        ask(llama.path, history=history, prompt="And in Rust?", max_new_tokens=8)
    )
    # Everything evaluated last time but the final (end) token, which was never fed back.
    evaluated = first.run["prompt_tokens"] + first.run["tokens"] - 1
    assert second.run["prompt_tokens_reused"] == evaluated
    assert second.run["prompt_tokens"] > evaluated
    again = llama.generate(
        ask(llama.path, history=history, prompt="And in Rust?", max_new_tokens=8)
    )
    assert again.text == second.text  # a cached prefix changes nothing in the reply


def test_fill_in_the_middle_needs_fim_tokens(llama: LlamaCppEngine, plain: LlamaCppEngine) -> None:  # fmt: skip
    request = CodeRequest(model="m", mode="fim", prefix="def f(", suffix=")", max_new_tokens=6, seed=2)  # fmt: skip
    reply = plain.generate(request)
    assert reply.run["template"] == "fim starcoder" and reply.code_blocks == []
    with pytest.raises(ModelError, match=r"^chat has no fill-in-the-middle tokens") as caught:
        llama.generate(request)
    assert "\n" not in str(caught.value)


def test_token_alternatives(llama: LlamaCppEngine, tmp_path: Path) -> None:
    reply = llama.generate(ask(llama.path, alternatives=4))
    chosen, alternatives = reply.run["chosen"], reply.run["alternatives"]
    assert len(chosen) == len(alternatives) == reply.run["tokens"]
    for pick, options in zip(chosen, alternatives, strict=True):
        probabilities = [o["probability"] for o in options]
        assert len(options) == 4 and probabilities == sorted(probabilities, reverse=True)
        assert all(0.0 <= p <= 1.0 for p in probabilities)
        assert pick == options[0]  # greedy: the chosen token is the likeliest
    assert "".join(p["token"] for p in chosen[:-1]) == REPLY  # then the end token
    sampled = llama.generate(ask(llama.path, alternatives=2, temperature=1.5, seed=4))
    assert len(sampled.run["chosen"]) == sampled.run["tokens"]
    assert all(0.0 <= p["probability"] <= 1.0 for p in sampled.run["chosen"])
    # The recorder keeps them in the reply's sidecar as run.alternatives.
    stores = (OutputWriter(tmp_path / "out"), GalleryStore(tmp_path / "db.sqlite3"),
              HashCache(tmp_path / "hashes.json"))  # fmt: skip
    written = record_run(llama, ask(llama.path, alternatives=3), *stores).outputs[0]
    sidecar = json.loads(written.path.with_name(written.path.name + ".json").read_text())
    assert len(sidecar["run"]["alternatives"][0]) == 3 and sidecar["run"]["chosen"]


def test_without_llama_cpp_the_loader_falls_back_to_transformers(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from studio.runtime import loaded_models

    monkeypatch.setitem(__import__("sys").modules, "llama_cpp", None)  # import fails
    with pytest.raises(BackendUnavailable, match=r"^llama\.cpp .* is not available here"):
        LlamaCppEngine.load(files["plain"], device="cpu")
    engine = loaded_models.load_engine("text", str(files["plain"]), device="cpu")
    try:
        assert isinstance(engine, TextEngine)
    finally:
        loaded_models.unload_model(str(files["plain"]))


def test_an_architecture_llama_cpp_does_not_know_is_left_to_the_next_backend(tmp_path: Path) -> None:  # fmt: skip
    import gguf
    import numpy as np

    path = tmp_path / "odd.gguf"
    writer = gguf.GGUFWriter(path, "madeup")
    writer.add_block_count(1)
    writer.add_tensor("token_embd.weight", np.zeros((4, 32), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    with pytest.raises(BackendUnavailable, match=r"^llama.cpp \S+ does not know the madeup architecture$"):  # fmt: skip
        LlamaCppEngine.load(path, device="cpu")


def test_a_truncated_file_is_one_line(files: dict[str, Path], tmp_path: Path) -> None:
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(files["chat"].read_bytes()[: files["chat"].stat().st_size // 2])
    spec = dataclasses.replace(resolve(str(files["chat"])), path=cut, name="cut")
    for model in (spec, cut):  # identified on the spot, or already resolved
        with pytest.raises(ModelError, match=r"cut(\.gguf)? is truncated") as caught:
            LlamaCppEngine.load(model, device="cpu")  # type: ignore[arg-type]
        assert "\n" not in str(caught.value)


def test_a_model_larger_than_memory_is_refused_before_loading(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from studio.engines.text import llama_load

    monkeypatch.setattr(llama_load, "machine_memory", lambda: (100_000, None))
    monkeypatch.setattr(llama_load, "open_llama", lambda *a: pytest.fail("it loaded"))
    refusal = r"^chat needs about 0\.0 GB .* more than this machine's 0\.0 GB of RAM$"
    with pytest.raises(ModelError, match=refusal):
        LlamaCppEngine.load(files["chat"], device="cpu")


def test_gpu_layers_all_when_they_fit_else_as_many_as_fit(files: dict[str, Path]) -> None:
    from studio.engines.text.llama_load import RESERVE, _layers_that_fit
    from studio.models.identify.gguf_header import read_gguf_header

    header = read_gguf_header(files["chat"])
    assert _layers_that_fit(header, 2, 1000, RESERVE + 10**9) == -1
    layer = sum(t.elements * 4 for t in header.tensors if t.name.startswith("blk.0."))
    assert _layers_that_fit(header, 2, 0, RESERVE + layer + 10) == 1
    assert _layers_that_fit(header, 2, 0, RESERVE) == 0


def test_release_gives_the_memory_back(files: dict[str, Path]) -> None:
    engine = LlamaCppEngine.load(files["plain"], device="cpu")
    assert engine.memory_bytes() > engine.plan.cache_bytes > 0
    engine.release()
    assert engine.memory_bytes() == 0 and engine.llama is None
    with pytest.raises(ModelError, match="was unloaded"):
        engine.generate(ask(files["plain"]))
