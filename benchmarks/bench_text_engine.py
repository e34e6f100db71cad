"""Text engine overhead: studio's TextEngine against a bare `model.generate`, side by side.

raw: the usual transformers streaming recipe, `generate` on a worker thread with a
TextIteratorStreamer read by the caller. studio: `TextEngine.generate` streaming through
its callback. bare: `generate` with no streaming at all (the floor for a whole reply).
Same saved model (random weights, bigger than the test model so a token costs
something), chat prompt, seed and sampling; runs alternate so drift hits all equally.
Time to first token counts from before the prompt is built; tokens/s is the decoding
rate after the first token. Medians; ratio studio/raw for tokens/s (goal: >= 0.95).

Every side runs on a worker thread, as raw's recipe (and the GUI) does: on a busy
machine, torch's OpenMP threads behave very differently on the main thread, which
would measure the thread, not the engine. `--main-thread` runs studio and bare there;
`--threads 1` keeps OpenMP spin-waits out of the numbers on a shared machine.

    .venv/bin/python benchmarks/bench_text_engine.py [--runs 15] [--tokens 128] [--threads N]
        [--main-thread]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.core.offline import enable_offline_mode

enable_offline_mode()

PROMPT = "Tell me about lighthouses."
SAMPLING = {"temperature": 0.8, "top_p": 1.0, "top_k": 0, "min_p": 0.0, "repetition_penalty": 1.0}
# (time to first token s, decoding tokens/s, tokens, wall s, text)
Result = tuple[float, float, int, float, str]


def on_worker(fn: Callable[[], Result]) -> Result:
    box: list[Result] = []
    worker = threading.Thread(target=lambda: box.append(fn()))
    worker.start()
    worker.join()
    return box[0]


def timings(start: float, times: list[float], text: str) -> Result:
    wall = time.perf_counter() - start
    rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    return times[0] - start, rate, len(times), wall, text.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--main-thread", action="store_true", help="studio and bare on main")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: its default)")
    args = parser.parse_args()

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, TextIteratorStreamer

    from benchmarks._machine import describe
    from studio.core.requests.text import TextRequest
    from studio.demo_models.text import build_tiny_llama
    from studio.engines.contract import Events
    from studio.engines.text import TextEngine
    from studio.models.loading.memory import pipeline_bytes

    if args.threads:
        torch.set_num_threads(args.threads)

    class TimedStreamer(TextIteratorStreamer):
        """Records when each generated token reaches the streamer (the prompt comes first)."""

        def __init__(self, *a: Any, **k: Any) -> None:
            super().__init__(*a, **k)
            self.times: list[float] = []

        def put(self, value: Any) -> None:
            if not self.next_tokens_are_prompt:
                self.times.append(time.perf_counter())
            super().put(value)

    with tempfile.TemporaryDirectory() as tmp:
        folder = build_tiny_llama(
            Path(tmp) / "llama-small", hidden=args.hidden, layers=args.layers,
            heads=8, kv_heads=4, context=2048,
        )  # fmt: skip
        raw = AutoModelForCausalLM.from_pretrained(folder, local_files_only=True).eval()
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        engine = TextEngine.load(folder, device="cpu", precision="fp32")
        size_mb = pipeline_bytes(raw) / 2**20
        facts: list[dict[str, Any]] = []

        def raw_kwargs(seed: int) -> dict[str, Any]:
            messages = [{"role": "user", "content": PROMPT}]
            ids = torch.tensor([tokenizer.apply_chat_template(
                messages, add_generation_prompt=True, tokenize=True, return_dict=False
            )])  # fmt: skip
            torch.manual_seed(seed)
            sampling = {k: v for k, v in SAMPLING.items() if k != "min_p"}
            return {"input_ids": ids, "attention_mask": torch.ones_like(ids), "do_sample": True,
                    "max_new_tokens": args.tokens, **sampling}  # fmt: skip

        def run_raw(seed: int) -> Result:
            start = time.perf_counter()
            streamer = TimedStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
            kwargs = {**raw_kwargs(seed), "streamer": streamer}
            worker = threading.Thread(target=raw.generate, kwargs=kwargs)
            worker.start()
            text = "".join(streamer)
            worker.join()
            return timings(start, streamer.times, text)

        def studio(seed: int) -> Result:
            times: list[float] = []
            start = time.perf_counter()
            request = TextRequest(model=str(folder), prompt=PROMPT, seed=seed,
                                  max_new_tokens=args.tokens, **SAMPLING)  # fmt: skip
            events = Events(progress=lambda d, t: times.append(time.perf_counter()))
            [reply] = engine.run(request, events)  # the contract the runtime calls
            facts.append(reply.run)
            return timings(start, times, reply.text)

        def bare(seed: int) -> Result:
            start = time.perf_counter()
            kwargs = raw_kwargs(seed)
            new = raw.generate(**kwargs)[0, kwargs["input_ids"].shape[1] :]
            text = tokenizer.decode(new, skip_special_tokens=True)
            wall = time.perf_counter() - start
            return math.nan, math.nan, len(new), wall, text.strip()

        def placed(fn: Callable[[int], Result]) -> Callable[[int], Result]:
            return fn if args.main_thread else lambda seed: on_worker(lambda: fn(seed))

        runners = {"raw": run_raw, "studio": placed(studio), "bare": placed(bare)}
        # A seed whose sample runs the full length (random weights may sample the end token).
        seed = next(s for s in range(100) if runners["bare"](s)[2] == args.tokens)
        texts = {run(seed)[4] for run in runners.values()}  # also warms every side up
        facts.clear()
        results: dict[str, list[Result]] = {name: [] for name in runners}
        for _ in range(args.runs):
            for name, run in runners.items():
                results[name].append(run(seed))

    def median(name: str, index: int) -> float:
        return statistics.median(r[index] for r in results[name])

    where = "main thread" if args.main_thread else "worker threads"
    print(f"machine: {describe()}")
    print(f"model: Llama, hidden {args.hidden}, {args.layers} layers, {size_mb:.1f} MB fp32, "
          f"random weights; chat prompt, {args.tokens} new tokens, seed {seed}, "
          f"{args.runs} alternating runs each; studio and bare on {where}, "
          f"{torch.get_num_threads()} torch thread(s)")  # fmt: skip
    counts = ", ".join(f"{name} {median(name, 2):.0f}" for name in results)
    print(f"same text on every side: {len(texts) == 1}; tokens per run: {counts}")
    raw_ttft, studio_ttft = median("raw", 0) * 1000, median("studio", 0) * 1000
    raw_tps, studio_tps = median("raw", 1), median("studio", 1)
    print(f"time to first token: raw {raw_ttft:.1f} ms, studio {studio_ttft:.1f} ms")
    print(f"tokens/s (decoding): raw {raw_tps:.1f}, studio {studio_tps:.1f}")
    own_ttft = statistics.median(f["ttft_s"] for f in facts) * 1000
    own_tps = statistics.median(f["tokens_per_s"] for f in facts)
    print(f"studio's own record: ttft {own_ttft:.1f} ms, {own_tps:.1f} tokens/s")
    print(f"ratio studio/raw tokens/s: {studio_tps / raw_tps:.3f} (goal >= 0.95)")
    print(f"ratio studio/raw time to first token: {studio_ttft / raw_ttft:.3f}")
    walls = {name: median(name, 3) * 1000 for name in results}
    print(f"whole reply (wall): bare (no streaming) {walls['bare']:.1f} ms, raw {walls['raw']:.1f} ms, "
          f"studio {walls['studio']:.1f} ms; ratio studio/bare {walls['studio'] / walls['bare']:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
