"""Import the engines' libraries ahead of the first generation, on a background thread.

Importing torch, diffusers and transformers takes seconds, and parts of it (loading their
native libraries) hold Python's GIL for hundreds of milliseconds at a time, which freezes
a GUI thread however the work is split. Done once right after the window is up, that cost
lands while the user is still reading the window, not in the middle of their first job.
"""

from __future__ import annotations

import gc
import logging

from studio.core.modalities import MODALITIES, load_ref

log = logging.getLogger(__name__)


def warm_up_engines() -> list[str]:
    """Import what the engines use; returns what could not be imported (logged, not raised:
    the job that needs it will say why in its own one line)."""
    from studio.models.loading.quiet import quiet_hf_libraries

    quiet_hf_libraries()
    missing = []
    for ref in dict.fromkeys(ref for entry in MODALITIES for ref in entry.warm):
        try:
            load_ref(ref)  # the module, then the attribute: libraries' lazy imports happen now
        except Exception as exc:
            log.info("warm-up: %s not imported: %s", ref, exc)
            missing.append(ref)
    # The libraries just imported are millions of long-lived objects; a full garbage
    # collection walks them all with the GIL held (~300 ms here), freezing the GUI in the
    # middle of a job. Frozen, they are left out of every later collection.
    gc.collect()
    gc.freeze()
    return missing
