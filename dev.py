#!/usr/bin/env python3
"""Set up and run Generative Studio from a checkout: `python3 dev.py run` or `python3 dev.py test`.

`python3 dev.py bundle` builds the offline one-folder bundle dist/studio/ (packaging/).

Creates (or reuses) a project-local virtual environment in .venv and installs the
studio into it. On a machine without an NVIDIA GPU, torch is pinned to 2.13.0 first;
that is a CPU build only where pip's configured indexes offer one: PyPI's Linux torch
wheels are CUDA builds with several GB of nvidia-* packages. STUDIO_TORCH_INDEX=cpu
(or another name under https://download.pytorch.org/whl/, or any index URL) takes
torch from that index instead; .venv remembers it ("default" returns to pip's own
indexes). With an NVIDIA GPU and no index chosen, pip's default (CUDA) build is used.
`run` and `test` also build llama-cpp-python (GGUF models; the `llama` extra) from source:
portable CPU code, CUDA where there is an NVIDIA GPU and nvcc; CMAKE_ARGS, when set, is
used as it is. If that build fails, the set-up goes on (GGUF then runs through transformers).
Re-installs only when pyproject.toml or these choices change.
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
PINNED_TORCH = "torch==2.13.0"
TORCH_INDEXES = "https://download.pytorch.org/whl/"  # + cpu, cu126, rocm6.4, ...
STAMP = VENV / ".studio-install"
LLAMA = "llama"  # the extra built from source with its own flags
# llama.cpp's default (GGML_NATIVE) tunes the build to this CPU: a wheel that pip caches, or
# a copied venv, would then crash on an older CPU. Its tests and examples are not needed.
LLAMA_FLAGS = "-DGGML_NATIVE=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF"


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


def torch_index(remembered: str) -> str:
    """The index URL torch comes from ("" for pip's own indexes): STUDIO_TORCH_INDEX when
    set ("default" for pip's own), else the one .venv was installed from, so the variable
    is needed once and a later command without it does not swap the torch build back."""
    value = os.environ.get("STUDIO_TORCH_INDEX", "").strip()
    if not value:
        return remembered
    if value.lower() == "default":
        return ""
    return value if "://" in value else TORCH_INDEXES + value.lower()


def pip(command: str, *args: str) -> None:
    cmd = [str(venv_python()), "-m", "pip", command, "--disable-pip-version-check", *args]
    print("+", " ".join(cmd[3:]), flush=True)
    subprocess.run(cmd, check=True)


def optional_requirements(extra: str) -> list[str]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return list(project["optional-dependencies"][extra])


def llama_cmake_args(gpu: bool) -> str:
    return LLAMA_FLAGS + (" -DGGML_CUDA=on" if gpu and shutil.which("nvcc") else "")


def installed_llama_gpu() -> bool | None:
    """Whether the installed llama-cpp-python offloads to a GPU (None: not installed)."""
    probe = "import llama_cpp; print(llama_cpp.llama_supports_gpu_offload())"
    try:
        done = subprocess.run([str(venv_python()), "-c", probe], capture_output=True, text=True,
                              timeout=120)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    return {"True": True, "False": False}.get(done.stdout.strip()) if done.returncode == 0 else None


def install_llama(gpu: bool) -> None:
    """The llama extra, with CMAKE_ARGS set for this install only (unless the user set it)."""
    flags = os.environ.get("CMAKE_ARGS") or llama_cmake_args(gpu)
    args = ["install", *optional_requirements(LLAMA)]
    if "ggml_cuda=on" in flags.lower().replace(" ", ""):
        # pip's wheel cache keys a build by its source, not by CMAKE_ARGS: it would hand back
        # a CPU build made earlier, or keep the one installed. Build afresh until it is CUDA.
        state = installed_llama_gpu()
        if state is False:
            args[1:1] = ["--force-reinstall", "--no-deps", "--no-cache-dir"]
        elif state is None:
            args[1:1] = ["--no-cache-dir"]
        else:
            return
    saved = os.environ.get("CMAKE_ARGS")
    os.environ["CMAKE_ARGS"] = flags
    try:
        pip(*args)
    except subprocess.CalledProcessError:
        print("llama-cpp-python did not build (it needs a C++ compiler and CMake): GGUF models "
              "will run through transformers, dequantized. Install it by hand to retry.",
              file=sys.stderr, flush=True)  # fmt: skip
    finally:
        if saved is None:
            os.environ.pop("CMAKE_ARGS", None)
        else:
            os.environ["CMAKE_ARGS"] = saved


def ensure_environment(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs before any install
        sys.exit(f"Generative Studio needs Python 3.11 or newer (this is {sys.version.split()[0]})")
    # The stamp: "hash extras index" (stamps from before the index option lack the index).
    stamp_hash, stamp_extras, stamp_index = "", "", ""
    if venv_python().exists() and STAMP.exists():
        stamp_hash, _, rest = STAMP.read_text().strip().partition(" ")
        stamp_extras, _, stamp_index = rest.partition(" ")
    gpu, index = has_nvidia_gpu(), torch_index(stamp_index)
    choice = f"|gpu={gpu}" + (f"|torch-index={index}" if index else "")  # old stamps still hold
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + choice.encode()).hexdigest()
    wanted_extras = set(filter(None, extras.split(",")))
    installed = set(filter(None, stamp_extras.split(",")))
    if stamp_hash == wanted and wanted_extras <= installed:
        return  # already installed (a test install also serves `run`)
    switched = bool(stamp_hash) and stamp_index != index
    extras = ",".join(sorted(wanted_extras | installed))  # keep what an earlier command added
    if not venv_python().exists():
        print(f"Creating a virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if switched:  # pip counts the installed 2.13.0 as a match whichever build it is
        pip("uninstall", "-y", "torch")
    if index:  # --index-url (as torch's own instructions say) for this one install only
        pip("install", PINNED_TORCH, "--index-url", index)
    elif not gpu:
        pip("install", PINNED_TORCH)  # satisfies torch>=2.6 so nothing bigger follows
    plain = ",".join(e for e in extras.split(",") if e and e != LLAMA)
    pip("install", "-e", f".[{plain}]" if plain else ".")
    if LLAMA in extras.split(","):
        install_llama(gpu)  # a failed build is not retried until the stamp changes
    STAMP.write_text(f"{wanted} {extras} {index}")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "help"
    rest = argv[1:]
    if command == "run":
        ensure_environment(LLAMA)
        return subprocess.call([str(venv_python()), "-m", "studio", *rest])
    if command == "test":
        ensure_environment(f"{LLAMA},test")
        return subprocess.call([str(venv_python()), "-m", "pytest", *rest], cwd=ROOT)
    if command == "bundle":
        ensure_environment(f"bundle,{LLAMA}")  # GGUF through llama.cpp in the bundle too
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
        ensure_environment(f"{LLAMA},test")
        return 0
    print(__doc__.strip().splitlines()[0])
    print(
        "commands: run [studio args]   test [pytest args]   setup   bundle [--clean]   "
        "screenshots [folder] [--dark]"
    )
    return 0 if command in ("help", "-h", "--help") else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
