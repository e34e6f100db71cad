"""How much memory a loaded model holds, and how much the machine has (for ModelCache)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

import torch


def _modules(model: Any) -> Iterator[torch.nn.Module]:
    """The nn.Modules of a model, a diffusers pipeline (its components) or a component dict."""
    if isinstance(model, torch.nn.Module):
        yield model
        return
    components = model if isinstance(model, Mapping) else getattr(model, "components", None)
    if not isinstance(components, Mapping):  # e.g. a transformers pipeline: .model, ...
        components = vars(model) if hasattr(model, "__dict__") else {}
    for value in components.values():
        if isinstance(value, torch.nn.Module):
            yield value


def pipeline_bytes(model: Any, device_type: str | None = None) -> int:
    """Bytes of every parameter and buffer, each shared tensor counted once.

    `device_type` ("cuda", "cpu") counts only tensors living there, e.g. the VRAM part of
    a pipeline with CPU offload. Meta tensors (not materialised) hold no memory: 0.
    """
    seen: set[tuple[str, int, int]] = set()
    total = 0
    for module in _modules(model):
        for tensor in (*module.parameters(), *module.buffers()):
            device = tensor.device
            if device.type == "meta" or (device_type and device.type != device_type):
                continue
            # Same memory = same device, address and size: tied weights, components shared
            # by derived pipelines (from_pipe), or the same module under two names.
            key = (str(device), tensor.data_ptr(), tensor.nbytes)
            if tensor.nbytes and key not in seen:
                seen.add(key)
                total += tensor.nbytes
    return total


def machine_memory() -> tuple[int, int | None]:
    """(total RAM bytes, total VRAM bytes of the current CUDA device or None)."""
    try:
        import psutil

        ram = int(psutil.virtual_memory().total)
    except ImportError:
        try:
            ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (AttributeError, ValueError, OSError):
            ram = 0
    vram = None
    if torch.cuda.is_available():
        try:
            vram = int(torch.cuda.mem_get_info()[1])
        except RuntimeError:  # a broken driver: treat as no GPU rather than fail
            vram = None
    return ram, vram
