"""GGUF header read: the studio's reader against `gguf.GGUFReader`, side by side.

The file is a Llama header with a real-size vocabulary (150k tokens and as many merges,
Qwen2's size; `build_vocab_gguf`, written with the gguf package's writer, no download)
and one tiny tensor: the vocabulary and merges are what make a header slow to read.
Runs alternate between the two readers; medians and their ratio are printed. The
studio's time includes turning the header into facts (`identify_gguf`).

    .venv/bin/python benchmarks/bench_gguf_header.py [--runs 5] [--vocab 150000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--vocab", type=int, default=150_000)
    args = parser.parse_args()

    import gguf

    from benchmarks._machine import describe
    from studio.demo_models.gguf import build_vocab_gguf
    from studio.models.identify.from_gguf import identify_gguf

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        path = build_vocab_gguf(Path(tmp) / "vocab.gguf", vocab=args.vocab)
        written = time.perf_counter() - started
        identify_gguf(path), gguf.GGUFReader(path)  # warm-up: imports and the file cache
        times: dict[str, list[float]] = {"studio": [], "gguf": []}
        for _ in range(args.runs):
            started = time.perf_counter()
            facts = identify_gguf(path).facts
            times["studio"].append(time.perf_counter() - started)
            started = time.perf_counter()
            reader = gguf.GGUFReader(path)
            times["gguf"].append(time.perf_counter() - started)
        assert facts["vocabulary"] == len(reader.fields["tokenizer.ggml.tokens"].data)
        size = path.stat().st_size
    med = {name: statistics.median(values) for name, values in times.items()}
    print(f"machine: {describe()}")
    print(f"file: {args.vocab} tokens + {args.vocab} merges, {size / 2**20:.1f} MiB "
          f"(written in {written:.2f} s), {args.runs} runs each, alternating")  # fmt: skip
    print(f"studio identify_gguf (header + facts): {med['studio'] * 1000:.1f} ms")
    print(f"gguf.GGUFReader:                       {med['gguf'] * 1000:.1f} ms")
    print(f"ratio gguf/studio: {med['gguf'] / med['studio']:.0f}x")


if __name__ == "__main__":
    main()
