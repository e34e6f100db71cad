"""A refused model operation, named so each front end can phrase it its own way."""

from __future__ import annotations

from typing import Any, Literal

from studio.core.errors import ModelError

Reason = Literal[
    "no-such-file",  # path
    "no-such-folder",  # path
    "not-a-model",  # path
    "exists",  # path (the file in the way)
    "copy-failed",  # path, target, detail
    "files-missing",  # id, name, path (the first missing one)
    "unusable",  # name, detail (what identification found wrong)
]


class Refused(ModelError):
    """str() is the English line the CLI prints; `reason` and `details` carry the same
    facts, so the GUI says them in the user's language without parsing English."""

    def __init__(self, reason: Reason, line: str, **details: Any) -> None:
        super().__init__(line)
        self.reason: Reason = reason
        self.details = details
