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


def downloads_allowed() -> bool:
    """Whether a download the user asked for may reach the network: only with offline mode
    turned off in the settings. An unreadable settings file counts as offline.

    Loading never uses the network either way: the switches above stay set for the whole
    process, and studio.models.download lifts them only around a download it was allowed."""
    from studio.core.errors import StudioError
    from studio.core.settings import load_settings

    try:
        return not load_settings().offline
    except StudioError:
        return False


def require_downloads_allowed(what: str = "downloading models") -> None:
    """Raise one line when offline mode forbids `what` (call before any network use)."""
    if not downloads_allowed():
        from studio.core.errors import StudioError
        from studio.core.paths import data_paths

        raise StudioError(
            f"offline mode is on: {what} needs the network; turn it off in Settings > "
            f'Privacy & network (or set "offline": false in {data_paths().settings})'
        )
