"""dev.py's install commands, recorded instead of run: no pip, no network."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


@pytest.fixture
def dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    python = tmp_path / "python"
    python.write_text("")  # an existing venv: nothing is created
    monkeypatch.setattr(module, "venv_python", lambda: python)
    monkeypatch.setattr(module, "STAMP", tmp_path / ".studio-install")
    monkeypatch.setattr(module, "has_nvidia_gpu", lambda: False)
    monkeypatch.delenv("STUDIO_TORCH_INDEX", raising=False)
    module.calls = []
    monkeypatch.setattr(module, "pip", lambda *args: module.calls.append(args))
    return module


def setup(dev: ModuleType, extras: str = "test") -> list[tuple[str, ...]]:
    dev.calls.clear()
    dev.ensure_environment(extras)
    return list(dev.calls)


def test_default_pins_torch_from_pips_own_indexes_then_installs_once(dev: ModuleType) -> None:
    assert setup(dev) == [("install", "torch==2.13.0"), ("install", "-e", ".[test]")]
    assert setup(dev) == []  # the stamp says it is done
    assert setup(dev, "") == []  # a test install also serves `run`


def test_a_gpu_machine_takes_pips_default_torch(
    dev: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dev, "has_nvidia_gpu", lambda: True)
    assert setup(dev, "") == [("install", "-e", ".")]


@pytest.mark.parametrize(
    ("value", "url"),
    [("cpu", CPU_INDEX), (" CPU ", CPU_INDEX), ("cu126", "https://download.pytorch.org/whl/cu126"),
     ("https://mirror.example/torch/simple", "https://mirror.example/torch/simple")],
)  # fmt: skip
def test_the_torch_index_goes_to_the_torch_install_only(
    dev: ModuleType, monkeypatch: pytest.MonkeyPatch, value: str, url: str
) -> None:
    monkeypatch.setenv("STUDIO_TORCH_INDEX", value)
    assert setup(dev) == [
        ("install", "torch==2.13.0", "--index-url", url),
        ("install", "-e", ".[test]"),
    ]
    monkeypatch.setattr(dev, "has_nvidia_gpu", lambda: True)  # asked for: on a GPU machine too
    assert ("install", "torch==2.13.0", "--index-url", url) in setup(dev)


def test_switching_the_index_reinstalls_torch(
    dev: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup(dev)
    monkeypatch.setenv("STUDIO_TORCH_INDEX", "cpu")
    # An installed torch 2.13.0 satisfies "torch==2.13.0" whatever its build: remove it first.
    assert setup(dev) == [
        ("uninstall", "-y", "torch"),
        ("install", "torch==2.13.0", "--index-url", CPU_INDEX),
        ("install", "-e", ".[test]"),
    ]
    assert setup(dev) == []
    monkeypatch.delenv("STUDIO_TORCH_INDEX")
    assert setup(dev) == []  # .venv remembers the index: later commands need no variable
    monkeypatch.setenv("STUDIO_TORCH_INDEX", "default")  # back to pip's own indexes
    assert setup(dev) == [
        ("uninstall", "-y", "torch"),
        ("install", "torch==2.13.0"),
        ("install", "-e", ".[test]"),
    ]


def test_a_stamp_from_before_the_index_option_still_counts(dev: ModuleType) -> None:
    old = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + b"|gpu=False").hexdigest()
    dev.STAMP.write_text(f"{old} test")  # "hash extras", the old format
    assert setup(dev) == []
    dev.STAMP.write_text("0123abcd test")  # an outdated one: re-installed, torch kept
    assert setup(dev) == [("install", "torch==2.13.0"), ("install", "-e", ".[test]")]


def test_extras_accumulate_and_a_missing_venv_ignores_the_stamp(
    dev: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup(dev)
    assert setup(dev, "bundle")[-1] == ("install", "-e", ".[bundle,test]")
    dev.venv_python().unlink()  # .venv deleted, stamp left behind: a fresh install
    created = []
    monkeypatch.setattr(dev.venv, "EnvBuilder", lambda **_: SimpleNamespace(create=created.append))
    assert setup(dev) == [("install", "torch==2.13.0"), ("install", "-e", ".[test]")]
    assert created == [dev.VENV]


def llama_setup(dev: ModuleType, monkeypatch: pytest.MonkeyPatch, extras: str = "llama,test"):  # type: ignore[no-untyped-def]
    """The install commands with the CMAKE_ARGS each one saw."""
    seen: list[tuple[tuple[str, ...], str | None]] = []
    monkeypatch.setattr(dev, "pip", lambda *args: seen.append((args, os.environ.get("CMAKE_ARGS"))))
    dev.ensure_environment(extras)
    return seen


def test_llama_cpp_is_built_with_portable_flags_for_its_install_only(
    dev: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CMAKE_ARGS", raising=False)
    flags = "-DGGML_NATIVE=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF"
    assert llama_setup(dev, monkeypatch) == [
        (("install", "torch==2.13.0"), None),
        (("install", "-e", ".[test]"), None),  # the studio's own install builds nothing
        (("install", "llama-cpp-python==0.3.36"), flags),  # the pin of pyproject's extra
    ]
    assert "CMAKE_ARGS" not in os.environ  # set for that install only
    assert llama_setup(dev, monkeypatch, "llama") == []  # done: `run` needs nothing more
    assert dev.STAMP.read_text().split()[1] == "llama,test"


def test_a_gpu_with_nvcc_builds_cuda_and_replaces_a_cpu_build(
    dev: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CMAKE_ARGS", raising=False)
    monkeypatch.setattr(dev, "has_nvidia_gpu", lambda: True)
    monkeypatch.setattr(dev.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(dev, "installed_llama_gpu", lambda: False)  # a CPU build is there
    *_, (args, flags) = llama_setup(dev, monkeypatch)
    assert flags is not None and flags.endswith(" -DGGML_CUDA=on")
    # pip's wheel cache does not key builds by CMAKE_ARGS: bypass it, replace the CPU build.
    assert args == ("install", "--force-reinstall", "--no-deps", "--no-cache-dir",
                    "llama-cpp-python==0.3.36")  # fmt: skip
    dev.STAMP.unlink()
    monkeypatch.setattr(dev, "installed_llama_gpu", lambda: True)  # already a CUDA build
    assert [a for a, _ in llama_setup(dev, monkeypatch)] == [("install", "-e", ".[test]")]
    monkeypatch.setattr(dev.shutil, "which", lambda name: None)  # a GPU but no CUDA compiler
    dev.STAMP.unlink()
    assert llama_setup(dev, monkeypatch)[-1][1] == dev.LLAMA_FLAGS


def test_the_users_cmake_args_win_and_a_failed_build_does_not_stop_the_setup(
    dev: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CMAKE_ARGS", "-DGGML_VULKAN=on")
    assert llama_setup(dev, monkeypatch)[-1][1] == "-DGGML_VULKAN=on"

    def failing(*args: str) -> None:
        if args[1].startswith("llama-cpp-python"):
            raise subprocess.CalledProcessError(1, "pip")

    dev.STAMP.unlink()
    monkeypatch.setattr(dev, "pip", failing)
    dev.ensure_environment("llama,test")
    assert "GGUF models will run through transformers" in capsys.readouterr().err
    assert dev.STAMP.exists()  # not retried on every command: the stamp says done
    assert os.environ["CMAKE_ARGS"] == "-DGGML_VULKAN=on"  # the user's value is left as it was
