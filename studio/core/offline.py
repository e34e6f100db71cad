"""Offline by construction: the Hugging Face switches, set before any HF import.

huggingface_hub reads HF_HUB_OFFLINE once, when it is first imported, so this must
run at process start (the CLI entry point and the GUI launcher call it first).
"""

from __future__ import annotations

import os
import sys

OFFLINE_SWITCHES = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
}
_HF_MODULES = ("huggingface_hub", "transformers", "diffusers")


def enable_offline_mode() -> None:
    """Set every switch that keeps HF libraries from reaching the network."""
    os.environ.update(OFFLINE_SWITCHES)


def offline_state() -> dict[str, object]:
    """What doctor reports: the switches and whether HF was imported before them."""
    return {
        "offline": os.environ.get("HF_HUB_OFFLINE") == "1",
        "switches": {name: os.environ.get(name) for name in OFFLINE_SWITCHES},
        "hf_imported": [m for m in _HF_MODULES if m in sys.modules],
    }
