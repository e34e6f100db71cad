"""User settings: a typed dataclass saved as JSON in the data folder (atomically)."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.errors import StudioError
from studio.core.outputs.atomic import write_atomic
from studio.core.paths import data_paths


@dataclass
class Settings:
    model_folders: list[str] = field(default_factory=list)
    output_folder: str = ""  # empty: the default under the user's pictures
    filename_template: str = ""  # empty: the default template
    device: str = "auto"
    precision: str = "auto"
    memory_budget_gb: float = 0.0  # 0: sized from the machine's RAM/VRAM

    def add_model_folder(self, folder: Path) -> bool:
        text = str(folder.expanduser().resolve())
        if text in self.model_folders:
            return False
        self.model_folders.append(text)
        return True


def load_settings(path: Path | None = None) -> Settings:
    path = path or data_paths().settings
    if not path.exists():
        return Settings()
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StudioError(f"settings file {path} is unreadable ({exc}); fix or delete it") from None
    known = {f.name for f in dataclasses.fields(Settings)}
    return Settings(**{k: v for k, v in data.items() if k in known})


def save_settings(settings: Settings, path: Path | None = None) -> None:
    path = path or data_paths().ensure().settings
    text = json.dumps(dataclasses.asdict(settings), indent=2, ensure_ascii=False)
    write_atomic(path, text.encode("utf-8"), overwrite=True)
