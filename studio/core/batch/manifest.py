"""The batch manifest: one JSON line per finished item, appended as each one ends.

A line is written whole with one write, then flushed and fsynced, so a killed
process leaves at most a torn last line, which load() ignores (and the next append
cuts off). Any other bad line is a real problem and is reported with its number.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from studio.core.batch.items import BatchPlan, file_error
from studio.core.errors import OutputError
from studio.core.outputs.atomic import write_atomic

STATUSES = ("done", "failed")
# The keys the runner writes; others are kept as they are.
ENTRY_KEYS = (
    "item", "index", "status", "path", "seed", "sha256", "task", "model", "error", "seconds", "notes",
)  # fmt: skip


class Manifest:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._tail_checked = False

    def load(self) -> dict[str, dict[str, Any]]:
        """Item id -> its last entry; BatchFileError for a corrupt line before the last."""
        entries: dict[str, dict[str, Any]] = {}
        for _number, entry in self._entries():
            entries[entry["item"]] = entry
        return entries

    def done(self) -> set[str]:
        """Ids of the items whose last entry says done."""
        return {item for item, entry in self.load().items() if entry.get("status") == "done"}

    def append(self, entry: dict[str, Any]) -> None:
        """Add one entry as one durable line."""
        if not isinstance(entry.get("item"), str) or entry.get("status") not in STATUSES:
            raise ValueError(f"a manifest entry needs an item id and a status in {STATUSES}")
        line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self._tail_checked:
                self._cut_torn_tail()
            with self.path.open("ab") as handle:
                handle.write(line.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise OutputError(
                f"cannot write the manifest {self.path}: {exc.strerror or exc}"
            ) from None

    def compact(self, order: BatchPlan | Iterable[str] | None = None) -> None:
        """Rewrite atomically with the last entry per item: in `order` (item ids or a plan)
        when given, items it does not list after those; otherwise in first-seen order."""
        entries = self.load()
        if not entries and not self.path.exists():
            return
        ids = [i.id for i in order.items] if isinstance(order, BatchPlan) else list(order or ())
        ordered = [entries[i] for i in dict.fromkeys(ids) if i in entries]
        ordered += [e for i, e in entries.items() if i not in set(ids)]
        text = "".join(json.dumps(e, ensure_ascii=False, default=str) + "\n" for e in ordered)
        write_atomic(self.path, text.encode("utf-8"), overwrite=True)
        self._tail_checked = True

    def _entries(self) -> list[tuple[int, dict[str, Any]]]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise file_error(self.path, None, f"cannot read the manifest: {exc.strerror}") from None
        lines = data.split(b"\n")
        entries = []
        for number, raw in enumerate(lines, start=1):
            if not raw.strip(b"\0 \t\r"):  # the end, or zeros a crash left behind
                continue
            entry, problem = _parse(raw)
            if problem is None:
                entries.append((number, entry))
            elif any(rest.strip(b"\0 \t\r") for rest in lines[number:]):
                raise file_error(
                    self.path, number,
                    f"corrupt manifest line ({problem}); fix or delete that line, then run again",
                )  # fmt: skip
            # else: the torn last line of a killed run; its item simply runs again
        return entries

    def _cut_torn_tail(self) -> None:
        """Drop a torn last line, so the next entry does not get glued onto it."""
        self._tail_checked = True
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        keep = data.rstrip(b"\0 \t\r\n")
        cut = keep.rfind(b"\n") + 1
        if keep[cut:] and _parse(keep[cut:])[1] is None:
            cut = len(keep)  # a whole entry that only lacks its newline
            suffix = b"\n"
        else:
            suffix = b""
        if data[cut:] != suffix:
            with self.path.open("r+b") as handle:
                handle.truncate(cut)
                handle.seek(cut)
                handle.write(suffix)
                handle.flush()
                os.fsync(handle.fileno())


def _parse(raw: bytes) -> tuple[dict[str, Any], str | None]:
    try:
        entry = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return {}, "not UTF-8"
    except json.JSONDecodeError as exc:
        return {}, f"bad JSON: {exc.msg}"
    if not isinstance(entry, dict) or not isinstance(entry.get("item"), str):
        return {}, "not an entry with an item id"
    return entry, None
