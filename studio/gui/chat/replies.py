"""PendingReply: the one reply a chat view is waiting for, with its timing; and reading a
finished reply back from its output file (on a pool thread: it is disk work)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.gui.chat.store import Chat, ChatMessage
from studio.gui.chat.token_view import ALTERNATIVES, CHOSEN


@dataclass
class PendingReply:
    job_id: int
    chat: Chat
    message: ChatMessage
    model: str  # shown with the reply until the output record names it
    sent: float = field(default_factory=time.monotonic)  # when Send was pressed
    first_text: float | None = None
    last_seen: float | None = None  # the latest text or token count
    tokens: int = 0  # tokens generated so far (the job's progress)
    stopping: bool = False
    discarded: bool = False  # its chat was deleted: do not write it back

    def text(self, text: str) -> None:
        now = time.monotonic()
        if self.first_text is None:
            self.first_text = now
        self.last_seen = now
        self.message.text = text

    def progress(self, done: int) -> None:
        self.tokens = max(self.tokens, done)
        if self.first_text is not None:
            self.last_seen = time.monotonic()

    def stats(self, run: dict[str, Any] | None = None, model: str = "") -> dict[str, Any]:
        """Timing for the reply: time to first token as seen here, tokens/s from the
        engine's run facts when there are some, else estimated from the token count."""
        run = run or {}
        stats: dict[str, Any] = {"model": model or self.model}
        for key in (CHOSEN, ALTERNATIVES):  # why each token: kept with the message
            if isinstance(run.get(key), list):
                stats[key] = run[key]
        if self.first_text is not None:
            stats["ttft_s"] = round(self.first_text - self.sent, 3)
        rate = run.get("tokens_per_s")
        if isinstance(rate, int | float) and rate > 0:
            stats["tokens_per_s"] = rate
            stats["tokens"] = run.get("tokens")
            if isinstance(run.get("ttft_s"), int | float):
                stats["engine_ttft_s"] = run["ttft_s"]
            return stats
        tokens = run.get("tokens") if isinstance(run.get("tokens"), int) else self.tokens
        if tokens:
            stats["tokens"] = tokens
        if self.first_text is not None and self.last_seen is not None and tokens > 1:
            spent = self.last_seen - self.first_text
            if spent > 0:
                stats["tokens_per_s"], stats["estimated"] = round((tokens - 1) / spent, 1), True
        return stats


def read_reply(paths: list[str]) -> tuple[str | None, dict[str, Any], str]:
    """(reply text, run facts, model name) from a text job's `.md` and its JSON sidecar;
    (None, {}, "") when there is no readable reply file (the streamed text stands)."""
    try:
        return _read_reply(paths)
    except Exception:  # whatever is wrong with the file, the reply must still end
        return None, {}, ""


def _read_reply(paths: list[str]) -> tuple[str | None, dict[str, Any], str]:
    reply = next((Path(p) for p in paths if p.endswith(".md")), None)
    if reply is None:
        return None, {}, ""
    try:
        text = reply.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None, {}, ""
    try:
        record = json.loads(reply.with_name(reply.name + ".json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return text, {}, ""
    run = record.get("run") if isinstance(record, dict) else None
    model = record.get("model_name") if isinstance(record, dict) else ""
    return text, run if isinstance(run, dict) else {}, model if isinstance(model, str) else ""
