"""argparse with one-line errors: bad input prints one clear line, never usage dumps."""

from __future__ import annotations

import argparse
from typing import NoReturn

from studio.core.errors import ValidationError


class OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ValidationError(f"{self.prog}: {message} (see {self.prog} --help)")


def parse_size(text: str) -> tuple[int, int]:
    """'768x512' -> (768, 512); '512' -> (512, 512)."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        if len(parts) == 1:
            return int(parts[0]), int(parts[0])
        if len(parts) == 2:
            return int(parts[0]), int(parts[1])
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"size must look like 512x768, got {text!r}")


def parse_lora(text: str) -> tuple[str, float]:
    """'fox:0.8' -> ('fox', 0.8); 'fox' -> ('fox', 1.0). Paths may hold ':' (C:\\...)."""
    ref, sep, weight = text.rpartition(":")
    if sep and ref:
        try:
            return ref, float(weight)
        except ValueError:
            pass
    return text, 1.0
