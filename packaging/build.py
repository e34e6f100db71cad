"""Build the one-folder bundle dist/studio/ with PyInstaller: `python3 dev.py bundle`.

Run with the studio's virtual environment (dev.py does): the bundle holds exactly the
libraries installed there, so a CPU-only venv gives a CPU bundle and a venv with the
CUDA torch build gives a CUDA bundle. Runs at low priority (nice 10): a build keeps a
core busy for minutes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from bundle_config import STRIP, bundled_weights  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="default: dist/")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="PyInstaller's cache; a later build reuses it (default: build/pyinstaller)")  # fmt: skip
    parser.add_argument("--clean", action="store_true", help="ignore the cache: build from scratch")
    args = parser.parse_args(argv)
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        print(
            "build: PyInstaller is not installed here; run `python3 dev.py bundle`", file=sys.stderr
        )
        return 2
    if hasattr(os, "nice"):
        os.nice(10)  # inherited by PyInstaller and the helper processes it starts
    command = [sys.executable, "-m", "PyInstaller", str(HERE / "studio.spec"), "--noconfirm",
               "--distpath", str(args.dist), "--workpath", str(args.work), "--log-level", "WARN"]  # fmt: skip
    if args.clean:
        command.append("--clean")
    started = time.monotonic()
    if subprocess.run(command, cwd=ROOT).returncode != 0:
        print("build: PyInstaller failed (see above)", file=sys.stderr)
        return 1
    bundle = args.dist / "studio"
    strip_symbols(bundle)
    seconds = time.monotonic() - started
    problems = check_bundle(bundle)
    for problem in problems:
        print(f"build: PROBLEM: {problem}", file=sys.stderr)
    size, count = folder_size(bundle)
    print(f"built {bundle} in {seconds:.0f} s: {size / 2**20:.0f} MiB in {count} files")
    print(f"try it: {executable(bundle)} doctor")
    return 1 if problems else 0


def executable(bundle: Path) -> Path:
    return bundle / ("studio.exe" if os.name == "nt" else "studio")


def strip_symbols(bundle: Path) -> None:
    """Drop the debugger-only symbol tables of the libraries in STRIP (dynamic symbols stay)."""
    strip = shutil.which("strip")
    if strip is None or os.name == "nt" or sys.platform == "darwin":
        print("build: no GNU strip here; libraries keep their symbol tables", file=sys.stderr)
        return
    libraries = [p for pattern in STRIP for p in (bundle / "_internal").glob(pattern)]
    for library in libraries:
        if library.is_file() and not library.is_symlink():
            subprocess.run([strip, "--strip-unneeded", str(library)], check=True)


def check_bundle(bundle: Path) -> list[str]:
    """What must hold for any bundle: it starts, and it carries no model weights."""
    problems = [] if executable(bundle).is_file() else [f"{executable(bundle)} is missing"]
    resources = bundle / "_internal" / "resources"
    if not (resources / "icons" / "studio.svg").is_file():
        problems.append(f"{resources} lacks icons/studio.svg")
    weights = bundled_weights(bundle)
    problems += [f"model weights must not be bundled: {p.relative_to(bundle)}" for p in weights]
    return problems


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and files under `folder`, links not followed."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


if __name__ == "__main__":
    sys.exit(main())
