"""A step progress bar on stderr (tqdm), silent when stderr is not a terminal."""

from __future__ import annotations

import sys
from typing import Any


class StepProgress:
    unit = "step"
    unit_scale = False

    def __init__(self, label: str) -> None:
        self.label = label
        self._bar: Any = None

    def update(self, done: int, total: int) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total, desc=self.label, unit=self.unit, unit_scale=self.unit_scale,
                file=sys.stderr, leave=False, disable=not sys.stderr.isatty(),
            )  # fmt: skip
        self._bar.total = total
        self._bar.n = done
        self._bar.refresh()

    def __enter__(self) -> StepProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()


class ByteProgress(StepProgress):
    unit = "B"
    unit_scale = True
