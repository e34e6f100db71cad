"""Gallery view at scale: 100,000 rows, time to the first page and to a full-text search.

Fills a fresh gallery database in one transaction (paths need not exist: thumbnails are
not part of this measure), then reports medians of: GalleryModel open to its first page
(goal <= 1 s), a full-text search through GalleryPager count + first page (goal <= 50 ms),
the same search through GalleryModel.set_filter (what the view does after typing), and
tag and date filters (a common and a rare tag, "last 30 days", all combined with a search).

    .venv/bin/python benchmarks/bench_gallery.py [--rows 100000] [--runs 11]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WORDS = (
    "lighthouse",
    "dusk",
    "fox",
    "forest",
    "river",
    "city",
    "neon",
    "castle",
    "ocean",
    "storm",
    "mountain",
    "garden",
    "robot",
    "portrait",
    "sunset",
    "winter",
    "desert",
    "piano",
    "violin",
    "poem",
    "letter",
    "cat",
    "dragon",
    "ship",
    "train",
    "bridge",
)
TASKS = ("image", "music", "speech", "text", "translate")
MODELS = tuple(f"model-{n}" for n in range(12))


def fill(database: Path, rows: int) -> None:
    from studio.core.database import connect

    rng = random.Random(0)
    conn = connect(database)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO outputs (path, task, model, prompt, seed, width, height, record_json,"
        " sha256, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                f"/outputs/{n:06d}.png",
                rng.choice(TASKS),
                rng.choice(MODELS),
                " ".join(rng.sample(WORDS, 6)) + f" take{n}",
                n,
                512,
                512,
                "{}",
                "0" * 64,
                f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:00:{n % 60:02d}",
            )
            for n in range(rows)
        ),
    )
    # Tags: "favourite" on every 10th row, "Portfolio" on every 500th, "print" on 1 in 7.
    conn.executemany(
        "INSERT INTO output_tags (output_id, tag) VALUES (?, ?)",
        (
            (n + 1, tag)
            for n in range(rows)
            for tag, every in (("favourite", 10), ("Portfolio", 500), ("print", 7))
            if n % every == 0
        ),
    )
    conn.execute("COMMIT")
    conn.close()


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from benchmarks._machine import describe
    from studio.core.gallery.query import GalleryFilter, GalleryPager
    from studio.gui.gallery import GalleryModel, GalleryView

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "studio.sqlite3"
        start = time.perf_counter()
        fill(database, args.rows)
        fill_s = time.perf_counter() - start

        def open_model() -> None:
            model = GalleryModel(database)
            assert model.rowCount() > 0
            model.close()

        search = GalleryFilter(text="lighthouse dusk take99")
        with GalleryPager(database) as pager:
            matches = pager.count(search)
            pager_ms = median_ms(
                lambda: (pager.count(search), pager.page(search, 0, 200)), args.runs
            )
            filtered = GalleryFilter(text="neon castle", task="image", model="model-3")
            filter_ms = median_ms(lambda: pager.page(filtered, 0, 200), args.runs)
            # A one-word search matching about a quarter of all rows: the worst common case.
            broad = GalleryFilter(text="lighthouse")
            broad_matches = pager.count(broad)
            broad_ms = median_ms(lambda: (pager.count(broad), pager.page(broad, 0, 200)), args.runs)
            oldest = GalleryFilter(newest_first=False)
            deep_ms = median_ms(lambda: pager.page(oldest, 50_000, 200), args.runs)
            tag_cases = {
                "common tag (1 in 10)": GalleryFilter(tag="favourite"),
                "rare tag (1 in 500)": GalleryFilter(tag="portfolio"),
                "since a date (about 1/12)": GalleryFilter(since="2026-12-01T00:00:00+00:00"),
                "tag + since + task": GalleryFilter(
                    tag="print", since="2026-06-01T00:00:00+00:00", task="image"
                ),
                "search + tag": GalleryFilter(text="lighthouse", tag="favourite"),
                "rare tag, oldest first": GalleryFilter(tag="Portfolio", newest_first=False),
            }
            tag_ms = {
                name: (
                    median_ms(lambda v=view: (pager.count(v), pager.page(v, 0, 200)), args.runs),
                    pager.count(view),
                )
                for name, view in tag_cases.items()
            }
            tags_ms = median_ms(pager.tags, args.runs)
        open_ms = median_ms(open_model, args.runs)

        def open_view() -> None:  # the model plus the task/model choice lists
            view = GalleryView(database)
            view.close()

        view_ms = median_ms(open_view, args.runs)
        model = GalleryModel(database)
        model_ms = median_ms(lambda: model.set_filter(search), args.runs)
        model.close()
    del app
    print(describe())
    print(f"rows: {args.rows}, filled in {fill_s:.1f} s; runs: {args.runs} (medians)")
    print(f"model open to first page: {open_ms:.1f} ms (goal <= 1000 ms)")
    print(f"GalleryView open (model + filter choices): {view_ms:.1f} ms")
    print(f"full-text search, count + first page: {pager_ms:.1f} ms, {matches} matches"
          " (goal <= 50 ms)")  # fmt: skip
    print(f"search + task + model filter, first page: {filter_ms:.1f} ms")
    print(f"broad search, count + first page: {broad_ms:.1f} ms, {broad_matches} matches")
    print(f"oldest first, page at offset 50,000: {deep_ms:.1f} ms")
    print(f"GalleryModel.set_filter(search): {model_ms:.1f} ms")
    for name, (ms, count) in tag_ms.items():
        print(f"{name}, count + first page: {ms:.1f} ms, {count} matches")
    print(f"tag list with counts (tag combo): {tags_ms:.1f} ms")


if __name__ == "__main__":
    main()
