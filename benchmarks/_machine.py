"""A one-line description of the machine, printed with every benchmark result."""

from __future__ import annotations

import os
import platform


def describe() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next(
                line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    try:
        import torch

        gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
        torch_version = torch.__version__
    except ImportError:
        gpu, torch_version = "torch not installed", "-"
    memory = (
        os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
        if hasattr(os, "sysconf")
        else 0
    )
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {gpu}; "
        f"Python {platform.python_version()}, torch {torch_version}, {platform.system()}"
    )
