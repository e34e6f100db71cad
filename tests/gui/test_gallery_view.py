from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PIL import Image
from PySide6.QtCore import Qt

from studio.core.database import connect
from studio.core.gallery.query import GalleryFilter, GalleryPager
from studio.core.paths import data_paths
from studio.gui.gallery import GalleryModel, GalleryView, Thumbnailer, render_thumbnail
from studio.gui.gallery.model import RowRole


def add_row(database: Path, path: Path, task: str, model: str, prompt: str, day: int) -> None:
    conn = connect(database)
    conn.execute(
        "INSERT INTO outputs (path, task, model, prompt, seed, record_json, sha256, created)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (str(path), task, model, prompt, day, "{}", "0" * 64, f"2026-01-{day:02d}T10:00:00"),
    )
    conn.close()


@pytest.fixture
def gallery(tmp_path: Path) -> Path:
    """Two images, two audio clips and two text files, one per day (day 6 is newest)."""
    database = data_paths().ensure().database
    out = tmp_path / "out"
    out.mkdir()
    for day, color in ((1, "red"), (2, "blue")):
        path = out / f"{day}.png"
        Image.new("RGB", (96, 64), color).save(path)
        add_row(database, path, "image", "tiny-sd", f"a {color} lighthouse", day)
    for day in (3, 4):
        path = out / f"{day}.wav"
        wave = np.sin(np.linspace(0, 60 * day, 8000)).astype("float32") * 0.5
        soundfile.write(path, wave, 16000)
        add_row(database, path, "music", "tiny-musicgen", f"calm piano {day}", day)
    for day in (5, 6):
        path = out / f"{day}.md"
        path.write_text(f"# Poem {day}\nthe sea at night\n", encoding="utf-8")
        path.with_name(path.name + ".json").write_text(json.dumps({"ai": True}))
        add_row(database, path, "text", "tiny-gpt2", f"a poem about the sea {day}", day)
    return database


class Counting:
    """A thumbnail generator that counts its calls."""

    def __init__(self) -> None:
        self.calls: list[Path] = []

    def __call__(self, source: Path, size: int) -> Image.Image:
        self.calls.append(source)
        return render_thumbnail(source, size)


def prompts(model: GalleryModel) -> list[str]:
    return [model.row(i).prompt for i in range(model.rowCount())]


def request_all_icons(qtbot, model: GalleryModel) -> None:  # type: ignore[no-untyped-def]
    for i in range(model.rowCount()):
        model.data(model.index(i), Qt.ItemDataRole.DecorationRole)
    qtbot.waitUntil(lambda: len(model._icons) == model.rowCount(), timeout=10_000)


def test_view_shows_every_kind_newest_first_and_oldest_first(qtbot, gallery: Path) -> None:  # type: ignore[no-untyped-def]
    view = GalleryView(gallery)
    qtbot.addWidget(view)
    model = view.gallery
    assert model is not None
    assert [model.row(i).task for i in range(6)] == ["text"] * 2 + ["music"] * 2 + ["image"] * 2
    assert model.data(model.index(0)) == "a poem about the sea 6"
    assert model.data(model.index(0), RowRole).path.suffix == ".md"
    assert [view.task.itemText(i) for i in range(view.task.count())] == [
        "All tasks", "image", "music", "text"]  # fmt: skip
    view.bar.order_actions[1].trigger()  # in the Filters menu
    assert prompts(model)[0] == "a red lighthouse"
    view.close()


def test_search_and_filters_narrow_the_rows(qtbot, gallery: Path) -> None:  # type: ignore[no-untyped-def]
    view = GalleryView(gallery)
    qtbot.addWidget(view)
    model = view.gallery
    assert model is not None
    qtbot.keyClicks(view.search, "lightho")
    assert model.rowCount() == 6  # debounced: nothing ran yet
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    assert prompts(model) == ["a blue lighthouse", "a red lighthouse"]
    view.search.setText("")
    view.apply_filter()
    view.task.setCurrentText("music")
    assert prompts(model) == ["calm piano 4", "calm piano 3"]
    view.task.setCurrentIndex(0)
    view.model_box.setCurrentText("tiny-gpt2")
    assert model.rowCount() == 2
    view.search.setText('sea "6')  # quotes and FTS syntax are plain words
    view.apply_filter()
    assert prompts(model) == ["a poem about the sea 6"]
    view.search.setText("nothing-like-this")
    view.apply_filter()
    assert model.rowCount() == 0 and view.message.text() == "No outputs match."
    view.close()


def test_thumbnails_arrive_off_thread_and_are_cached_on_disk(qtbot, gallery: Path) -> None:  # type: ignore[no-untyped-def]
    first = Counting()
    model = GalleryModel(gallery, Thumbnailer(generate=first))
    placeholder = model.data(model.index(0), Qt.ItemDataRole.DecorationRole)
    assert placeholder is model.placeholder
    request_all_icons(qtbot, model)
    assert len(first.calls) == 6
    assert all(icon is not model.missing for icon in model._icons.values())
    icon = model.data(model.index(0), Qt.ItemDataRole.DecorationRole)
    assert icon is not model.placeholder and not icon.pixmap(128, 128).isNull()
    cached = list((data_paths().cache / "thumbnails").rglob("*.png"))
    assert len(cached) == 6
    model.close()

    second = Counting()
    again = GalleryModel(gallery, Thumbnailer(generate=second))
    request_all_icons(qtbot, again)
    assert second.calls == []  # every thumbnail came from the disk cache
    again.close()


def test_changed_file_gets_a_new_thumbnail(qtbot, gallery: Path) -> None:  # type: ignore[no-untyped-def]
    first = Counting()
    model = GalleryModel(gallery, Thumbnailer(generate=first))
    request_all_icons(qtbot, model)
    model.close()
    changed = model.row(0).path
    changed.write_text("# rewritten\n", encoding="utf-8")
    os.utime(changed, ns=(1, 1))
    second = Counting()
    again = GalleryModel(gallery, Thumbnailer(generate=second))
    request_all_icons(qtbot, again)
    assert second.calls == [changed]
    again.close()


def test_missing_or_broken_file_shows_a_placeholder(qtbot, gallery: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"not audio at all")
    add_row(gallery, tmp_path / "gone.png", "image", "tiny-sd", "a vanished file", 7)
    add_row(gallery, broken, "music", "tiny-musicgen", "a broken clip", 8)
    thumbnailer = Thumbnailer()
    failures: list[str] = []
    thumbnailer.failed.connect(lambda source, reason: failures.append(reason))
    view = GalleryView(gallery, thumbnailer)
    qtbot.addWidget(view)
    model = view.gallery
    assert model is not None
    request_all_icons(qtbot, model)
    assert model.data(model.index(0), Qt.ItemDataRole.DecorationRole) is model.missing
    assert model.data(model.index(1), Qt.ItemDataRole.DecorationRole) is model.missing
    assert sorted(failures)[0].startswith("missing file") and len(failures) == 2
    assert all("\n" not in reason for reason in failures)
    view.close()


def test_model_fetches_pages_as_the_view_scrolls(gallery: Path) -> None:
    model = GalleryModel(gallery, page=4)
    assert model.rowCount() == 4 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 6 and not model.canFetchMore()
    model.set_filter(GalleryFilter(task="image"))
    assert model.rowCount() == 2 and not model.canFetchMore()
    model.close()


def test_pager_counts_and_lists_choices(gallery: Path) -> None:
    with GalleryPager(gallery) as pager:
        assert pager.count(GalleryFilter()) == 6
        assert pager.count(GalleryFilter(text="sea", task="text")) == 2
        assert pager.count(GalleryFilter(text="sea", task="image")) == 0
        assert pager.models() == ["tiny-gpt2", "tiny-musicgen", "tiny-sd"]
        assert [r.prompt for r in pager.page(GalleryFilter(newest_first=False), 1, 2)] == [
            "a blue lighthouse", "calm piano 3"]  # fmt: skip


def test_renders_each_kind(gallery: Path) -> None:
    out = gallery.parent.parent / "out"
    image = render_thumbnail(out / "1.png", 64)
    assert image.size == (64, 43)
    wave = render_thumbnail(out / "3.wav", 64)
    assert wave.size == (64, 64) and len(wave.getcolors(65536) or []) > 1
    text = render_thumbnail(out / "5.md", 64)
    assert text.size == (64, 64) and len(text.getcolors(65536) or []) > 1


def test_closing_leaves_no_threads_or_timers(qtbot, gallery: Path) -> None:  # type: ignore[no-untyped-def]
    view = GalleryView(gallery)
    qtbot.addWidget(view)
    model = view.gallery
    assert model is not None
    for i in range(model.rowCount()):
        model.data(model.index(i), Qt.ItemDataRole.DecorationRole)
    qtbot.keyClicks(view.search, "sea")
    assert view.debounce.isActive()
    view.close()
    assert not view.debounce.isActive()
    assert model.thumbnailer.lane.pool.activeThreadCount() == 0


def test_unreadable_database_is_shown_not_raised(qtbot) -> None:  # type: ignore[no-untyped-def]
    paths = data_paths().ensure()
    paths.database.write_bytes(b"garbage" * 200)
    view = GalleryView()
    qtbot.addWidget(view)
    assert view.gallery is None
    assert view.message.text().startswith("The gallery cannot be opened")
    view.close()


def test_shown_view_paints_thumbnails_as_they_arrive(qtbot, gallery: Path) -> None:  # type: ignore[no-untyped-def]
    view = GalleryView(gallery)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    model = view.gallery
    assert model is not None
    # Only painting asks for icons: the grid requests them by itself.
    qtbot.waitUntil(lambda: len(model._icons) == 6, timeout=10_000)
    assert all(icon is not model.missing for icon in model._icons.values())
    view.close()
