"""What the bundle spec collects and leaves out (packaging/bundle_config.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging import load_packaging_module

config = load_packaging_module("bundle_config")


@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        ("studio.cli.main", True),
        ("studio.engines.image.engine", True),
        ("transformers.models.llama.modeling_llama", True),
        ("transformers.convert_slow_tokenizer", True),
        ("diffusers.pipelines.stable_diffusion.pipeline_stable_diffusion", True),
        ("transformers.models.llama.convert_llama_weights_to_hf", False),
        ("transformers.testing_utils", False),
        ("diffusers.utils.testing_utils", False),
        ("diffusers.commands.env", False),
        ("transformers.cli.serve", False),
        ("PySide6.QtQuick", False),
    ],
)
def test_submodule_filter(name: str, wanted: bool) -> None:
    assert config.wanted_submodule(name) is wanted


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("torch/lib/libtorch_cpu.so", True),
        ("torch/bin/torch_shm_manager", True),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so", True),
        ("PySide6/Qt/lib/libQt6Quick.so.6", True),  # the FFmpeg media plugin links it
        ("torch/test/test_api", False),
        ("torch/bin/test_interpreter_async.pt", False),
        ("torch/lib/libtorchbind_test.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/lib/libQt6VirtualKeyboard.so.6", False),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
    ],
)
def test_file_filter(path: str, wanted: bool) -> None:
    assert config.wanted_file(path) is wanted


def test_metadata_covers_what_libraries_look_up() -> None:
    names = {name.lower() for name in config.runtime_distributions()}
    needed = {"transformers", "diffusers", "huggingface-hub", "tokenizers", "safetensors",
              "accelerate", "peft", "torch", "numpy", "tqdm", "regex", "requests", "packaging",
              "filelock", "pyyaml", "sentencepiece", "soundfile", "pyside6-essentials", "pillow"}  # fmt: skip
    assert needed <= {n.replace("_", "-") for n in names}
    assert not {"pytest", "hypothesis", "pyinstaller", "ruff"} & names


def test_weights_are_found_but_tokenizer_rules_are_not_weights(tmp_path: Path) -> None:
    (tmp_path / "_internal" / "sentencepiece" / "package_data").mkdir(parents=True)
    (tmp_path / "_internal" / "sentencepiece" / "package_data" / "nfkc.bin").write_bytes(b"x")
    (tmp_path / "_internal" / "model.safetensors").write_bytes(b"x")
    assert config.bundled_weights(tmp_path) == [tmp_path / "_internal" / "model.safetensors"]


# Runs the studio in a fresh interpreter and lists what it imported.
IMPORTS = r"""
import sys
from studio.cli.main import main
import studio.gui.main_window
code = main(sys.argv[1:])
print("RC", code)
print("MODULES", " ".join(sorted(sys.modules)))
"""


def test_a_generation_and_the_gui_import_nothing_the_bundle_excludes(
    tiny_sd: Path, tmp_path: Path, studio_home: Path
) -> None:
    env = {**os.environ, "STUDIO_HOME": str(studio_home), "QT_QPA_PLATFORM": "offscreen"}
    argv = ["generate", "image", "--model", str(tiny_sd), "--prompt", "fox", "--steps", "1",
            "--size", "64x64", "--seed", "1", "--out", str(tmp_path / "out")]  # fmt: skip
    result = subprocess.run([sys.executable, "-c", IMPORTS, *argv], capture_output=True,
                            text=True, env=env, timeout=300)  # fmt: skip
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert lines.get("RC") == "0", result.stderr[-3000:]
    imported = lines["MODULES"].split()
    excluded = [
        m for m in imported if not config.wanted_submodule(m) and m not in config.OPTIONAL_IMPORTS
    ]
    assert excluded == []
