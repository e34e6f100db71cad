"""Largest stall of the Qt event loop while generations run, beside the idle loop.

A 5 ms QTimer in the GUI thread records how late each tick fires: idle first (the baseline),
then while the real job queue runs image and text generations on tiny random-weight
models (through the window's Parameters dock, the job queue, the engines and the gallery).
Goal: the largest stall during generation <= 50 ms.

    .venv/bin/python benchmarks/bench_gui_stall.py [--jobs 4] [--steps 20]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["STUDIO_HOME"] = tempfile.mkdtemp(prefix="bench-stall-")

TICK_MS = 5


class Lateness:
    """Ticks every TICK_MS; keeps how late each tick was (ms)."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.samples: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self._last = time.perf_counter()

    def start(self) -> None:
        self.samples.clear()
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return list(self.samples)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.samples.append(max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now


def report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p99 = ordered[int(len(ordered) * 0.99)] if ordered else 0.0
    print(f"{name:34} ticks {len(samples):5}  max stall {max(samples, default=0):6.1f} ms  "
          f"p99 {p99:5.1f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    import torch
    from PySide6.QtWidgets import QApplication

    from benchmarks._machine import describe
    from studio.core.paths import data_paths
    from studio.core.requests import ImageRequest
    from studio.core.requests.text import TextRequest
    from studio.gui.main_window import MainWindow
    from studio.models.catalog import ModelCatalog
    from studio.models.demo import build_tiny_sd
    from studio.models.demo_text import build_tiny_llama
    from studio.models.discovery.scanner import scan
    from studio.models.hashing import HashCache

    torch.set_num_threads(1)  # the shared 2-core machine: one for torch, one for the GUI
    folder = data_paths().ensure().home / "models"
    image_model, text_model = build_tiny_sd(folder / "sd"), build_tiny_llama(folder / "llm")
    with ModelCatalog(data_paths().database) as catalog:
        scan(catalog, [folder], HashCache.default(), hf_cache=False)
    app = QApplication([])
    window = MainWindow()
    window.show()
    lateness = Lateness()
    wait_until = lambda done: [app.processEvents() for _ in iter(lambda: done(), True)]  # noqa: E731
    wait_until(lambda: window.queue.devices is not None and not window._starter.is_alive())
    lateness.start()
    end = time.perf_counter() + 3
    wait_until(lambda: time.perf_counter() > end)
    idle = lateness.stop()
    finished: list[int] = []
    window.bridge.job_finished.connect(lambda job_id, _paths: finished.append(job_id))
    window.bridge.job_failed.connect(lambda job_id, error: sys.exit(f"job failed: {error}"))
    lateness.start()
    started = time.perf_counter()
    for number in range(args.jobs):
        window.submit("image", ImageRequest(model=str(image_model), prompt=f"lighthouse {number}",
                                            width=64, height=64, steps=args.steps, seed=number))  # fmt: skip
        window.submit("text", TextRequest(model=str(text_model), prompt=f"hello {number}",
                                          max_new_tokens=48, seed=number))  # fmt: skip
    wait_until(lambda: len(finished) == 2 * args.jobs)
    busy = lateness.stop()
    seconds = time.perf_counter() - started
    print(f"machine: {describe()}; torch threads 1")
    report("idle event loop", idle)
    report(f"{2 * args.jobs} jobs running ({seconds:.1f} s)", busy)
    window.close()


if __name__ == "__main__":
    main()
