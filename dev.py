#!/usr/bin/env python3
"""Set up and run Generative Studio from a checkout: `python3 dev.py run` or `python3 dev.py test`.

`python3 dev.py bundle` builds the offline one-folder bundle dist/studio/ (packaging/).

Creates (or reuses) a project-local virtual environment in .venv and installs the
studio into it. On a machine without an NVIDIA GPU, torch is pinned to 2.13.0 first,
so pip never pulls several GB of CUDA wheels; with an NVIDIA GPU, pip's default
(CUDA) build is used. Re-installs only when pyproject.toml or that choice changes.
Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
CPU_TORCH = "torch==2.13.0"
STAMP = VENV / ".studio-install"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def has_nvidia_gpu() -> bool:
    smi = shutil.which("nvidia-smi")
    if not smi:
        return False
    try:
        return subprocess.run([smi, "-L"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def pip(*args: str) -> None:
    cmd = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", *args]
    print("+", " ".join(cmd[3:]), flush=True)
    subprocess.run(cmd, check=True)


def ensure_environment(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs before any install
        sys.exit(f"Generative Studio needs Python 3.11 or newer (this is {sys.version.split()[0]})")
    gpu = has_nvidia_gpu()
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + f"|gpu={gpu}".encode()
    ).hexdigest()
    wanted_extras, installed = set(filter(None, extras.split(","))), set()
    if venv_python().exists() and STAMP.exists():
        stamp_hash, _, stamp_extras = STAMP.read_text().strip().partition(" ")
        installed = set(filter(None, stamp_extras.split(",")))
        if stamp_hash == wanted and wanted_extras <= installed:
            return  # already installed (a test install also serves `run`)
    extras = ",".join(sorted(wanted_extras | installed))  # keep what an earlier command added
    if not venv_python().exists():
        print(f"Creating a virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not gpu:
        pip(CPU_TORCH)  # CPU build; satisfies torch>=2.6 so nothing bigger follows
    target = f".[{extras}]" if extras else "."
    pip("-e", target)
    STAMP.write_text(f"{wanted} {extras}")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "help"
    rest = argv[1:]
    if command == "run":
        ensure_environment("")
        return subprocess.call([str(venv_python()), "-m", "studio", *rest])
    if command == "test":
        ensure_environment("test")
        return subprocess.call([str(venv_python()), "-m", "pytest", *rest], cwd=ROOT)
    if command == "bundle":
        ensure_environment("bundle")
        build = [str(venv_python()), str(ROOT / "packaging" / "build.py"), *rest]
        return subprocess.call(build, cwd=ROOT)
    if command == "screenshots":
        # Every main view with demo models, into docs/screenshots; under a virtual X server
        # (Debian: apt install xvfb) when there is one, else Qt's offscreen platform.
        ensure_environment("")
        shoot = [str(venv_python()), str(ROOT / "tools" / "screenshots.py"), *rest]
        if shutil.which("xvfb-run"):
            shoot = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", *shoot]
        return subprocess.call(shoot, cwd=ROOT)
    if command == "setup":
        ensure_environment("test")
        return 0
    print(__doc__.strip().splitlines()[0])
    print(
        "commands: run [studio args]   test [pytest args]   setup   bundle [--clean]   "
        "screenshots [folder] [--dark]"
    )
    return 0 if command in ("help", "-h", "--help") else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
