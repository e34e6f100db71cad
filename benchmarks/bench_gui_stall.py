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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["STUDIO_HOME"] = tempfile.mkdtemp(prefix="bench-stall-")
os.environ["OMP_NUM_THREADS"] = "1"  # the shared 2-core machine: one for torch, one for the GUI

TICK_MS = 5
ROOT = Path(__file__).resolve().parents[1]
BUILD = """import sys
from pathlib import Path
from studio.demo_models.image import build_tiny_sd
from studio.demo_models.text import build_tiny_llama
build_tiny_sd(Path(sys.argv[1])); build_tiny_llama(Path(sys.argv[2]))
"""


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
    print(f"{name:58} ticks {len(samples):5}  max stall {max(samples, default=0):6.1f} ms  "
          f"p99 {p99:5.1f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from benchmarks._machine import describe
    from studio.core.paths import data_paths
    from studio.core.requests import ImageRequest
    from studio.core.requests.text import TextRequest
    from studio.gui.main_window import MainWindow
    from studio.models.catalog import ModelCatalog
    from studio.models.discovery.scanner import scan
    from studio.models.hashing import HashCache

    # Built in another process: torch must not be imported here before the window is.
    folder = data_paths().ensure().home / "models"
    image_model, text_model = folder / "sd", folder / "llm"
    subprocess.run([sys.executable, "-c", BUILD, str(image_model), str(text_model)], check=True,
                   cwd=ROOT)  # fmt: skip
    with ModelCatalog(data_paths().database) as catalog:
        scan(catalog, [folder], HashCache.default(), hf_cache=False)
    app = QApplication([])
    window = MainWindow()
    window.show()
    lateness = Lateness()
    lateness.start()  # from the first paint through the queue start and library warm-up
    wait_until = lambda done: [app.processEvents() for _ in iter(lambda: done(), True)]  # noqa: E731
    # The window starts its job queue (and warms the engines' libraries) after the first paint.
    wait_until(lambda: window.starter.done)
    warm_up = lateness.stop()
    lateness.start()
    end = time.perf_counter() + 3
    wait_until(lambda: time.perf_counter() > end)
    idle = lateness.stop()
    finished: list[int] = []
    window.bridge.job_finished.connect(lambda job_id, _paths: finished.append(job_id))
    window.bridge.job_failed.connect(lambda job_id, error: sys.exit(f"job failed: {error}"))
    rounds = []
    for name in ("first jobs (libraries and models load)", "later jobs (warm)"):
        finished.clear()
        lateness.start()
        started = time.perf_counter()
        for number in range(args.jobs):
            window.submit("image", ImageRequest(
                model=str(image_model), prompt=f"lighthouse {number}", width=64, height=64,
                steps=args.steps, seed=number))  # fmt: skip
            window.submit("text", TextRequest(model=str(text_model), prompt=f"hello {number}",
                                              max_new_tokens=48, seed=number))  # fmt: skip
        wait_until(lambda: len(finished) == 2 * args.jobs)
        rounds.append((f"{name}, {2 * args.jobs} jobs in {time.perf_counter() - started:.1f} s",
                       lateness.stop()))  # fmt: skip
    print(f"machine: {describe()}; torch threads 1; warm-up at start: {window.starter.warmed_up}")
    report("idle event loop", idle)
    report("start-up: queue start + library warm-up (no job)", warm_up)
    for name, samples in rounds:
        report(name, samples)
    window.close()


if __name__ == "__main__":
    main()
