"""Gallery actions on real outputs: open, reuse, copy, reveal, trash and export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QMenu, QSplitter

from studio.core.database import connect
from studio.core.gallery import GalleryStore
from studio.core.gallery.store import GalleryEntry
from studio.core.paths import data_paths
from studio.core.requests import ImageRequest
from studio.gui.gallery import GalleryView
from studio.gui.viewers import ViewerPanel
from tests.gui.viewer_helpers import MS, Opened, activate, no_player


@pytest.fixture
def view(qtbot: Any, outputs: dict[str, GalleryEntry]) -> Any:
    gallery = GalleryView(data_paths().database)
    qtbot.addWidget(gallery)
    gallery.resize(800, 600)
    gallery.show()
    activate(qtbot, gallery)
    yield gallery
    gallery.close()
    assert gallery.actions is not None
    assert gallery.actions.exporter.pool.activeThreadCount() == 0


def select(view: GalleryView, *entries: GalleryEntry) -> None:
    """Make entries[0] current and select all of them; the grid gets the keyboard focus."""
    model = view.gallery
    assert model is not None
    numbers = {model.row(i).id: i for i in range(model.rowCount())}
    selection = view.list.selectionModel()
    flags = QItemSelectionModel.SelectionFlag
    selection.setCurrentIndex(model.index(numbers[entries[0].id]), flags.ClearAndSelect)
    for entry in entries[1:]:
        selection.select(model.index(numbers[entry.id]), flags.Select)
    view.list.setFocus()


def test_enter_and_double_click_open_the_current_output(
    qtbot: Any, view: Any, outputs: Any
) -> None:
    select(view, outputs["audio"])
    with qtbot.waitSignal(view.open_requested, timeout=MS) as opened_row:
        qtbot.keyClick(view.list, Qt.Key.Key_Return)
    assert opened_row.args[0].id == outputs["audio"].id
    center = view.list.visualRect(view.list.currentIndex()).center()
    with qtbot.waitSignal(view.open_requested, timeout=MS) as opened_row:
        # A real double-click starts with a click (Qt opens only what that press picked).
        qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=center)
        qtbot.mouseDClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert opened_row.args[0].id == outputs["audio"].id


def test_current_changes_and_next_previous_walk_the_grid(qtbot: Any, view: Any) -> None:
    rows: list[Any] = []
    view.current_changed.connect(rows.append)
    view.select_next()  # nothing current yet: the first output
    view.select_next()
    view.select_previous()
    view.select_previous()  # stays on the first
    model = view.gallery
    assert [row.id for row in rows] == [model.row(0).id, model.row(1).id, model.row(0).id]


def test_reuse_emits_the_request_with_this_outputs_seed(
    qtbot: Any, view: Any, outputs: Any
) -> None:
    select(view, outputs["image"])
    with qtbot.waitSignal(view.reuse_requested, timeout=MS) as reused:
        qtbot.keyClick(view.list, Qt.Key.Key_R)
    request = reused.args[0]
    assert isinstance(request, ImageRequest)
    assert (request.prompt, request.seed) == ("a red lighthouse", 11)
    conn = connect(data_paths().database)
    conn.execute("UPDATE outputs SET record_json = ? WHERE id = ?",
                 ('{"request": {"type": "hologram"}}', outputs["image"].id))  # fmt: skip
    conn.close()
    with qtbot.assertNotEmitted(view.reuse_requested):
        view.actions.reuse.trigger()
    assert view.message.text() == (
        f"Cannot reuse the parameters of {outputs['image'].path.name}: "
        "unknown request type 'hologram'"
    )


def test_copy_prompt_and_seed(qtbot: Any, view: Any, outputs: Any) -> None:
    select(view, outputs["img2img"])
    qtbot.keyClick(view.list, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "a blue lighthouse"
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view.list, Qt.Key.Key_C, shift_ctrl)
    assert QApplication.clipboard().text() == "22"
    assert view.message.text() == "Seed 22 copied"


def test_open_containing_folder(qtbot: Any, view: Any, outputs: Any, opened: Opened) -> None:
    select(view, outputs["code"])
    view.actions.reveal.trigger()
    assert [url.toLocalFile() for url in opened.urls] == [str(outputs["code"].path.parent)]


def test_trash_moves_file_and_sidecar_and_drops_the_row(
    qtbot: Any, view: Any, outputs: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_home = tmp_path / "xdg"  # the freedesktop trash of this test, not the user's
    data_home.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    text = outputs["text"]
    count = view.gallery.rowCount()
    select(view, text)
    qtbot.keyClick(view.list, Qt.Key.Key_Delete)
    assert view.message.text() == "Moved 1 output(s) to the trash"
    assert not text.path.exists() and not text.path.with_name(text.path.name + ".json").exists()
    trashed = sorted(p.name for p in (data_home / "Trash" / "files").iterdir())
    assert trashed == [text.path.name, text.path.name + ".json"]
    assert view.gallery.rowCount() == count - 1
    with GalleryStore(data_paths().database) as store:
        assert store.get(text.id) is None and store.count() == count - 1


def test_trash_unavailable_keeps_file_and_row(
    qtbot: Any, view: Any, outputs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("studio.gui.gallery.actions.move_to_trash", lambda path: "no trash here")
    select(view, outputs["image"], outputs["audio"])
    count = view.gallery.rowCount()
    view.actions.trash.trigger()
    first = view.selected_rows()[0].path.name
    assert view.message.text() == (
        f"Moved 0 of 2 output(s) to the trash; Cannot move {first} "
        "to the trash (no trash here); the file is kept (and 1 more)"
    )
    assert outputs["image"].path.exists() and outputs["audio"].path.exists()
    assert view.gallery.rowCount() == count


def test_trash_of_a_vanished_file_just_drops_its_row(qtbot: Any, view: Any, outputs: Any) -> None:
    outputs["audio"].path.unlink()
    select(view, outputs["audio"])
    view.actions.trash.trigger()
    assert view.message.text() == "Moved 1 output(s) to the trash"
    assert all(
        view.gallery.row(i).id != outputs["audio"].id for i in range(view.gallery.rowCount())
    )


def test_export_copies_off_thread_with_or_without_metadata(
    qtbot: Any, view: Any, outputs: Any, tmp_path: Path
) -> None:
    share = tmp_path / "share"
    view.actions.choose_folder = lambda: share
    select(view, outputs["image"], outputs["text"])
    with qtbot.waitSignal(view.status_message, timeout=MS,
                          check_params_cb=lambda text: text.startswith("Exported")) as done:  # fmt: skip
        view.actions.export.trigger()
    assert done.args[0] == f"Exported 2 of 2 output(s) to {share}"
    names = sorted(p.name for p in share.iterdir())
    assert names == sorted([outputs["image"].path.name, outputs["text"].path.name,
                            outputs["text"].path.name + ".json"])  # fmt: skip
    clean = tmp_path / "clean"
    view.actions.choose_folder = lambda: clean
    select(view, outputs["image"], outputs["audio"])
    with qtbot.waitSignal(view.status_message, timeout=MS,
                          check_params_cb=lambda text: text.startswith("Exported")):  # fmt: skip
        qtbot.keyClick(
            view.list,
            Qt.Key.Key_E,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    image = clean / outputs["image"].path.name
    assert b"a red lighthouse" not in image.read_bytes()
    with Image.open(image) as picture:
        assert "parameters" not in picture.info and picture.size == (96, 64)
    assert b"calm piano" not in (clean / outputs["audio"].path.name).read_bytes()


def test_export_reports_what_failed(qtbot: Any, view: Any, outputs: Any, tmp_path: Path) -> None:
    view.actions.choose_folder = lambda: tmp_path / "share"
    outputs["code"].path.unlink()
    select(view, outputs["code"], outputs["text"])
    with qtbot.waitSignal(view.status_message, timeout=MS,
                          check_params_cb=lambda text: text.startswith("Exported")) as done:  # fmt: skip
        view.actions.export.trigger()
    assert done.args[0].endswith(f"; cannot export {outputs['code'].path.name}: the file is gone")
    assert done.args[0].startswith("Exported 1 of 2")
    view.actions.choose_folder = lambda: None  # the person cancelled the folder dialog
    with qtbot.assertNotEmitted(view.status_message):
        view.actions.export.trigger()


def test_context_menu_holds_every_action(qtbot: Any, view: Any, outputs: Any) -> None:
    select(view, outputs["image"])
    view._context_menu(view.list.visualRect(view.list.currentIndex()).center())
    menus = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible()]
    assert len(menus) == 1
    texts = [a.text() for a in menus[0].actions() if not a.isSeparator()]
    assert texts == ["Open", "Reuse parameters", "Copy prompt", "Copy seed", "Add tag…",
                     "Remove tag", "Open containing folder", "Move to trash", "Export…",
                     "Export without metadata…"]  # fmt: skip
    menus[0].close()


def test_actions_wait_for_an_output(qtbot: Any, tmp_path: Path) -> None:
    view = GalleryView(data_paths().ensure().database)  # an empty gallery
    qtbot.addWidget(view)
    assert view.actions is not None
    assert not any(action.isEnabled() for action in view.actions.all())
    view.select_next()  # nothing to select: no error
    view.close()


def test_panel_follows_the_gallery(qtbot: Any, outputs: Any) -> None:
    window = QSplitter()  # one window, as in the studio: the grid beside the viewer
    qtbot.addWidget(window)
    view = GalleryView(data_paths().database)
    panel = ViewerPanel(no_player)
    window.addWidget(view)
    window.addWidget(panel)
    panel.follow(view)
    window.resize(1000, 600)
    window.show()
    activate(qtbot, window)
    select(view, outputs["code"])
    assert panel.entry is not None and panel.entry.id == outputs["code"].id
    number = view.list.currentIndex().row()
    panel.next_button.click()
    assert panel.entry.id == view.gallery.row(number + 1).id
    panel.parameters.setFocus()
    qtbot.keyClick(panel.parameters, Qt.Key.Key_PageUp)
    assert panel.entry.id == outputs["code"].id
    qtbot.keyClick(panel.parameters, Qt.Key.Key_PageDown)
    assert panel.entry.id == view.gallery.row(number + 1).id
    assert panel.actions_button.isVisible() and panel.actions_button.menu() is not None
    window.close()
    view.close()
    panel.close()
