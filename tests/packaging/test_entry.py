"""The bundle's entry point: freeze_support first, then the offline switches, then the CLI."""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from studio import __version__

ENTRY = Path(__file__).resolve().parents[2] / "packaging" / "entry.py"
HF = ("huggingface_hub", "transformers", "diffusers")


def _load_entry() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("studio_bundle_entry", ENTRY)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_entry_sets_offline_switches_before_the_cli_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, object]] = []
    fake_cli = types.ModuleType("studio.cli.main")

    def fake_main() -> int:
        calls.append(("cli", os.environ.get("HF_HUB_OFFLINE")))
        return 7

    fake_cli.main = fake_main  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "studio.cli.main", fake_cli)
    monkeypatch.setattr(multiprocessing, "freeze_support", lambda: calls.append(("freeze", None)))
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    assert _load_entry().main() == 7
    assert calls == [("freeze", None), ("cli", "1")]
    assert os.environ["TRANSFORMERS_OFFLINE"] == "1" and os.environ["HF_DATASETS_OFFLINE"] == "1"


def test_entry_runs_the_real_cli_without_importing_hf_libraries(tmp_path: Path) -> None:
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['studio', '--version']\n"
        f"try:\n    runpy.run_path({str(ENTRY)!r}, run_name='__main__')\n"
        "except SystemExit as exit:\n"
        f"    print('EXIT', exit.code, sorted(m for m in {HF!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "STUDIO_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env=env, timeout=60)  # fmt: skip
    assert result.stdout.splitlines() == [f"studio {__version__}", "EXIT 0 []"], result.stderr
