"""Where the studio keeps its data: one folder, overridable with STUDIO_HOME."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

APP_NAME = "GenerativeStudio"
HOME_ENV = "STUDIO_HOME"


_PARTS = {"database": "studio.sqlite3", "settings": "settings.json", "cache": "cache",
          "logs": "logs"}  # fmt: skip


@dataclass(frozen=True)
class DataPaths:
    """The data folder and what lives in it, all derived from `home`."""

    home: Path
    database: Path = field(init=False, repr=False)
    settings: Path = field(init=False, repr=False)
    cache: Path = field(init=False, repr=False)
    logs: Path = field(init=False, repr=False)

    def __post_init__(self) -> None:
        for name, part in _PARTS.items():
            object.__setattr__(self, name, self.home / part)

    def ensure(self) -> DataPaths:
        for folder in (self.home, self.cache, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def data_paths() -> DataPaths:
    """The studio's data folder: $STUDIO_HOME, else the platform's user data dir."""
    override = os.environ.get(HOME_ENV)
    if override:
        return DataPaths(Path(override).expanduser().resolve())
    import platformdirs  # small, but only needed when no override is set

    return DataPaths(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))


def default_output_dir() -> Path:
    """Default folder for outputs: a 'Generative Studio' folder in the user's pictures."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser().resolve() / "outputs"
    import platformdirs

    return Path(platformdirs.user_pictures_dir()) / "Generative Studio"
