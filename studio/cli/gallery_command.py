"""`studio gallery search [TEXT] [--tag TAG] [--since DATE] [--json]`."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(commands: Any) -> None:
    gallery = commands.add_parser("gallery", help="search the gallery of outputs")
    actions = gallery.add_subparsers(dest="action", metavar="ACTION", required=True)
    search = actions.add_parser("search", help="full-text search over prompts and models")
    search.add_argument("text", nargs="?", default="",
                        help="words to find (every word must match; prefixes match)")  # fmt: skip
    search.add_argument("--tag", default="", help="only outputs with this tag (any case)")
    search.add_argument("--since", default="", metavar="DATE",
                        help="only outputs made on or after DATE (2026-05-01, or "
                        "2026-05-01T18:30; local time unless a zone is given)")  # fmt: skip
    search.add_argument("--limit", type=int, default=50)
    search.add_argument("--json", action="store_true", help="machine-readable output")
    search.set_defaults(handler=run_search)


def run_search(args: argparse.Namespace) -> int:
    from studio.core.gallery import GalleryStore
    from studio.core.gallery.query import GalleryFilter, GalleryPager
    from studio.core.paths import data_paths

    # Checked before the database opens: a bad tag or date is one line, nothing touched.
    view = GalleryFilter(text=args.text, tag=args.tag, since=args.since)
    database = data_paths().ensure().database
    with GalleryStore(database) as gallery:
        if args.text and not (args.tag or args.since):
            entries = gallery.search(args.text, limit=args.limit)  # best matches first
        else:
            with GalleryPager(database) as pager:  # the filters the gallery view uses
                rows = pager.page(view, 0, args.limit)
            entries = [e for e in (gallery.get(row.id) for row in rows) if e is not None]
        tags = {entry.id: gallery.tags(entry.id) for entry in entries}
    if args.json:
        found = [{**e.to_dict(), "tags": tags[e.id]} for e in entries]
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return 0
    for entry in entries:
        prompt = " ".join(entry.prompt.split())
        prompt = prompt if len(prompt) <= 60 else prompt[:57] + "..."
        labels = "".join(f"\t#{tag}" for tag in tags[entry.id])
        print(f"{entry.path}\t{entry.created}\tseed {entry.seed}\t{prompt}{labels}")
    return 0
