"""Small builders shared by test modules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.core.requests import ImageRequest


def tiny_request(model: Path, **changes: object) -> ImageRequest:
    """A quick request for the tiny test pipelines: 64x64, 2 steps, a fixed seed."""
    base: dict[str, object] = {
        "model": str(model), "prompt": "a red fox", "width": 64, "height": 64, "steps": 2, "seed": 7,
    }  # fmt: skip
    return ImageRequest(**{**base, **changes})  # type: ignore[arg-type]


# Prepended to a script run in a fresh interpreter: records (and blocks) every socket
# connection and DNS lookup in `attempts`. Audit hooks cannot be removed, hence a subprocess.
NETWORK_AUDIT = r"""
import sys
attempts = []
def audit(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto"):
        attempts.append((event, repr(args)[:200]))
        raise OSError("network blocked by test")
sys.addaudithook(audit)
"""


def record_run(engine: Any, request: Any, writer: Any, gallery: Any, hashes: Any, *,
               extras: dict[str, Any] | None = None, **events: Any) -> Any:  # fmt: skip
    """The one job path on an engine already loaded: its RunResult (outputs, notes, the
    recorder). `events` are RunEvents fields (progress, cancelled, preview, text, note)."""
    from studio.runtime.generation import RunEvents, Stores, run_on

    stores = Stores(writer, gallery, None, hashes)
    return run_on(engine, request, stores, RunEvents(**events), extras=extras)
