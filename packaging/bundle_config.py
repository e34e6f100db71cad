"""What goes into the PyInstaller bundle and what stays out; read by studio.spec and the tests.

Standard library only (plus `packaging`, which PyInstaller itself requires), so the
lists can be checked without PyInstaller installed.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

ROOT_DISTRIBUTION = "generative-studio"

# Loaded by name at run time, invisible to PyInstaller's import analysis: diffusers and
# transformers are lazy modules, and pipelines name their classes in model_index.json /
# config.json. Every submodule goes in, except the filtered ones below.
ALL_SUBMODULES = ("studio", "diffusers", "transformers")

# Kept as source files beside the bytecode: torch.jit.script needs the source, and
# transformers reads its modeling modules' source to decide which attention it may use.
# (PyInstaller's contrib hooks ask the same for torch and transformers; the spec says it
# again so that the bundle does not depend on a hook release.)
WITH_SOURCE = ("torch", "transformers", "diffusers")

# Data files read at run time that no hook collects: sentencepiece's normalization rules
# (Marian, M2M100, NLLB and T5 tokenizers fail without them).
DATA_FILES = {"sentencepiece": ["package_data/*.bin"]}

# Shared libraries that a package loads with ctypes from its own folder, which no hook
# collects: llama-cpp-python's llama_cpp/lib/ (libllama, libggml*). Skipped when the
# package is not installed: GGUF models then run through transformers.
DYNAMIC_LIBS = ("llama_cpp",)

# Qt modules the GUI needs besides those it imports at start-up: SVG icons, and audio
# playback (imported when an audio output is first opened). On Linux, QtMultimedia loads
# the system's PulseAudio client library (libpulse0), which desktops have and the bundle
# does not carry.
QT_EXTRA = ("PySide6.QtSvg", "PySide6.QtSvgWidgets", "PySide6.QtMultimedia")

_UNUSED_QT = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtAsyncio", "QtBluetooth", "QtCanvasPainter", "QtCharts", "QtDataVisualization",
    "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLabsStyleKit",
    "QtLocation", "QtNetworkAuth", "QtNfc", "QtPdf", "QtPdfWidgets", "QtPositioning", "QtQml",
    "QtQmlFeatures", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickTest", "QtQuickWidgets",
    "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio",
    "QtSql", "QtStateMachine", "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel",
    "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView",
)  # fmt: skip

# Never imported by the studio at run time (tests/packaging/test_bundle_config.py checks
# that a generation and the GUI import none of them).
EXCLUDES = (
    # test and development tools that sit in the build venv
    "pytest", "_pytest", "pluggy", "iniconfig", "hypothesis", "pytestqt", "pytest_timeout",
    "importlinter", "grimp", "sd_parsers", "PyInstaller", "_pyinstaller_hooks_contrib",
    # the libraries' own test helpers (they import pytest; `import torch` itself loads a
    # few modules of torch.testing._internal, so that one stays)
    "transformers.testing_utils", "diffusers.utils.testing_utils",
    # interactive and plotting front ends some libraries import when present
    "IPython", "ipykernel", "ipywidgets", "jupyter_client", "jupyter_core", "notebook",
    "matplotlib", "tkinter", "_tkinter", "tensorboard", "torch.utils.tensorboard",
    # the compiler stack for torch.compile, which the studio never calls (hundreds of MB
    # with a CUDA torch build)
    "triton",
    # other Qt bindings (qtpy, used by superqt, looks for them)
    "PyQt5", "PyQt6", "PySide2",
    *(f"PySide6.{name}" for name in _UNUSED_QT),
)  # fmt: skip

# Submodules that collect_submodules would add and nothing needs: command lines and
# checkpoint conversion scripts (they import packages the studio does not ship).
_SKIPPED_SUBMODULE = re.compile(
    r"^(diffusers|transformers)\.(commands|cli)(\.|$)|\.models\.[^.]+\.convert_|\.testing_utils$"
)


# Excluded modules that something imports only inside `suppress(ImportError)`: qtpy (under
# superqt) tries QtDataVisualization for old-binding compatibility and goes on without it.
OPTIONAL_IMPORTS = ("PySide6.QtDataVisualization",)


def wanted_submodule(name: str) -> bool:
    """Filter for collect_submodules over ALL_SUBMODULES."""
    excluded = any(name == e or name.startswith(e + ".") for e in EXCLUDES)
    return not excluded and not _SKIPPED_SUBMODULE.search(name)


# Files of the torch wheel and of Qt that nothing at run time loads: torch's C++ test
# programs and test libraries (about 130 MB), Qt's virtual keyboard (an input method for
# touch screens) and its PDF image plugin. torch_shm_manager stays: tensors shared
# between processes need it. (QtQuick and QML stay too: Qt's FFmpeg media plugin links them.)
_UNUSED_FILE = re.compile(
    r"^torch/(test|include|share)/"
    r"|^torch/bin/(?!torch_shm_manager)"
    r"|^torch/lib/lib(jitbackend_test|torchbind_test|backend_with_compiler|aoti_custom_ops)\."
    r"|/plugins/platforminputcontexts/libqtvirtualkeyboardplugin\."
    r"|/plugins/imageformats/libqpdf\."
    r"|/lib/libQt6(VirtualKeyboard|Pdf)\w*\.so"
)


# Shared libraries shipped with their full symbol tables, which only debuggers read:
# stripping them saves about 100 MB (torch's CPU library alone is 434 MB with, 345 without).
STRIP = ("torch/lib/*.so*",)


def wanted_file(destination: str) -> bool:
    """Filter for the Analysis binaries and datas (their path inside the bundle)."""
    return not _UNUSED_FILE.search(destination.replace("\\", "/"))


def runtime_distributions(root: str = ROOT_DISTRIBUTION) -> list[str]:
    """Every installed distribution the studio needs at run time (no extras), by name.

    Their metadata goes into the bundle: transformers, diffusers and accelerate decide
    whether an optional dependency exists with importlib.metadata, and a missing
    record silently disables it (diffusers without transformers' record cannot load a
    text encoder).
    """
    from packaging.requirements import Requirement

    found: dict[str, str] = {}
    todo = [root]
    while todo:
        key = _canonical(todo.pop())
        if key in found:
            continue
        try:
            dist = metadata.distribution(key)
        except metadata.PackageNotFoundError:
            continue  # a requirement for another platform or Python
        found[key] = dist.metadata["Name"]
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return sorted(found.values(), key=str.lower)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# A model weight inside the bundle would be a packaging mistake (and a licence problem).
WEIGHT_SUFFIXES = (".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".gguf", ".onnx", ".msgpack")
_NOT_WEIGHTS = ("sentencepiece/package_data/",)


def bundled_weights(bundle: Path) -> list[Path]:
    """Files in `bundle` that look like model weights (there must be none)."""
    return [
        path for path in bundle.rglob("*")
        if path.suffix.lower() in WEIGHT_SUFFIXES and path.is_file()
        and not any(part in path.as_posix() for part in _NOT_WEIGHTS)
    ]  # fmt: skip
