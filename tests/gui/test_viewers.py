"""Viewers on real outputs (written by OutputWriter, recorded by GalleryStore)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from studio.core.gallery.store import GalleryEntry
from studio.gui.viewers import ImageViewer, ViewerPanel, viewer_kind
from tests.gui.viewer_helpers import (
    MS,
    no_player,
    shown,
)


def test_image_loads_off_thread_then_fits_zooms_and_pans(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    Image.new("RGB", (1600, 1200), (10, 90, 160)).save(path)
    viewer = shown(qtbot, ImageViewer())
    with qtbot.waitSignal(viewer.loaded, timeout=MS):
        viewer.load(path)
        assert viewer.canvas.after.pixmap().isNull()  # decoding happens on the worker
    canvas = viewer.canvas
    assert canvas.fitting and 0 < canvas.zoom() < 1
    fitted = canvas.zoom()
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert canvas.zoom() == 1.0 and not canvas.fitting
    qtbot.keyClick(canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert canvas.zoom() == pytest.approx(0.8)
    qtbot.keyClick(canvas, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert canvas.fitting and canvas.zoom() == pytest.approx(fitted)
    viewer.in_button.click()
    assert canvas.zoom() == pytest.approx(fitted * 1.25) and viewer.zoom_label.text().endswith("%")
    canvas.actual_size()
    scroll = canvas.horizontalScrollBar()
    before = scroll.value()
    qtbot.mousePress(canvas.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(300, 200))
    qtbot.mouseMove(canvas.viewport(), QPoint(200, 200))
    qtbot.mouseRelease(canvas.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(200, 200))
    assert scroll.value() > before  # dragging left pans right
    steps: list[int] = []
    viewer.navigate.connect(steps.append)
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert steps == [1, -1]
    viewer.shutdown()


def test_unreadable_image_is_one_line_not_a_crash(qtbot: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    viewer = shown(qtbot, ImageViewer())
    for path, reason in ((broken, "Cannot show broken.png: "), (tmp_path / "gone.png", "gone")):
        with qtbot.waitSignal(viewer.failed, timeout=MS) as failed:
            viewer.load(path)
        assert reason in failed.args[0] and "\n" not in failed.args[0]
        assert viewer.message.isVisible() and viewer.canvas.after.pixmap().isNull()
    viewer.shutdown()


def test_animated_gif_plays_and_stops(qtbot: Any, tmp_path: Path) -> None:
    frames = [Image.new("RGB", (32, 32), color) for color in ("red", "green", "blue")]
    path = tmp_path / "walk.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=40, loop=0)
    viewer = shown(qtbot, ImageViewer())
    with qtbot.waitSignal(viewer.loaded, timeout=MS):
        viewer.load(path)
    movie = viewer.movie
    assert movie is not None
    qtbot.waitUntil(lambda: movie.currentFrameNumber() > 0, timeout=MS)
    viewer.shutdown()
    assert viewer.movie is None


def test_panel_compares_img2img_with_its_source(qtbot: Any, outputs: dict[str, Any]) -> None:
    panel = shown(qtbot, ViewerPanel(no_player))
    panel.show_entry(outputs["image"])
    viewer = panel.viewer("image")
    qtbot.waitUntil(lambda: not viewer.canvas.after.pixmap().isNull(), timeout=MS)
    assert not viewer.compare_button.isEnabled()  # txt2img has nothing to compare with
    with qtbot.waitSignal(viewer.loaded, timeout=MS):
        panel.show_entry(outputs["img2img"])
    assert viewer.compare_button.isEnabled() and not viewer.canvas.comparing()
    viewer.compare_button.click()
    assert viewer.canvas.comparing() and viewer.split_slider.isVisible()
    viewer.split_slider.setValue(250)
    assert viewer.canvas.clip.rect().width() == pytest.approx(16)  # a quarter of 64 pixels
    source = Path(outputs["img2img"].record["request"]["init_image"])
    source.unlink()
    with qtbot.waitSignal(viewer.loaded, timeout=MS):
        panel.show_entry(outputs["img2img"])
    assert not viewer.compare_button.isEnabled()
    assert viewer.message.text().startswith("No before/after: the source image cannot be read")
    panel.close()


def test_panel_picks_the_viewer_and_shows_the_parameters(
    qtbot: Any, outputs: dict[str, Any]
) -> None:
    assert [viewer_kind(outputs[k].path) for k in ("image", "audio", "text", "code")] == [
        "image", "audio", "text", "text"]  # fmt: skip
    panel = shown(qtbot, ViewerPanel(no_player))
    assert panel.stack.currentWidget() is panel.placeholder
    panel.show_entry(outputs["image"])
    text = panel.parameters.toPlainText()
    for fact in ("a red lighthouse", "Seed", "11", "tiny-sd [45dee52b10]", "Euler a", "96 × 64"):
        assert fact in text
    assert "Strength" not in text  # txt2img has none
    panel.json_button.click()
    assert json.loads(panel.parameters.toPlainText())["seed"] == 11
    panel.json_button.click()
    with qtbot.waitSignal(panel.viewer("audio").loaded, timeout=MS):
        panel.show_entry(outputs["audio"])
    assert panel.stack.currentWidget() is panel.viewers["audio"]
    assert "calm piano" in panel.parameters.toPlainText()
    with qtbot.waitSignal(panel.viewer("text").loaded, timeout=MS):
        panel.show_entry(outputs["code"])
    assert panel.stack.currentWidget() is panel.viewers["text"]
    panel.show_entry(None)
    assert panel.stack.currentWidget() is panel.placeholder and not panel.parameters.toPlainText()
    panel.close()
    assert all(v.loader.pool.activeThreadCount() == 0 for v in panel.viewers.values())


def test_row_without_record_reads_the_sidecar(qtbot: Any, outputs: dict[str, Any]) -> None:
    entry = outputs["text"]
    bare = GalleryEntry(**{**entry.__dict__, "record": {}})
    panel = shown(qtbot, ViewerPanel(no_player))
    panel.show_entry(bare)
    assert panel.record["ai_generated"] is True  # from the .json sidecar beside the file
    assert "a poem about the sea" in panel.parameters.toPlainText()
    entry.path.with_name(entry.path.name + ".json").write_text("{broken", encoding="utf-8")
    panel.show_entry(bare)
    assert panel.record == {} and "a poem about the sea" in panel.parameters.toPlainText()
    panel.close()
    QApplication.processEvents()
