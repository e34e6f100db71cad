"""CI smoke test of the offline bundle: build dist/studio/, then use it with the network off.

    python3 packaging/smoke_test.py            # build (python3 dev.py bundle), then test
    python3 packaging/smoke_test.py --no-build # test the bundle already in dist/studio

From the bundle alone, in fresh data folders: --version, doctor, a download refused
(offline mode is the default), demo models built by the bundle, a model pack exported and
imported into a second data folder (the air-gapped machine), image, speech and translation
generations, and the GUI self-check (offscreen); then start-up timings.

The network is cut with `unshare -rn` (a new network namespace with no interfaces) when
the machine allows it; where `strace` exists every command also runs under it, and any
attempt to connect or resolve a name fails the test. Without unshare, the proxies point
at a closed local port instead: weaker, and the summary says so. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from bundle_config import bundled_weights  # noqa: E402
from network_guard import GuardError, NetworkGuard  # noqa: E402


class SmokeFailure(Exception):
    pass


class Bundle:
    """Runs the bundle's executable behind the network guard, in a given data folder."""

    def __init__(self, folder: Path, scratch: Path, guard: NetworkGuard) -> None:
        self.exe = folder / ("studio.exe" if os.name == "nt" else "studio")
        self.scratch, self.guard = scratch, guard
        self.home = scratch / "home-a"
        runtime = scratch / "xdg-runtime"
        runtime.mkdir(mode=0o700)
        # Nothing of the caller's environment that could point anywhere: no HF_* switches
        # (the bundle must set them itself), no proxies unless the guard sets them.
        self.base_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(scratch / "user"),
            "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(runtime),
            **guard.env,
        }  # fmt: skip

    def env(self) -> dict[str, str]:
        return {**self.base_env, "STUDIO_HOME": str(self.home)}

    def run(
        self, *args: str, timeout: float = 300, expect: int = 0
    ) -> subprocess.CompletedProcess[str]:
        label = " ".join(args[:3])
        command = self.guard.wrap([str(self.exe), *args], label)
        started = time.monotonic()
        result = subprocess.run(command, env=self.env(), capture_output=True, text=True,
                                timeout=timeout)  # fmt: skip
        seconds = time.monotonic() - started
        print(f"  {seconds:6.1f} s  studio {' '.join(args)}", flush=True)
        if result.returncode != expect:
            raise SmokeFailure(f"`studio {' '.join(args)}` exited {result.returncode}:\n"
                               f"{result.stdout[-2000:]}\n{result.stderr[-4000:]}")  # fmt: skip
        self.guard.check(label)
        return result


def smoke(bundle: Bundle, version: str) -> dict[str, object]:
    """The checks; returns the timings for the report."""
    out = bundle.scratch / "outputs"
    shown = bundle.run("--version").stdout.strip()
    if shown != f"studio {version}":
        raise SmokeFailure(f"--version says {shown!r}; the checkout is {version}")
    report = json.loads(bundle.run("doctor", "--json").stdout)
    if report["problems"] or not report["offline"]["offline"]:
        raise SmokeFailure(f"doctor: problems {report['problems']}, offline {report['offline']}")
    if Path(report["executable"]).resolve() != bundle.exe.resolve():
        raise SmokeFailure(f"doctor ran {report['executable']}, not the bundle")
    refused = bundle.run("models", "download", "org/model", expect=2).stderr
    if "offline mode is on" not in refused:
        raise SmokeFailure(f"models download was not refused offline:\n{refused}")
    bundle.run("models", "demo")  # the bundle builds its own tiny models: no weights shipped
    pack = bundle.scratch / "demo-image.pack"
    bundle.run("models", "export", "demo-image", "--to", str(pack))
    bundle.home = bundle.scratch / "home-b"  # the air-gapped machine: only the pack arrives
    imported = bundle.run("models", "import", str(pack)).stdout
    if "1 model(s) imported" not in imported:
        raise SmokeFailure(f"models import did not import the pack:\n{imported}")
    image = bundle.run("generate", "image", "--model", "demo-image", "--prompt", "a lighthouse",
                       "--steps", "2", "--size", "64x64", "--seed", "1", "--out", str(out))  # fmt: skip
    _expect_file(image.stdout, b"\x89PNG", b"generative-studio")
    bundle.home = bundle.scratch / "home-a"
    speech = bundle.run("generate", "speech", "--model", "demo-speech", "--text", "hello",
                        "--seed", "1", "--format", "flac", "--out", str(out))  # fmt: skip
    _expect_file(speech.stdout, b"fLaC")  # written by the bundled libsndfile
    translated = bundle.run("generate", "translate", "--model", "demo-translate-pt-en",
                            "--from", "pt", "--to", "en", "--text", "Bom dia.", "--out", str(out))  # fmt: skip
    if not translated.stdout.strip():
        raise SmokeFailure("translate printed nothing")
    # A GGUF as LM Studio or Ollama keep them, through the bundled llama.cpp library. The
    # checkout's venv (which built the bundle) writes it: this script runs before any install.
    gguf = bundle.scratch / "tiny.gguf"
    venv = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    write = ("import sys; from pathlib import Path; from studio.demo_models.gguf import "
             "build_tiny_llama_gguf as b; b(Path(sys.argv[1]), folder=Path(sys.argv[2]))")  # fmt: skip
    subprocess.run([str(venv), "-c", write, str(gguf), str(bundle.scratch / "tiny-hf")],
                   check=True, capture_output=True)  # fmt: skip
    reply = bundle.run("generate", "text", "--model", str(gguf), "--prompt", "hello",
                       "--max-new-tokens", "4", "--seed", "1", "--out", str(out))  # fmt: skip
    sidecars = [Path(line.strip() + ".json") for line in reply.stderr.splitlines()
                if line.strip().endswith(".md")]  # fmt: skip
    backend = json.loads(sidecars[0].read_text())["run"].get("backend") if sidecars else None
    if backend != "llama.cpp":
        raise SmokeFailure(f"a GGUF ran on {backend!r}, not the bundled llama.cpp:\n{reply.stderr}")
    check = bundle.run("gui", "--self-check")
    if "self-check ok" not in check.stdout:
        raise SmokeFailure(f"GUI self-check:\n{check.stdout}\n{check.stderr}")
    return measure_startup(bundle)


def _expect_file(stdout: str, magic: bytes, marker: bytes = b"") -> None:
    paths = [Path(line) for line in stdout.splitlines() if line.strip()]
    files = [p for p in paths if p.is_file()]
    if not files:
        raise SmokeFailure(f"no output file among the printed lines:\n{stdout}")
    data = files[0].read_bytes()
    if not data.startswith(magic) or marker not in data:
        raise SmokeFailure(f"{files[0]} is not the expected file (starts {data[:8]!r})")


def measure_startup(bundle: Bundle, runs: int = 5) -> dict[str, object]:
    """Medians, without strace: `--version`, and process start to the GUI's first paint."""
    env = bundle.env()
    version, paint = [], []
    for _ in range(runs):
        started = time.monotonic()
        subprocess.run(bundle.guard.wrap([str(bundle.exe), "--version"], None), env=env,
                       capture_output=True, check=True)  # fmt: skip
        version.append(time.monotonic() - started)
    for _ in range(3):
        started = time.monotonic()
        with subprocess.Popen(bundle.guard.wrap([str(bundle.exe), "gui", "--self-check"], None),
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True) as process:  # fmt: skip
            for line in process.stdout:  # type: ignore[union-attr]
                if line.startswith("self-check: main window painted"):
                    paint.append(time.monotonic() - started)
            if process.wait(timeout=120) != 0 or not paint:
                raise SmokeFailure("the GUI self-check failed while timing it")
    return {"version_s": statistics.median(version), "first_paint_s": statistics.median(paint)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="test the existing bundle")
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "studio")
    parser.add_argument("--report", type=Path, help="write timings and sizes as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    facts: dict[str, object] = {}
    if not args.no_build:
        started = time.monotonic()
        if subprocess.run([sys.executable, str(ROOT / "dev.py"), "bundle"], cwd=ROOT).returncode:
            print("smoke test: the build failed", file=sys.stderr)
            return 1
        facts["build_s"] = round(time.monotonic() - started)
    version = re.search(r'__version__ = "(.+)"', (ROOT / "studio/__init__.py").read_text())
    scratch = Path(tempfile.mkdtemp(prefix="studio-smoke-"))
    guard = NetworkGuard(scratch / "trace")
    try:
        print(f"smoke test of {args.bundle}; network: {guard.describe()}", flush=True)
        guard.prove_blocked()
        if weights := bundled_weights(args.bundle):
            raise SmokeFailure(f"model weights in the bundle: {weights[:3]}")
        facts |= smoke(Bundle(args.bundle, scratch, guard), version.group(1) if version else "?")
    except (SmokeFailure, GuardError, subprocess.TimeoutExpired) as exc:
        print(f"smoke test FAILED: {exc}\n(scratch folder kept: {scratch})", file=sys.stderr)
        return 1
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    size = sum(
        p.stat().st_size for p in args.bundle.rglob("*") if p.is_file() and not p.is_symlink()
    )
    facts |= {"bundle_mib": round(size / 2**20), "network": guard.describe()}
    print("smoke test passed: " + ", ".join(f"{k} {_show(v)}" for k, v in facts.items()))
    if args.report:
        args.report.write_text(json.dumps(facts, indent=2) + "\n")
    return 0


def _show(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    sys.exit(main())
