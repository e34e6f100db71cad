"""User settings: a typed dataclass saved as JSON in the data folder (atomically)."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.errors import StudioError
from studio.core.outputs.atomic import write_atomic
from studio.core.outputs.naming import FilenameTemplate
from studio.core.paths import data_paths

# What studio.engines.devices accepts (resolve_device, resolve_dtype). core cannot import
# engines (they import torch), so the lists live here too; a test keeps them in step.
DEVICE_PATTERN = re.compile(r"auto|cpu|mps|cuda(:\d+)?")
PRECISIONS = ("auto", "fp32", "fp16", "bf16")
LANGUAGES = ("", "en", "pt_BR")  # "": the system's language
MAX_MEMORY_BUDGET_GB = 4096.0


@dataclass
class Settings:
    model_folders: list[str] = field(default_factory=list)
    output_folder: str = ""  # empty: the default under the user's pictures
    filename_template: str = ""  # empty: the default template
    device: str = "auto"
    precision: str = "auto"
    memory_budget_gb: float = 0.0  # 0: sized from the machine's RAM/VRAM
    offline: bool = True  # no network at all, not even for downloads the user asks for
    strip_metadata: bool = False  # outputs carry the AI label only, no prompt or parameters
    language: str = ""  # interface language; "" follows the system

    def add_model_folder(self, folder: Path) -> bool:
        text = str(folder.expanduser().resolve())
        if text in self.model_folders:
            return False
        self.model_folders.append(text)
        return True

    def errors_by_field(self, previous: Settings | None = None) -> dict[str, str]:
        """One line per field the studio cannot use. Model folders already saved in
        `previous` may be missing (an unplugged drive); new ones must exist."""
        errors: dict[str, str] = {}
        kept = set(previous.model_folders) if previous is not None else set()
        for folder in self.model_folders:
            path = Path(folder).expanduser()
            if path.exists() and not path.is_dir():
                errors["model_folders"] = f"model folder {folder} is a file, not a folder"
            elif not path.exists() and folder not in kept:
                errors["model_folders"] = f"model folder {folder} does not exist"
            if "model_folders" in errors:
                break
        if self.output_folder.strip():
            out = Path(self.output_folder).expanduser()
            if not out.is_dir():
                what = "is not a folder" if out.exists() else "does not exist"
                errors["output_folder"] = f"output folder {self.output_folder} {what}"
        if self.filename_template.strip():
            try:
                FilenameTemplate(self.filename_template)
            except StudioError as exc:
                errors["filename_template"] = str(exc)
        if not DEVICE_PATTERN.fullmatch(self.device):
            errors["device"] = (
                f"unknown device {self.device!r} (use auto, cpu, cuda, cuda:N or mps)"
            )
        if self.precision not in PRECISIONS:
            errors["precision"] = (
                f"unknown precision {self.precision!r} (use {', '.join(PRECISIONS)})"
            )
        budget = self.memory_budget_gb
        if not 0 <= budget <= MAX_MEMORY_BUDGET_GB:  # NaN fails this too
            errors["memory_budget_gb"] = (
                f"memory budget must be between 0 (automatic) and {MAX_MEMORY_BUDGET_GB:g} GB, "
                f"not {budget:g}"
            )
        if self.language not in LANGUAGES:
            errors["language"] = f"unknown interface language {self.language!r}"
        return errors

    def validate(self, previous: Settings | None = None) -> list[str]:
        """The one-line errors of errors_by_field, in field order; empty when all is well."""
        return list(self.errors_by_field(previous).values())


# The JSON type each field must have; ints are fine where a float is expected.
_TYPES: dict[str, tuple[type, ...]] = {
    "model_folders": (list,), "output_folder": (str,), "filename_template": (str,),
    "device": (str,), "precision": (str,), "memory_budget_gb": (int, float),
    "offline": (bool,), "strip_metadata": (bool,), "language": (str,),
}  # fmt: skip


def _checked(path: Path, data: object) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise StudioError(f"settings file {path} does not hold a JSON object; fix or delete it")
    values = {k: v for k, v in data.items() if k in _TYPES}  # unknown keys: newer versions
    for name, value in values.items():
        expected = _TYPES[name]
        # bool is an int subclass: `true` is no memory budget.
        bad = not isinstance(value, expected) or (bool not in expected and isinstance(value, bool))
        if name == "model_folders" and not bad:
            bad = not all(isinstance(item, str) for item in value)
        if bad:
            raise StudioError(
                f"settings file {path}: {name} has a value of the wrong type ({value!r}); "
                "fix or delete it"
            )
    if "memory_budget_gb" in values:
        values["memory_budget_gb"] = float(values["memory_budget_gb"])
    return values


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings (defaults when there is no file); StudioError when unreadable."""
    path = path or data_paths().settings
    if not path.exists():
        return Settings()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StudioError(f"settings file {path} is unreadable ({exc}); fix or delete it") from None
    return Settings(**_checked(path, data))


def save_settings(settings: Settings, path: Path | None = None) -> None:
    path = path or data_paths().ensure().settings
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StudioError(f"cannot create {path.parent}: {exc.strerror or exc}") from None
    text = json.dumps(dataclasses.asdict(settings), indent=2, ensure_ascii=False)
    write_atomic(path, text.encode("utf-8"), overwrite=True)
