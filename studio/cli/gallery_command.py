"""`studio gallery search TEXT [--json]`."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(commands: Any) -> None:
    gallery = commands.add_parser("gallery", help="search the gallery of outputs")
    actions = gallery.add_subparsers(dest="action", metavar="ACTION", required=True)
    search = actions.add_parser("search", help="full-text search over prompts and models")
    search.add_argument("text", help="words to find (every word must match; prefixes match)")
    search.add_argument("--limit", type=int, default=50)
    search.add_argument("--json", action="store_true", help="machine-readable output")
    search.set_defaults(handler=run_search)


def run_search(args: argparse.Namespace) -> int:
    from studio.core.gallery import GalleryStore
    from studio.core.paths import data_paths

    with GalleryStore(data_paths().ensure().database) as gallery:
        entries = gallery.search(args.text, limit=args.limit)
    if args.json:
        print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return 0
    for entry in entries:
        prompt = " ".join(entry.prompt.split())
        prompt = prompt if len(prompt) <= 60 else prompt[:57] + "..."
        print(f"{entry.path}\t{entry.created}\tseed {entry.seed}\t{prompt}")
    return 0
