"""A reply shown token by token, each coloured by the probability the model gave it, with
its alternatives on hover (the record's run.alternatives): why the model chose each word."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

CHOSEN = "chosen"  # run[CHOSEN]: the generated tokens, [{token, probability}] in order
ALTERNATIVES = "alternatives"  # run[ALTERNATIVES]: per token, [{token, probability}] top first


@dataclass(frozen=True)
class TokenRow:
    token: str
    probability: float
    alternatives: tuple[tuple[str, float], ...]


def token_rows(run: dict[str, Any]) -> list[TokenRow]:
    """The reply's tokens with their alternatives; [] when the run kept none (or they are
    malformed: a hand-edited sidecar must not break the view)."""
    chosen, alternatives = run.get(CHOSEN), run.get(ALTERNATIVES)
    if not isinstance(chosen, list) or not isinstance(alternatives, list):
        return []
    rows = []
    for pick, options in zip(chosen, alternatives, strict=False):
        try:
            alts = tuple((str(o["token"]), float(o["probability"])) for o in options)
            rows.append(TokenRow(str(pick["token"]), float(pick["probability"]), alts))
        except (KeyError, TypeError, ValueError):
            return []
    return rows


def shade(probability: float, base: QColor) -> QColor:
    """Likely tokens keep the bubble's colour; unlikely ones turn warmer (amber to red), on
    a log scale: 1 -> none, 0.1 -> a third, 0.01 -> two thirds, 0.001 and below -> red."""
    doubt = max(0.0, min(1.0, -math.log10(max(probability, 1e-9)) / 3))
    warm = QColor.fromHsvF(0.08 * (1 - doubt), 0.25 + 0.5 * doubt, 1.0)
    return QColor.fromRgbF(*(b + (w - b) * doubt for b, w in zip(base.getRgbF()[:3],
                                                                    warm.getRgbF()[:3], strict=True)))  # fmt: skip


def token_html(rows: list[TokenRow], base: QColor, text: QColor) -> str:
    """Each token a link (its hover shows the alternatives), on its probability's colour."""
    spans = []
    for index, row in enumerate(rows):
        shown = html.escape(row.token).replace("\n", "<br>").replace("  ", "&nbsp; ")
        spans.append(
            f'<a href="token:{index}" style="color:{text.name()}; text-decoration:none; '
            f'background-color:{shade(row.probability, base).name()}">{shown}</a>'
        )
    return "<p style='white-space:pre-wrap'>" + "".join(spans) + "</p>"


def alternatives_tip(row: TokenRow) -> str:
    translate = QCoreApplication.translate
    head = translate("TokenView", "chosen: {0!r} ({1:.1%})").format(row.token, row.probability)
    lines = [f"{alt!r}  {p:.1%}" for alt, p in row.alternatives]
    return "\n".join([head, translate("TokenView", "alternatives:"), *lines])
