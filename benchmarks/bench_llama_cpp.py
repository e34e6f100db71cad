"""GGUF text generation: the studio's llama.cpp backend against bare llama-cpp-python, and
the transformers fallback on the same file, side by side.

bare: `Llama.create_completion(stream=True)`, llama-cpp-python's own streaming recipe, on
its own Llama object. floor: a bare `Llama.generate()` token loop that decodes nothing (what
no streaming engine can beat). studio: `LlamaCppEngine.generate` (completion mode, streaming
through its callback), also with token alternatives on. transformers: `TextEngine` on the
same GGUF (dequantized to fp32). Same file, prompt, seed and sampling (llama.cpp's sampler
draws the same tokens for studio and bare); runs alternate so drift hits all equally.
Tokens/s is the decoding rate after the first token; TTFT counts from the call. Medians;
the goal is studio/bare >= 0.95.

The model is a random Llama written as GGUF (`build_tiny_llama_gguf`; bigger than the
test model so a token costs something). llama.cpp uses llama-cpp-python's default thread
count (half the cores); torch gets the same count.

    .venv/bin/python benchmarks/bench_llama_cpp.py [--runs 7] [--tokens 128] [--hidden 512]
        [--layers 8] [--quant Q8_0]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.core.offline import enable_offline_mode

enable_offline_mode()

PROMPT = "The lighthouse keeper opened the logbook and wrote"
SAMPLING = {"temperature": 0.8, "top_p": 1.0, "top_k": 0, "min_p": 0.0, "repetition_penalty": 1.0}
SEED = 11
Result = tuple[float, float, int]  # (time to first token s, decoding tokens/s, tokens)


def bare_run(llama, tokens: int) -> Result:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    stamps: list[float] = []
    for chunk in llama.create_completion(
        PROMPT, max_tokens=tokens, stream=True, seed=SEED, temperature=SAMPLING["temperature"],
        top_p=1.0, top_k=0, min_p=0.0, repeat_penalty=1.0,
    ):  # fmt: skip
        if chunk["choices"][0]["finish_reason"] is None:  # the last chunk only says why it ended
            stamps.append(time.perf_counter())
    rate = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0
    return stamps[0] - started, rate, len(stamps)


def floor_run(llama, tokens: int) -> Result:  # type: ignore[no-untyped-def]
    """The floor: Llama.generate's token loop, nothing decoded, nothing checked."""
    started = time.perf_counter()
    stamps: list[float] = []
    llama.set_seed(SEED)
    ids = llama.tokenize(PROMPT.encode(), add_bos=True, special=True)
    for _token in llama.generate(ids, temp=SAMPLING["temperature"], top_k=0, top_p=1.0, min_p=0.0):
        stamps.append(time.perf_counter())
        if len(stamps) >= tokens:
            break
    rate = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0
    return stamps[0] - started, rate, len(stamps)


def engine_run(engine, tokens: int, alternatives: int = 0) -> Result:  # type: ignore[no-untyped-def]
    from studio.core.requests.text import TextRequest
    from studio.engines.contract import Events

    request = TextRequest(model=str(engine.path), prompt=PROMPT, mode="completion", seed=SEED,
                          max_new_tokens=tokens, alternatives=alternatives, **SAMPLING)  # fmt: skip
    chunks: list[str] = []
    run = engine.run(request, Events(text=chunks.append))
    facts = next(iter(run)).run
    return facts["ttft_s"], facts["tokens_per_s"] or 0.0, facts["tokens"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--hidden", type=int, default=512)
    parser.add_argument("--layers", type=int, default=8)
    parser.add_argument("--quant", default="Q8_0", choices=("F32", "F16", "Q8_0"))
    args = parser.parse_args()

    import llama_cpp
    import torch

    from benchmarks._machine import describe
    from studio.demo_models.gguf import build_tiny_llama_gguf
    from studio.engines.text import TextEngine
    from studio.engines.text.llama_cpp import LlamaCppEngine

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        path = build_tiny_llama_gguf(
            Path(tmp) / "bench.gguf", quant=args.quant, hidden=args.hidden, layers=args.layers,
            heads=8, kv_heads=4, context=1024, seed=1,
        )  # fmt: skip
        built = time.perf_counter() - started
        studio = LlamaCppEngine.load(path, device="cpu")
        bare = llama_cpp.Llama(str(path), n_ctx=studio.plan.context, verbose=False)
        floor = llama_cpp.Llama(str(path), n_ctx=studio.plan.context, verbose=False)
        torch.set_num_threads(bare.n_threads)
        fallback = TextEngine.load(path, device="cpu", precision="fp32")
        sides: dict[str, Callable[[], Result]] = {
            "bare llama-cpp-python": lambda: bare_run(bare, args.tokens),
            "floor: Llama.generate loop": lambda: floor_run(floor, args.tokens),
            "studio llama.cpp": lambda: engine_run(studio, args.tokens),
            "studio llama.cpp, alternatives=5": lambda: engine_run(studio, args.tokens, 5),
            "studio transformers (dequantized)": lambda: engine_run(fallback, args.tokens),
        }
        for side in sides.values():  # warm-up: first calls, caches
            side()
        results: dict[str, list[Result]] = {name: [] for name in sides}
        for _ in range(args.runs):
            for name, side in sides.items():
                results[name].append(side())
        size = path.stat().st_size
    print(f"machine: {describe()}")
    print(f"llama-cpp-python {llama_cpp.__version__}, {bare.n_threads} thread(s); model: random "
          f"Llama hidden {args.hidden}, {args.layers} layers, {args.quant}, {size / 2**20:.1f} MiB "
          f"(built in {built:.1f} s); {args.tokens} tokens, {args.runs} runs each, alternating")  # fmt: skip
    medians = {}
    for name, rows in results.items():
        ttft = statistics.median(r[0] for r in rows)
        rate = statistics.median(r[1] for r in rows)
        count = statistics.median(r[2] for r in rows)
        medians[name] = rate
        print(f"{name:36s} {rate:8.1f} tokens/s  TTFT {ttft * 1000:6.1f} ms  ({count:.0f} tokens)")
    base = medians["bare llama-cpp-python"]
    for name in list(sides)[1:]:
        print(f"ratio {name} / bare: {medians[name] / base:.3f}")
    floor_rate = medians["floor: Llama.generate loop"]
    print(f"ratio studio llama.cpp / floor: {medians['studio llama.cpp'] / floor_rate:.3f}")


if __name__ == "__main__":
    main()
