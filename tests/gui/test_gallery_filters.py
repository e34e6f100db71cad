"""Tagging outputs from the gallery, and the tag and date filters of its bar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMenu

from studio.core.database import connect
from studio.core.paths import data_paths
from studio.gui.gallery import GalleryView

AGES = (0, 3, 20, 60)  # days before now


@pytest.fixture
def view(qtbot: Any, tmp_path: Path) -> Any:
    """A shown gallery of four text outputs made 0, 3, 20 and 60 days ago (newest first)."""
    database = data_paths().ensure().database
    conn = connect(database)
    for age in AGES:
        path = tmp_path / f"{age}.md"
        path.write_text(f"# {age} days old\n", encoding="utf-8")
        created = (datetime.now(UTC) - timedelta(days=age)).isoformat(timespec="seconds")
        conn.execute(
            "INSERT INTO outputs (path, task, model, prompt, record_json, sha256, created)"
            " VALUES (?, 'text', 'tiny-gpt2', ?, '{}', '00', ?)",
            (str(path), f"a note {age} days old", created),
        )
    conn.close()
    gallery = GalleryView(database)
    qtbot.addWidget(gallery)
    gallery.resize(420, 500)
    gallery.show()
    qtbot.waitExposed(gallery)
    yield gallery
    gallery.close()


def select(view: GalleryView, *numbers: int) -> None:
    flags = QItemSelectionModel.SelectionFlag
    model, selection = view.gallery, view.list.selectionModel()
    selection.setCurrentIndex(model.index(numbers[0]), flags.ClearAndSelect)
    for number in numbers[1:]:
        selection.select(model.index(number), flags.Select)
    view.list.setFocus()


def items(box: Any) -> list[str]:
    return [box.itemText(i) for i in range(box.count())]


def prompts(view: GalleryView) -> list[str]:
    return [view.gallery.row(i).prompt for i in range(view.gallery.rowCount())]


def test_tag_then_filter_by_tag_and_untag(qtbot: Any, view: Any) -> None:
    assert items(view.tag) == ["All tags"]
    select(view, 0, 2)
    qtbot.keyClick(view.list, Qt.Key.Key_T)  # "Add tag…" opens the inline editor
    assert view.tag_editor.isVisible() and view.tag_editor.hasFocus()
    assert view.message.text() == "Tag for 2 output(s): Enter adds it, Esc cancels"
    qtbot.keyClicks(view.tag_editor, "  Favourite ")
    qtbot.keyClick(view.tag_editor, Qt.Key.Key_Return)
    assert view.message.text() == 'Tagged 2 output(s) "Favourite"'
    assert not view.tag_editor.isVisible() and view.list.hasFocus()
    assert items(view.tag) == ["All tags", "Favourite (2)"]
    select(view, 1)
    view.actions.add_tag.trigger()
    view.tag_editor.setText("favourite")  # another case: the same tag, first spelling kept
    view.tag_editor.returnPressed.emit()
    assert items(view.tag) == ["All tags", "Favourite (3)"]

    view.tag.setCurrentIndex(1)
    assert prompts(view) == ["a note 0 days old", "a note 3 days old", "a note 20 days old"]
    assert view.current_filter().tag == "Favourite"
    select(view, 0, 1)
    menu = QMenu()
    view.actions.fill_untag_menu(menu)
    assert [a.text() for a in menu.actions()] == ["Favourite"]
    menu.actions()[0].trigger()
    assert view.message.text() == 'Removed the tag "Favourite" from 2 output(s)'
    assert items(view.tag) == ["All tags", "Favourite (1)"]
    assert prompts(view) == ["a note 20 days old"]  # the filtered grid follows at once
    select(view, 0)
    view.actions.untag_selected("FAVOURITE")
    assert items(view.tag) == ["All tags"] and view.gallery.rowCount() == 4  # tag gone: all


def test_a_bad_tag_is_one_line_and_esc_cancels(qtbot: Any, view: Any) -> None:
    select(view, 0)
    view.actions.add_tag.trigger()
    qtbot.keyClicks(view.tag_editor, "   ")
    qtbot.keyClick(view.tag_editor, Qt.Key.Key_Return)
    assert view.message.text() == "Cannot add the tag: a tag cannot be empty"
    assert view.tag_editor.isVisible()  # still open, to fix the tag
    qtbot.keyClick(view.tag_editor, Qt.Key.Key_Escape)
    assert not view.tag_editor.isVisible() and view.list.hasFocus()
    assert view.message.text() == ""  # the hint went with the editor
    assert view.store.all_tags() == []
    menu = QMenu()
    view.actions.fill_untag_menu(menu)
    assert [(a.text(), a.isEnabled()) for a in menu.actions()] == [("No tags", False)]


def test_date_filter_in_the_filters_menu(qtbot: Any, view: Any) -> None:
    bar = view.bar
    assert bar.filters.text() == "Filters"
    counts = []
    for action in (*bar.date_actions[1:], bar.date_actions[0]):
        action.trigger()
        counts.append(view.gallery.rowCount())
    assert counts == [1, 2, 3, 4]  # today, 7 days, 30 days, any time
    bar.date_actions[2].trigger()
    bar.order_actions[1].trigger()
    assert bar.filters.text() == "Filters (2)"
    assert bar.filters.toolTip() == "Oldest first, Last 7 days"
    assert prompts(view) == ["a note 3 days old", "a note 0 days old"]
    assert bar.since(date(2026, 3, 3)) == "2026-02-25"  # today and the 6 days before
    view.search.setText("nothing-like-this")
    view.apply_filter()
    assert view.message.text() == "No outputs match." and view.is_filtered()


def test_the_bar_stays_narrow(qtbot: Any, view: Any) -> None:
    assert view.minimumSizeHint().width() <= 370
    view.resize(370, 500)
    for box in (view.task, view.model_box, view.tag):
        assert box.width() >= box.fontMetrics().horizontalAdvance("All models") // 2
    assert view.bar.filters.isVisible() and view.search.width() > 150
    assert view.model_box.toolTip() == "All models"  # the whole name, if the combo cuts it
    view.model_box.setCurrentIndex(1)
    assert view.model_box.toolTip() == "tiny-gpt2"
