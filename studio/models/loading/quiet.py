"""Silence the HF libraries' own progress bars and chatter: the studio reports progress."""

from __future__ import annotations

import functools
import os


@functools.cache
def quiet_hf_libraries() -> None:
    # transformers warns at import time (e.g. about torchvision): quiet it before that.
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("DIFFUSERS_VERBOSITY", "error")
    import transformers

    transformers.utils.logging.set_verbosity_error()
    import diffusers

    diffusers.utils.logging.set_verbosity_error()
    diffusers.utils.logging.disable_progress_bar()
    transformers.utils.logging.disable_progress_bar()
