"""Engines: one per task family. The only layer (with models.loading) that runs ML libraries.

Every engine follows one contract: it takes a typed request, reports progress as
(step, total), checks `cancelled()` at every step and raises Cancelled when it is
set, and yields finished outputs as they complete. Nothing here knows threads,
files or the GUI.
"""

from studio.engines.contract import CancelledFn, GeneratedImage, ProgressFn, no_progress

__all__ = ["CancelledFn", "GeneratedImage", "ProgressFn", "no_progress"]
