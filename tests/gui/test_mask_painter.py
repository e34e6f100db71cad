"""The mask painter: strokes in image pixels, erase, invert, clear, undo, and the saved PNG."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from studio.gui.mask_painter import MaskPainter
from studio.gui.parameters import ParametersDock


def white(path: Path) -> set[tuple[int, int]]:
    with Image.open(path) as mask:
        assert mask.mode == "L"
        width = mask.width
        return {(i % width, i // width) for i, v in enumerate(mask.get_flattened_data()) if v > 127}


def gone(widget: Any) -> None:
    widget.close()
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def painter(qtbot: Any, make_image: Callable[..., Path]) -> Iterator[MaskPainter]:
    made = MaskPainter(make_image("photo.png", size=(96, 64)))
    made.open()  # never exec(): nothing blocks
    qtbot.waitExposed(made)
    yield made
    gone(made)


def on_screen(painter: MaskPainter, x: float, y: float) -> QPoint:
    """Where image pixel (x, y) is on the canvas widget."""
    rect = painter.canvas.target()
    scale = rect.width() / painter.canvas.image.width()
    return QPoint(round(rect.x() + x * scale), round(rect.y() + y * scale))


def test_a_mouse_stroke_is_saved_as_white(
    qtbot: Any, painter: MaskPainter, studio_home: Path
) -> None:
    painter.size_slider.setValue(8)
    canvas = painter.canvas
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=on_screen(painter, 20, 32))
    qtbot.mouseMove(canvas, on_screen(painter, 50, 32))
    qtbot.mouseMove(canvas, on_screen(painter, 76, 32))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=on_screen(painter, 76, 32))
    with qtbot.waitSignal(painter.mask_saved) as saved:
        painter.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    path = Path(saved.args[0])
    assert path == painter.saved_path and path.parent == studio_home / "masks"
    with Image.open(path) as mask:
        assert mask.size == (96, 64)  # the init image's own size, whatever the zoom
    pixels = white(path)
    assert {(20, 32), (50, 32), (76, 32)} <= pixels
    assert (50, 5) not in pixels and (5, 60) not in pixels
    assert len(canvas.history) == 1  # the whole drag is one undo step
    assert painter.result() == painter.DialogCode.Accepted


def test_undo_erase_invert_and_clear(qtbot: Any, painter: MaskPainter) -> None:
    canvas = painter.canvas
    canvas.brush = 10
    canvas.stroke([QPointF(10, 10), QPointF(80, 10)])
    assert canvas.mask.pixelColor(40, 10).value() == 255
    painter.erase_button.click()
    canvas.stroke([QPointF(40, 10)])
    assert canvas.mask.pixelColor(40, 10).value() == 0
    assert canvas.mask.pixelColor(15, 10).value() == 255
    qtbot.keyClick(painter, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert canvas.mask.pixelColor(40, 10).value() == 255  # the erase is undone
    painter.paint_button.click()
    assert not canvas.erasing
    canvas.invert()
    assert canvas.mask.pixelColor(40, 10).value() == 0
    assert canvas.mask.pixelColor(40, 50).value() == 255
    canvas.clear()
    assert canvas.mask.pixelColor(40, 50).value() == 0
    for _ in range(3):
        canvas.undo()  # clear, invert, then the stroke
    assert canvas.mask.pixelColor(40, 10).value() == 0
    canvas.undo()  # nothing left: no error
    assert canvas.overlay.size() == canvas.mask.size()


def test_brush_size_keys(qtbot: Any, painter: MaskPainter) -> None:
    painter.size_slider.setValue(20)
    qtbot.keyClick(painter, Qt.Key.Key_BracketRight)
    assert painter.canvas.brush == 24
    qtbot.keyClick(painter, Qt.Key.Key_BracketLeft)
    assert painter.canvas.brush < 24
    assert painter.size_label.text() == f"{painter.canvas.brush} px"


def test_starts_from_an_existing_mask_scaled_to_the_image(
    qtbot: Any, make_image: Callable[..., Path]
) -> None:
    small = make_image("small-mask.png", size=(48, 32), mode="L")  # all white, half size
    painter = MaskPainter(make_image("photo.png", size=(96, 64)), small)
    qtbot.addWidget(painter)
    assert painter.canvas.mask.size().toTuple() == (96, 64)
    assert painter.canvas.mask.pixelColor(90, 60).value() == 255


def test_unreadable_init_image_is_one_line(qtbot: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    painter = MaskPainter(broken)
    qtbot.addWidget(painter)
    painter.open()
    assert painter.error.text() == "cannot read broken.png: not an image, or damaged"
    assert not painter.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    painter.accept()  # refused: nothing written, still open
    assert painter.saved_path is None and painter.isVisible()
    gone(painter)


def test_the_image_form_paints_its_mask(qtbot: Any, make_image: Callable[..., Path]) -> None:
    dock = ParametersDock()
    dock.show()
    qtbot.waitExposed(dock)
    form = dock.forms["image"]
    dock.set_model("tiny-sd", "image")
    assert not form.paint_button.isEnabled()  # nothing to paint over yet
    form.init_image.set_path(make_image("photo.png", size=(96, 64)))
    form.paint_button.click()
    painter = form.painter
    assert painter.isVisible()
    painter.canvas.stroke([QPointF(48, 32)])
    painter.accept()
    assert form.mask_image.path() == str(painter.saved_path)
    request = dock.build_request()
    assert (request.mode, request.mask_image) == ("inpaint", str(painter.saved_path))
    assert form.painter is None
    # Painting again starts from the saved mask; a second click shows the same painter.
    form.paint_button.click()
    again = form.painter
    form.paint_button.click()
    assert form.painter is again
    assert again.canvas.mask.pixelColor(48, 32).value() == 255
    form.shutdown()  # the window closes: the painter goes, nothing is saved
    assert form.painter is None
    assert form.mask_image.path() == request.mask_image
    gone(dock)
