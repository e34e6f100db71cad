"""Start-up: `studio --help` wall time beside bare Python and `import torch`, in one run.

.venv/bin/python benchmarks/bench_startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASES = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "studio --help": [sys.executable, "-m", "studio", "--help"],
    "studio --version": [sys.executable, "-m", "studio", "--version"],
    "python -c 'import torch'": [sys.executable, "-c", "import torch"],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    from benchmarks._machine import describe

    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):
        for name, cmd in CASES.items():
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
            times[name].append(time.perf_counter() - start)
    print(f"machine: {describe()}")
    base = statistics.median(times["python -c pass"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:28} median {median * 1000:7.1f} ms  ({median / base:.1f}x bare python)")


if __name__ == "__main__":
    main()
