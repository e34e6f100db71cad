"""The layer boundaries of docs/architecture.md, checked on every test run."""

from __future__ import annotations

import json
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import studio
import studio.models

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HEAVY = ("torch", "diffusers", "transformers", "accelerate", "llama_cpp")
QT = ("PySide6", "shiboken6", "superqt")
# Packages that the GUI and `studio --help` import: none may pull in ML libraries.
LIGHT_PACKAGES = ("studio.core", "studio.cli", "studio.runtime", "studio.gui")


def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} is not installed (it is part of the test extras)"
    return found


def test_import_contracts_hold() -> None:
    result = subprocess.run(
        [tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    contracts = (ROOT / "pyproject.toml").read_text().count("[[tool.importlinter.contracts]]")
    assert f"Contracts: {contracts} kept, 0 broken." in result.stdout  # every one ran


def test_no_module_level_heavy_imports_outside_engines_and_loading() -> None:
    # ruff TID253 (banned-module-level-imports) as configured in pyproject.toml.
    result = subprocess.run(
        [tool("ruff"), "check", "--select", "TID253", "--output-format", "concise", "studio"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout


def test_lint_is_clean() -> None:
    result = subprocess.run([tool("ruff"), "check", "--output-format", "concise", "."],
                            cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]


def light_modules() -> list[str]:
    names = []
    for package in LIGHT_PACKAGES:
        module = __import__(package, fromlist=["_"])
        names.append(package)
        names += [m.name for m in pkgutil.walk_packages(module.__path__, prefix=package + ".")]
    return names


def imported_heavy(code: str, watched: tuple[str, ...] = HEAVY, cwd: Path = ROOT) -> list[str]:
    """Which of `watched` a fresh interpreter has loaded after running `code` in `cwd`
    (`-c` puts cwd first on sys.path, so a copy of the tree there is the one imported)."""
    probe = (
        code
        + f"\nimport sys, json\nprint(json.dumps([m for m in {watched!r} if m in sys.modules]))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=cwd)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_gui_cli_runtime_and_core_modules_import_no_ml_library() -> None:
    modules = light_modules()
    assert "studio.gui.main_window" in modules and "studio.runtime.generation" in modules
    code = "import os\nos.environ['QT_QPA_PLATFORM'] = 'offscreen'\n" + "\n".join(
        f"import {name}" for name in modules
    )
    assert imported_heavy(code) == []


# `studio --help` and its subcommands' help, `gui --help` included: none may load an ML
# library or Qt (the window's own start-up imports PySide6, not the CLI's help).
HELP_PROBE = (
    "import contextlib, io\nfrom studio.cli.main import main\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    for argv in (['--help'], ['generate', 'image', '--help'], ['gallery', '--help'],\n"
    "                 ['batch', '--help'], ['models', '--help'], ['gui', '--help']):\n"
    "        try:\n            main(argv)\n        except SystemExit:\n            pass"
)


def test_studio_help_imports_no_ml_library_and_no_qt() -> None:
    assert imported_heavy(HELP_PROBE, HEAVY + QT) == []


def test_the_help_probe_catches_a_planted_import(tmp_path: Path) -> None:
    """Keep the probe strict: `studio --help` that loads Qt or torch must be seen."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "studio", copy / "studio", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "torch.py").write_text("")  # a stand-in: the real one takes seconds to import
    main = copy / "studio" / "cli" / "main.py"
    main.write_text(main.read_text(encoding="utf-8") + "\nimport PySide6.QtCore\nimport torch\n")
    assert imported_heavy(HELP_PROBE, HEAVY + QT, cwd=copy) == ["torch", "PySide6", "shiboken6"]


def test_the_checker_catches_a_planted_violation(tmp_path: Path) -> None:
    """Keep the check strict: a core module importing torch must fail the contracts."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "studio", copy / "studio", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    (copy / "studio" / "core" / "sneaky.py").write_text(
        "import torch\nimport studio.engines.image\n"
    )
    result = subprocess.run(
        [tool("lint-imports"), "--no-cache"], cwd=copy, capture_output=True, text=True,
        env={"PATH": str(BIN), "PYTHONPATH": str(copy)},
    )  # fmt: skip
    assert result.returncode != 0
    assert "studio.core.sneaky -> torch" in result.stdout
    assert "BROKEN" in result.stdout
    assert Path(studio.__file__).parent == ROOT / "studio"  # we checked the real tree above


@pytest.mark.parametrize("package", ["studio.core"])
def test_core_has_no_qt_or_torch_even_indirectly(package: str) -> None:
    code = "\n".join(f"import {m}" for m in light_modules() if m.startswith(package))
    extra = (
        "\nimport sys\nassert not any(m.startswith('PySide6') for m in sys.modules), 'Qt in core'"
    )
    assert imported_heavy(code + extra) == []


def test_the_gui_contract_forbids_all_of_models_but_catalog_and_operations() -> None:
    """The GUI's model-manager contract lists submodules by name: a new one must join it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"]
                   if c.get("source_modules") == ["studio.gui"]
                   and any(m.startswith("studio.models.") for m in c["forbidden_modules"])]  # fmt: skip
    parts = {m.name for m in pkgutil.iter_modules(studio.models.__path__, "studio.models.")}
    allowed = {"studio.models.catalog", "studio.models.operations"}
    assert allowed <= parts
    assert set(contract["forbidden_modules"]) == parts - allowed
