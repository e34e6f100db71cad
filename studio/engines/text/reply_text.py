"""ReplyText: the reply as tokens arrive, for every text backend (pure Python, no torch).

`push(token_id)` after each generated token:
- cancels: raises Cancelled when `cancelled()` is set, so at most one token is wasted;
- decodes incrementally (a window of recent tokens, as TGI does, so multi-byte characters
  and SentencePiece spaces come out right) and streams coalesced chunks to `on_text`;
- stops on the user's stop strings in the decoded text (the reply ends before the
  stop string; text that may be the start of one is held back, never streamed);
- times the first token and the decoding rate.

The tokenizer only needs `decode(ids, skip_special_tokens=True) -> str`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from studio.core.errors import Cancelled
from studio.engines.contract import CancelledFn, ProgressFn

TextFn = Callable[[str], None]


class ReplyText:
    def __init__(
        self,
        tokenizer: Any,
        *,
        on_text: TextFn,
        progress: ProgressFn,
        cancelled: CancelledFn,
        max_new_tokens: int,
        stops: tuple[str, ...] = (),
        interval: float = 0.05,
        strip_leading: bool = False,
        started: float | None = None,
    ) -> None:
        self.tokenizer, self.on_text, self.progress = tokenizer, on_text, progress
        self.cancelled, self.max_new_tokens = cancelled, max_new_tokens
        self.stops = tuple(s for s in stops if s)
        self.longest_stop = max((len(s) for s in self.stops), default=0)
        self.interval, self.strip_leading = interval, strip_leading
        self.ids: list[int] = []
        self.text = ""  # the reply so far, cut before a stop string once one is seen
        self.stop_hit: str | None = None
        self.emitted = 0
        self._prefix = self._read = 0  # decode window offsets into self.ids
        self._last_emit = 0.0
        self.started = time.perf_counter() if started is None else started  # TTFT counts from here
        self.first_token_at: float | None = None
        self.last_token_at: float | None = None

    def push(self, token_id: int) -> bool:
        """One new token; True when a stop string has now appeared (the reply is done)."""
        if self.cancelled():
            raise Cancelled()
        now = time.perf_counter()
        if self.first_token_at is None:
            self.first_token_at = now
        self.last_token_at = now
        self.ids.append(token_id)
        self.progress(len(self.ids), self.max_new_tokens)
        stop = self._add(self._decode_new())
        self._emit(now, final=stop)
        return stop

    def finish(self) -> str:
        """After generation: flush what was held back; the whole reply."""
        self._add(self._decode_new(final=True))
        self._emit(time.perf_counter(), final=True, flush=True)
        return self.text

    def facts(self) -> dict[str, Any]:
        """Timings for the output record: time to first token, decoding rate."""
        facts: dict[str, Any] = {"tokens": len(self.ids)}
        if self.first_token_at is not None:
            facts["ttft_s"] = round(self.first_token_at - self.started, 4)
        if len(self.ids) > 1 and self.last_token_at and self.first_token_at:
            spent = self.last_token_at - self.first_token_at
            facts["tokens_per_s"] = round((len(self.ids) - 1) / spent, 2) if spent > 0 else None
        return facts

    def finish_reason(self, end_ids: list[int] | set[int]) -> str:
        if self.stop_hit is not None:
            return "stop"
        if self.ids and self.ids[-1] in end_ids:
            return "end"
        return "length" if len(self.ids) >= self.max_new_tokens else "end"

    def _decode_new(self, final: bool = False) -> str:
        decode = self.tokenizer.decode
        before = decode(self.ids[self._prefix : self._read], skip_special_tokens=True)
        after = decode(self.ids[self._prefix :], skip_special_tokens=True)
        if len(after) <= len(before) or (after.endswith("\ufffd") and not final):
            return ""  # an incomplete UTF-8 sequence: wait for the next token
        self._prefix, self._read = self._read, len(self.ids)
        return after[len(before) :]

    def _add(self, delta: str) -> bool:
        """Append decoded text; True when a stop string has now appeared."""
        if not delta or self.stop_hit is not None:
            return self.stop_hit is not None
        if self.strip_leading and not self.text:
            delta = delta.lstrip()
        start = max(0, len(self.text) - self.longest_stop + 1)
        self.text += delta
        found = [(self.text.find(s, start), s) for s in self.stops]
        hits = [(at, s) for at, s in found if at >= 0]
        if hits:
            at, self.stop_hit = min(hits)
            self.text = self.text[:at]
        return bool(hits)

    def _emit(self, now: float, *, final: bool, flush: bool = False) -> None:
        end = len(self.text) if (flush or self.stop_hit) else len(self.text) - self._held_back()
        pending = self.text[self.emitted : end]
        if not pending:
            return
        due = (
            final or self.emitted == 0 or "\n" in pending or now - self._last_emit >= self.interval
        )
        if due:
            self.emitted, self._last_emit = end, now
            self.on_text(pending)

    def _held_back(self) -> int:
        """Length of the reply's tail that could still grow into a stop string."""
        longest = 0
        for stop in self.stops:
            for size in range(min(len(stop) - 1, len(self.text)), longest, -1):
                if self.text.endswith(stop[:size]):
                    longest = size
                    break
        return longest
