"""What every `studio generate TASK` command shares: output flags and the open stores.

The saved settings (output folder, filename template, stripped metadata) apply as they do
in the desktop studio; a flag given on the command line wins over them.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.errors import OutputError
from studio.core.gallery import GalleryStore
from studio.core.outputs.writer import OutputWriter
from studio.models.catalog import ModelCatalog


def add_output_arguments(parser: Any) -> None:
    parser.add_argument("--out", type=Path, help="output folder (default: the settings')")
    parser.add_argument("--name-template", help="file name template (default: the settings')")
    parser.add_argument(
        "--strip-metadata", action=argparse.BooleanOptionalAction, default=None,
        help="write only the AI label into files, no prompt or parameters (default: the settings')",
    )  # fmt: skip


@dataclass
class Outputs:
    writer: OutputWriter
    gallery: GalleryStore
    catalog: ModelCatalog


@contextlib.contextmanager
def open_outputs(args: argparse.Namespace) -> Iterator[Outputs]:
    """The output writer (validated before any model loads), gallery and model catalog.

    An unreadable settings file stops here in one line rather than falling back to the
    defaults: those would write the prompt into files the user asked to keep it out of."""
    from studio.core.outputs.naming import FilenameTemplate
    from studio.core.paths import data_paths, default_output_dir
    from studio.core.settings import load_settings

    settings = load_settings()
    saved_folder = settings.output_folder.strip()
    folder = args.out or (Path(saved_folder) if saved_folder else default_output_dir())
    template = None
    if args.name_template:
        template = FilenameTemplate(args.name_template)
    elif settings.filename_template.strip():
        try:
            template = FilenameTemplate(settings.filename_template.strip())
        except OutputError as exc:  # hand-edited settings: say where the template came from
            raise OutputError(f"{exc} (in the settings; pass --name-template or fix it)") from None
    strip = getattr(args, "strip_metadata", None)  # commands without the flag: the settings
    writer = OutputWriter(
        folder, template, strip_metadata=settings.strip_metadata if strip is None else strip
    )
    paths = data_paths().ensure()
    with ModelCatalog(paths.database) as catalog, GalleryStore(paths.database) as gallery:
        yield Outputs(writer, gallery, catalog)


def print_path(written: Any) -> None:
    """Each written file on its own line on stdout, as soon as it exists."""
    print(written.path, flush=True)


def generate(
    args: argparse.Namespace, request: Any, bar: Any = None, *, on_output: Any = None,
    extras: dict[str, Any] | None = None, text: Any = None, note: Any = None,
) -> Any:  # fmt: skip
    """Run `request` through the one job path with the command's outputs and devices;
    returns its RunResult. `bar` is the command's progress display."""
    from studio.models.hashing import HashCache
    from studio.runtime.generation import RunEvents, Stores, run_request

    events = RunEvents(output=on_output or (lambda written: None))
    if bar is not None:
        events.progress = bar.update
    if text is not None:
        events.text = text
    if note is not None:
        events.note = note
    with open_outputs(args) as outputs:
        stores = Stores(outputs.writer, outputs.gallery, outputs.catalog, HashCache.default())
        return run_request(request, stores, args.device, args.precision, events, extras=extras)
