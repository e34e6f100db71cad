"""Token alternatives: for each generated token, the K likeliest tokens and their probabilities.

The distribution is the one each token was drawn from, before truncation: the model's
logits after the repetition penalty, divided by the temperature (1 under greedy
decoding), softmaxed over the whole vocabulary. top-k, top-p and min-p then only decide
which of these may be drawn, so under greedy decoding the chosen token is the first
alternative. Both backends report the same quantity.

The reply's record keeps (the GUI's token view reads these keys):
  run["chosen"]       [{"token": str, "probability": float}] per generated token, in order
  run["alternatives"] [[{"token": str, "probability": float}] * K] per generated token,
                      likeliest first
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

CHOSEN, ALTERNATIVES = "chosen", "alternatives"
DIGITS = 5  # probabilities are kept rounded: the record stays compact


class TokenAlternatives:
    """Collects one step per generated token; `piece(id)` spells a token for people."""

    def __init__(self, k: int, piece: Callable[[int], str]) -> None:
        self.k, self.piece = k, piece
        self.steps: list[tuple[list[int], list[float]]] = []  # (top ids, their probabilities)
        self.chosen: list[tuple[int, float]] = []

    def add(self, ids: Sequence[int], probabilities: Sequence[float]) -> None:
        self.steps.append((list(ids), list(probabilities)))

    def choose(self, token: int, probability: float) -> None:
        self.chosen.append((token, probability))

    def add_logits(
        self, logits: np.ndarray, token: int, temperature: float, penalty: float = 1.0,
        recent: Sequence[int] = (),
    ) -> None:  # fmt: skip
        """One step from raw logits (llama.cpp's), the penalty as llama.cpp applies it."""
        scores = np.array(logits, dtype=np.float64)
        if penalty != 1.0 and recent:
            seen = np.unique(np.asarray(recent, dtype=np.int64))
            values = scores[seen]
            scores[seen] = np.where(values > 0, values / penalty, values * penalty)
        probabilities = _softmax(scores / (temperature if temperature > 0 else 1.0))
        k = min(self.k, probabilities.size)
        top = np.argpartition(-probabilities, k - 1)[:k]
        top = top[np.argsort(-probabilities[top], kind="stable")]
        self.add(top.tolist(), probabilities[top].tolist())
        self.choose(token, float(probabilities[token]))

    def facts(self) -> dict[str, Any]:
        def entry(token: int, probability: float) -> dict[str, Any]:
            return {"token": self.piece(token), "probability": round(probability, DIGITS)}

        return {
            CHOSEN: [entry(token, p) for token, p in self.chosen],
            ALTERNATIVES: [
                [entry(t, p) for t, p in zip(*step, strict=True)] for step in self.steps
            ],
        }


class AlternativesProcessor:
    """A logits processor for transformers' generate(). Custom processors run after the
    repetition penalty and before the temperature and truncation warpers, which is where
    the distribution above is read. The chosen token shows up in the next call's input_ids
    (the last one in `finish`). Only tensor methods are used: no torch import here."""

    def __init__(self, record: TokenAlternatives, temperature: float) -> None:
        self.record, self.temperature = record, temperature if temperature > 0 else 1.0
        self._pending: Any = None  # the last step's probabilities, until its token is known

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        if self._pending is not None:
            self._choose(int(input_ids[0, -1]))
        probabilities = (scores[0].float() / self.temperature).softmax(-1)
        values, ids = probabilities.topk(min(self.record.k, probabilities.shape[-1]))
        self.record.add(ids.tolist(), values.tolist())
        self._pending = probabilities
        return scores

    def finish(self, last_token: int | None) -> None:
        if self._pending is not None and last_token is not None:
            self._choose(last_token)

    def _choose(self, token: int) -> None:
        self.record.choose(token, float(self._pending[token]))
        self._pending = None


def _softmax(scores: np.ndarray) -> np.ndarray:
    finite = np.isfinite(scores)
    shifted = np.where(finite, scores - scores[finite].max(), -np.inf)
    weights = np.exp(shifted)
    return weights / weights.sum()  # type: ignore[no-any-return]
