"""The bundle's entry point: what `dist/studio/studio` runs (PyInstaller freezes this file).

Same behaviour as the installed `studio` command, plus what only a frozen program needs.
"""

from __future__ import annotations

import multiprocessing
import sys


def main() -> int:
    # First: a child process started by multiprocessing re-runs this executable, and
    # must run its task instead of the command line.
    multiprocessing.freeze_support()
    from studio.core.offline import enable_offline_mode

    # Before anything can import a Hugging Face library: they read the switches once.
    enable_offline_mode()
    from studio.cli.main import main as studio_main

    return studio_main()


if __name__ == "__main__":
    sys.exit(main())
