"""Unexpected exceptions go to a log file in the data folder, not onto the user's terminal."""

from __future__ import annotations

import traceback
from datetime import datetime

from studio.core.paths import data_paths


def log_crash(exc: BaseException) -> str:
    try:
        logs = data_paths().ensure().logs
        path = logs / "cli-errors.log"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n")
            handle.write("".join(traceback.format_exception(exc)))
        return str(path)
    except OSError:
        return "unavailable: the data folder is not writable"
