"""dev.py's install commands, recorded instead of run: no pip, no network."""

from __future__ import annotations

import hashlib
import importlib.util
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
