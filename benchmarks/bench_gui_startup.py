"""Process start to the first painted main window, beside bare Python and bare PySide6.

Each case is a fresh process; the parent times from spawn until the child prints "painted"
(for the studio: the main window's first paintEvent, through the real `studio gui` path).
Heavy libraries (torch, diffusers) must load after that moment, never before.

    .venv/bin/python benchmarks/bench_gui_startup.py [--runs 7] [--platform offscreen|xcb]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BARE_QT = """
from PySide6.QtWidgets import QApplication, QMainWindow
class W(QMainWindow):
    def paintEvent(self, e):
        super().paintEvent(e); print("painted", flush=True); app.quit()
app = QApplication([]); w = W(); w.resize(1280, 800); w.show(); app.exec()
"""
# The real entry point; the probe only listens for the window's first paint.
STUDIO = """
import sys
from studio.gui import main_window
real_init = main_window.MainWindow.__init__
def init(self, *args, **kwargs):
    real_init(self, *args, **kwargs)
    def painted():
        print("painted", "torch" in sys.modules, flush=True)
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        QTimer.singleShot(0, self.close)
        QTimer.singleShot(0, QApplication.instance().quit)
    self.first_painted.connect(painted)
main_window.MainWindow.__init__ = init
from studio.cli.main import main
sys.exit(main(["gui"]))
"""
CASES = {"python -c pass": "print('painted')", "bare PySide6 window": BARE_QT,
         "studio gui": STUDIO}  # fmt: skip


def time_case(code: str, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, cwd=ROOT, env=env)  # fmt: skip
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.communicate(timeout=120)
    if not line.startswith("painted"):
        raise SystemExit(f"the child never painted (exit {child.returncode})")
    return elapsed, line.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--platform", default="offscreen")
    args = parser.parse_args()
    from benchmarks._machine import describe

    home = tempfile.mkdtemp(prefix="bench-gui-")
    env = dict(os.environ, QT_QPA_PLATFORM=args.platform, STUDIO_HOME=home)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    torch_before_paint = False
    for _ in range(args.runs):
        for name, code in CASES.items():
            elapsed, line = time_case(code, env)
            times[name].append(elapsed)
            torch_before_paint |= line.endswith("True")
    print(f"machine: {describe()}  (QT_QPA_PLATFORM={args.platform}, {args.runs} runs)")
    bare = statistics.median(times["bare PySide6 window"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:22} first paint median {median * 1000:7.1f} ms  "
              f"(min {min(values) * 1000:.0f}, {median / bare:.2f}x bare PySide6)")  # fmt: skip
    print(f"torch imported before the first paint: {torch_before_paint}")


if __name__ == "__main__":
    main()
