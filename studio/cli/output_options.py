"""What every `studio generate TASK` command shares: output flags and the open stores."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.gallery import GalleryStore
from studio.core.outputs.writer import OutputWriter
from studio.models.catalog import ModelCatalog


def add_output_arguments(parser: Any) -> None:
    parser.add_argument("--out", type=Path, help="output folder (default: the studio's outputs)")
    parser.add_argument("--name-template", default=None, help="file name template")


@dataclass
class Outputs:
    writer: OutputWriter
    gallery: GalleryStore
    catalog: ModelCatalog


@contextlib.contextmanager
def open_outputs(args: argparse.Namespace) -> Iterator[Outputs]:
    """The output writer (validated before any model loads), gallery and model catalog."""
    from studio.core.outputs.naming import FilenameTemplate
    from studio.core.paths import data_paths, default_output_dir

    template = FilenameTemplate(args.name_template) if args.name_template else None
    writer = OutputWriter(args.out or default_output_dir(), template)
    paths = data_paths().ensure()
    with ModelCatalog(paths.database) as catalog, GalleryStore(paths.database) as gallery:
        yield Outputs(writer, gallery, catalog)


def print_path(written: Any) -> None:
    """Each written file on its own line on stdout, as soon as it exists."""
    print(written.path, flush=True)
