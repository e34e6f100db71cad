"""Field checks that raise ValidationError with one line naming the field and the value."""

from __future__ import annotations

import math

from studio.core.errors import ValidationError


def check_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{name} must be a whole number (got {value!r})")
    if not low <= value <= high:
        raise ValidationError(f"{name} must be between {low} and {high} (got {value})")
    return value


def check_float(
    name: str, value: object, low: float, high: float, *, low_open: bool = False
) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(f"{name} must be a number (got {value!r})")
    too_low = value <= low if low_open else value < low
    if too_low or value > high:
        bracket = "(" if low_open else "["
        raise ValidationError(f"{name} must be in {bracket}{low:g}, {high:g}] (got {value:g})")
    return float(value)


def check_text(name: str, value: object, max_len: int) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be text (got {type(value).__name__})")
    if len(value) > max_len:
        raise ValidationError(f"{name} is too long ({len(value)} characters, at most {max_len})")
    return value


def check_choice(name: str, value: object, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValidationError(f"{name} must be one of {', '.join(choices)} (got {value!r})")
    return str(value)
