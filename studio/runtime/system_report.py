"""What `studio doctor` and the GUI's about box report about this installation."""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from typing import Any

from studio import __version__
from studio.core.offline import offline_state
from studio.core.paths import data_paths, default_output_dir

LIBRARIES = (
    "torch", "diffusers", "transformers", "accelerate", "safetensors", "huggingface_hub",
    "PySide6", "soundfile", "numpy", "Pillow", "platformdirs",
)  # fmt: skip
# Libraries installed under another distribution name (we depend on PySide6's parts).
_DISTRIBUTIONS = {"PySide6": ("PySide6-Essentials", "PySide6")}


def library_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in LIBRARIES:
        versions[name] = None
        for distribution in _DISTRIBUTIONS.get(name, (name,)):
            try:
                versions[name] = metadata.version(distribution)
                break
            except metadata.PackageNotFoundError:
                continue
    return versions


def system_report() -> dict[str, Any]:
    problems: list[str] = []
    versions = library_versions()
    problems += [f"{name} is not installed" for name, v in versions.items() if v is None]
    try:
        import soundfile

        versions["libsndfile"] = soundfile.__libsndfile_version__
    except (ImportError, OSError) as exc:
        problems.append(f"soundfile cannot load libsndfile: {exc}")
    try:
        from studio.engines.devices import describe_devices

        devices = describe_devices()
    except ImportError as exc:
        devices = []
        problems.append(f"torch cannot be imported: {exc}")
    paths = data_paths()
    return {
        "studio": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "executable": sys.executable,
        "libraries": versions,
        "devices": devices,
        "offline": offline_state(),
        "data": {
            "home": str(paths.home),
            "database": str(paths.database),
            "cache": str(paths.cache),
            "logs": str(paths.logs),
            "outputs": str(default_output_dir()),
        },
        "problems": problems,
    }
