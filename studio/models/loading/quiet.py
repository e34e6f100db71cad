"""Silence the HF libraries' own progress bars and chatter: the studio reports progress.

Both libraries warn while importing (e.g. about torchvision), so these run before the
first import. Text, translation and speech need only transformers: importing diffusers
for them would cost over a second of start-up.
"""

from __future__ import annotations

import functools
import os


@functools.cache
def quiet_transformers() -> None:
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import transformers

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()


@functools.cache
def quiet_hf_libraries() -> None:
    """transformers and diffusers (diffusers pipelines import transformers anyway)."""
    quiet_transformers()
    os.environ.setdefault("DIFFUSERS_VERBOSITY", "error")
    import diffusers

    diffusers.utils.logging.set_verbosity_error()
    diffusers.utils.logging.disable_progress_bar()
