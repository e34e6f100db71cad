"""Batch progress on stderr: items done, rate and time left (tqdm)."""

from __future__ import annotations

import sys
from typing import Any


class BatchProgress:
    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=total, unit="item", desc="batch", file=sys.stderr, dynamic_ncols=True,
                         disable=not sys.stderr.isatty() or total == 0)  # fmt: skip
        self.failed = 0

    def item_done(self, result: Any) -> None:
        if not result.ok:
            self.failed += 1
            self._bar.set_postfix(failed=self.failed)
        self._bar.update(1)

    def __enter__(self) -> BatchProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.close()
