"""`studio`: no arguments opens the desktop window; subcommands work from the shell.

Start-up stays fast: this module imports only argparse and studio.core; each
command imports what it needs when it runs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from studio import __version__
from studio.cli.parser import OneLineParser
from studio.core.errors import StudioError
from studio.core.offline import enable_offline_mode


def build_parser() -> OneLineParser:
    from studio.cli import (
        batch_command,
        doctor_command,
        gallery_command,
        generate_command,
        models_command,
    )

    parser = OneLineParser(
        prog="studio",
        description="Generative Studio: run generative models locally. "
        "Without a command, opens the desktop window.",
    )
    parser.add_argument("--version", action="version", version=f"studio {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    generate_command.register(commands)
    batch_command.register(commands)
    models_command.register(commands)
    gallery_command.register(commands)
    doctor_command.register(commands)
    gui = commands.add_parser("gui", help="open the desktop window (the default)")
    gui.add_argument("--self-check", action="store_true",
                     help="open the window (offscreen when there is no display), wait for it to "
                     "paint, close it and exit: 0 when the GUI works")  # fmt: skip
    gui.set_defaults(handler=_run_gui)
    return parser


def _run_gui(args: object) -> int:
    from studio.gui.app import run_gui

    return run_gui(sys.argv[:1], self_check=getattr(args, "self_check", False))


def main(argv: Sequence[str] | None = None) -> int:
    # Before anything can import a Hugging Face library: they read these once, at import.
    enable_offline_mode()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        handler = getattr(args, "handler", _run_gui)
        return int(handler(args) or 0)
    except StudioError as exc:
        print(f"studio: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("studio: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        from studio.cli.crash_log import log_crash

        where = log_crash(exc)
        print(
            f"studio: unexpected error: {type(exc).__name__}: {exc} (details: {where})",
            file=sys.stderr,
        )
        return 1
