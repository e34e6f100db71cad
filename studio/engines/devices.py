"""Device and precision policy: CUDA fp16 (bf16 where the family wants it), MPS fp16, CPU fp32."""

from __future__ import annotations

from typing import Any

import torch

from studio.core.errors import ValidationError

DTYPES = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}
# Families trained in bf16 overflow in fp16.
BF16_FAMILIES = {"flux", "sd3"}


def resolve_device(preference: str = "auto") -> torch.device:
    if preference == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        device = torch.device(preference)
    except RuntimeError:
        raise ValidationError(
            f"unknown device {preference!r} (use auto, cpu, cuda, cuda:N or mps)"
        ) from None
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ValidationError("device cuda was asked for, but no CUDA GPU is available")
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise ValidationError(
                f"device {preference} does not exist ({torch.cuda.device_count()} GPUs)"
            )
    if device.type == "mps" and not torch.backends.mps.is_available():
        raise ValidationError("device mps was asked for, but Metal is not available")
    return device


def resolve_dtype(device: torch.device, preference: str = "auto", family: str = "") -> torch.dtype:
    if preference != "auto":
        if preference not in DTYPES:
            raise ValidationError(
                f"unknown precision {preference!r} (use auto, fp32, fp16 or bf16)"
            )
        return DTYPES[preference]
    if device.type == "cuda":
        if family in BF16_FAMILIES and torch.cuda.is_bf16_supported():
            return torch.bfloat16
        return torch.float16
    if device.type == "mps":
        return torch.float16
    return torch.float32


def dtype_name(dtype: torch.dtype) -> str:
    return next((name for name, value in DTYPES.items() if value == dtype), str(dtype))


def describe_devices() -> list[dict[str, Any]]:
    """Every compute device with its memory, for `studio doctor`."""
    devices: list[dict[str, Any]] = [{"name": "cpu", "type": "cpu"}]
    if torch.cuda.is_available():
        for index in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(index)
            free, total = torch.cuda.mem_get_info(index)
            devices.append({
                "name": f"cuda:{index}", "type": "cuda", "model": props.name,
                "vram_total_gb": round(total / 2**30, 2), "vram_free_gb": round(free / 2**30, 2),
                "bf16": torch.cuda.is_bf16_supported(),
            })  # fmt: skip
    if torch.backends.mps.is_available():
        devices.append({"name": "mps", "type": "mps"})
    return devices


def visible_devices() -> list[str]:
    """One entry per CUDA GPU ("cuda:0", ...), else ["mps"] or ["cpu"]: one worker each."""
    if torch.cuda.is_available():
        return [f"cuda:{n}" for n in range(torch.cuda.device_count())]
    if torch.backends.mps.is_available():
        return ["mps"]
    return ["cpu"]
