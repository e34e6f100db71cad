"""The GPU benchmark script runs end to end on a CPU with --small, and its full-size layout
is Llama-3-8B's (8.03 billion weights)."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "gpu_llama8b_gguf.py"


def test_the_full_size_layout_is_llama_3_8b() -> None:
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import gpu_llama8b_gguf as bench
    finally:
        sys.path.remove(str(SCRIPT.parent))
    weights = sum(math.prod(shape) for _, shape in bench.tensors(bench.LLAMA_8B))
    assert weights == 8_030_261_248  # Meta-Llama-3-8B's parameter count


def test_small_runs_on_the_cpu(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    keep = tmp_path / "small.gguf"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--small", "--prompt", "32", "--tokens", "8", "--keep", str(keep)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "model: small, Q4_0" in done.stdout and "decode: 8 tokens" in done.stdout
    assert keep.stat().st_size > 100_000  # written where asked, and kept
