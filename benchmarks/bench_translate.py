"""Translation throughput: sentences per second for a 500-line document, batched against one by
one, same model, same run. Also checks that both give the same text.

The model is a random Marian (opus-mt layout, smaller): untrained, it rarely stops on its
own, so every sentence runs to its output budget (2 x input tokens + 16), which is the
slow case for a real model too.

    .venv/bin/python benchmarks/bench_translate.py [--lines 500] [--batch-sizes 8,32]
        [--width 256] [--layers 2] [--device cpu] [--threads N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.core.offline import enable_offline_mode

enable_offline_mode()

SENTENCES = (
    "O gato dorme no sofá.", "A casa é grande e bonita.", "Bom dia, como está você?",
    "Ontem choveu muito; hoje faz sol, e amanhã talvez neve.", "Quem sabe?",
    "O farol brilha sobre o mar escuro enquanto os barcos voltam ao porto.",
)  # fmt: skip


def document(lines: int) -> str:
    """`lines` lines of one to three sentences, a blank line every eighth line."""
    out = []
    for i in range(lines):
        if i % 8 == 7:
            out.append("")
            continue
        count = 1 + i % 3
        out.append(" ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(count)))
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--batch-sizes", default="8,32")
    parser.add_argument("--width", type=int, default=256, help="d_model (opus-mt: 512)")
    parser.add_argument("--layers", type=int, default=2, help="encoder and decoder layers")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch CPU threads (0: torch's default; 1 is steadier on a shared machine)")  # fmt: skip
    args = parser.parse_args()

    import torch

    from studio.models.loading.quiet import quiet_hf_libraries

    quiet_hf_libraries()
    if args.threads:
        torch.set_num_threads(args.threads)

    from benchmarks._machine import describe
    from studio.core.requests.translate import TranslateRequest
    from studio.demo_models.translate import build_tiny_marian
    from studio.engines.contract import Events
    from studio.engines.translate import TranslateEngine

    text = document(args.lines)
    with tempfile.TemporaryDirectory() as tmp:
        model = build_tiny_marian(Path(tmp) / "opus-mt-pt-en", width=args.width, layers=args.layers)
        engine = TranslateEngine.load(model, device=args.device, precision="fp32")
        params = sum(p.numel() for p in engine.model.parameters())
        warm = TranslateRequest(model=str(model), source="pt", target="en", text=SENTENCES[0])
        engine.translate_request(warm)
        results = {}
        for batch_size in [1, *(int(b) for b in args.batch_sizes.split(","))]:
            request = warm.replace(text=text, batch_size=batch_size)
            started = time.perf_counter()
            [result] = engine.run(request, Events())  # the contract the runtime calls
            if args.device.startswith("cuda"):
                torch.cuda.synchronize()
            results[batch_size] = (time.perf_counter() - started, result)
    one_seconds, one = results[1]
    print(f"machine: {describe()}")
    print(f"device: {args.device}; torch threads: {torch.get_num_threads()}")
    print(f"model: random Marian, d_model {args.width}, {args.layers}+{args.layers} layers, "
          f"{params / 1e6:.1f} M parameters, greedy, no_repeat_ngram_size 4")  # fmt: skip
    print(f"document: {args.lines} lines, {one.sentences} sentences")
    for batch_size, (seconds, result) in results.items():
        same = "same text" if result.text == one.text else "DIFFERENT TEXT"
        print(f"batch {batch_size:>3}: {seconds:7.2f} s, {result.sentences / seconds:7.1f} "
              f"sentences/s, x{one_seconds / seconds:.2f} vs one by one ({same})")  # fmt: skip


if __name__ == "__main__":
    main()
