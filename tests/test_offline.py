"""Offline by construction: a whole generation attempts no network connection at all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import NETWORK_AUDIT

# Runs in a fresh interpreter: an audit hook records (and blocks) every socket
# connection and DNS lookup, then the real CLI generates an image.
PROBE = (
    NETWORK_AUDIT
    + r"""
import os
from studio.cli.main import main
code = main(sys.argv[1:])
print("RC", code)
print("ATTEMPTS", attempts)
print("OFFLINE", os.environ.get("HF_HUB_OFFLINE"))
"""
)


def test_generation_makes_no_network_attempt(
    tiny_sd: Path, tmp_path: Path, studio_home: Path
) -> None:
    env = {"PATH": "/usr/bin:/bin", "STUDIO_HOME": str(studio_home), "HOME": str(tmp_path)}
    argv = ["generate", "image", "--model", str(tiny_sd), "--prompt", "offline fox", "--steps", "2",
            "--size", "64x64", "--seed", "1", "--out", str(tmp_path / "out")]  # fmt: skip
    result = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True,
                            env=env, timeout=300)  # fmt: skip
    lines = result.stdout.splitlines()
    assert "RC 0" in lines, result.stderr[-3000:]
    assert "ATTEMPTS []" in lines
    assert "OFFLINE 1" in lines
    assert len(list((tmp_path / "out").rglob("*.png"))) == 1
