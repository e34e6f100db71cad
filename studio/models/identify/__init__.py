"""Identify models without loading weights: from configs, safetensors headers, pickle opcodes."""

from studio.models.identify.identity import Identity, identify_path

__all__ = ["Identity", "identify_path"]
