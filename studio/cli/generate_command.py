"""`studio generate TASK ...`: one subcommand per registered modality; written paths on
stdout, progress on stderr."""

from __future__ import annotations

from typing import Any

from studio.core.modalities import MODALITIES, load_ref


def register(commands: Any) -> None:
    generate = commands.add_parser("generate", help="generate outputs from a model")
    tasks = generate.add_subparsers(dest="task", metavar="TASK", required=True)
    for entry in MODALITIES:  # each modality's CLI module adds its own subcommand
        load_ref(entry.cli)(tasks)
