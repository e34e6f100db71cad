"""Drag and drop: ours, A1111 and ComfyUI images (and our text outputs) restore their
parameters in the Parameters dock; anything else is one line, never a crash."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMainWindow

from studio.core.outputs.record import OutputRecord
from studio.core.outputs.writer import OutputWriter
from studio.core.requests import ImageRequest, TranslateRequest
from studio.gui.drop import DropHandler, install_drop_target
from studio.gui.drop_reader import find_model, read_dropped
from studio.gui.parameters import ParametersDock
from studio.models.catalog import ModelCatalog
from studio.models.identify.identity import Identity
from tests.gui.leaks import threads_named

A1111 = (
    "a red fox in the snow, <lora:detail:0.6>\nNegative prompt: blurry, lowres\n"
    "Steps: 23, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6.5, Seed: 3141592653, "
    "Size: 640x448, Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Version: v1.10.1"
)
COMFY = {
    "3": {"class_type": "KSampler", "inputs": {
        "seed": 42, "steps": 17, "cfg": 5.0, "sampler_name": "euler_ancestral",
        "scheduler": "normal", "denoise": 1.0, "model": ["4", 0], "positive": ["6", 0],
        "negative": ["7", 0], "latent_image": ["5", 0]}},
    "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "SD1.5/dreamy.safetensors"}},
    "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 768, "height": 512, "batch_size": 1}},
    "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a castle on a cliff", "clip": ["4", 1]}},
    "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "fog", "clip": ["4", 1]}},
}  # fmt: skip


class Seen:
    """What the handler told the window."""

    def __init__(self) -> None:
        self.images: list[Path] = []
        self.lines: list[str] = []


@pytest.fixture
def catalog(studio_home: Path) -> Iterator[ModelCatalog]:
    studio_home.mkdir(parents=True, exist_ok=True)
    with ModelCatalog(studio_home / "studio.sqlite3") as made:
        for name, task, kind in (("v1-5-pruned-emaonly", "image", "checkpoint"),
                                 ("dreamy", "image", "checkpoint"), ("detail", "image", "lora"),
                                 ("tiny-sd", "image", "pipeline")):  # fmt: skip
            made.record(Path(f"/models/{name}"), Identity(task, "sd1", kind, "safetensors"),
                        name=name, source="folder", size=1, signature=name)  # fmt: skip
        yield made


@pytest.fixture
def window(qtbot: Any, catalog: ModelCatalog) -> Iterator[tuple[QMainWindow, DropHandler, Seen]]:
    main = QMainWindow()
    dock = ParametersDock(main)
    main.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    main.dock = dock  # type: ignore[attr-defined]
    seen = Seen()
    handler = install_drop_target(
        main, dock.load_request, seen.images.append, seen.lines.append, catalog=catalog,
        current_model=lambda task: dock.forms[task].model.text() if task in dock.forms else "",
    )  # fmt: skip
    main.show()
    qtbot.waitExposed(main)
    yield main, handler, seen
    handler.shutdown()
    dock.forms["image"].shutdown()
    qtbot.waitUntil(lambda: not threads_named("drop-reader", "thumbnail"), timeout=2000)
    main.close()
    main.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def drop(qtbot: Any, widget: Any, path: Path, handler: DropHandler | None = None) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(widget, event)
    assert event.isAccepted()
    if handler is not None:
        qtbot.waitUntil(lambda: not handler.worker.busy, timeout=5000)


def png(path: Path, **chunks: str) -> Path:
    info = PngInfo()
    for key, value in chunks.items():
        info.add_text(key, value)
    Image.new("RGB", (32, 32), "teal").save(path, pnginfo=info)
    return path


def test_a1111_png_restores_every_parameter(qtbot: Any, window: Any, tmp_path: Path) -> None:
    main, handler, seen = window
    drop(qtbot, main, png(tmp_path / "a1111.png", parameters=A1111), handler)
    assert seen.lines == [] and seen.images == []
    form = main.dock.forms["image"]
    request = main.dock.build_request()
    assert request == ImageRequest(
        model=str(find_model(handler.catalog, "image", ["v1-5-pruned-emaonly"], None)),
        prompt="a red fox in the snow,", negative_prompt="blurry, lowres", width=640,
        height=448, steps=23, guidance=6.5, sampler="DPM++ 2M Karras", seed=3141592653,
        loras=(("detail", 0.6),),
    )  # fmt: skip
    assert form.size_preset.currentText() == "Custom"
    assert form.seed.lock.isChecked()


def test_unknown_model_keeps_the_current_one(qtbot: Any, window: Any, tmp_path: Path) -> None:
    main, handler, seen = window
    main.dock.set_model("my-model", "image")
    text = A1111.replace("v1-5-pruned-emaonly", "someone-elses-model")
    drop(qtbot, main, png(tmp_path / "other.png", parameters=text), handler)
    assert seen.lines == ["model someone-elses-model not found; kept the current model"]
    assert main.dock.build_request().model == "my-model"
    assert main.dock.build_request().steps == 23


def test_comfyui_png(qtbot: Any, window: Any, tmp_path: Path) -> None:
    main, handler, seen = window
    path = png(tmp_path / "comfy.png", prompt=json.dumps(COMFY), workflow="{}")
    drop(qtbot, main, path, handler)
    request = main.dock.build_request()
    dreamy = handler.catalog.find("dreamy")
    assert (request.model, request.prompt, request.negative_prompt) == (
        str(dreamy.id), "a castle on a cliff", "fog")  # fmt: skip
    assert (request.seed, request.steps, request.guidance, request.sampler) == (
        42,
        17,
        5.0,
        "Euler a",
    )
    assert (request.width, request.height) == (768, 512)
    assert seen.lines == []


def test_our_own_png_restores_the_exact_request(qtbot: Any, window: Any, tmp_path: Path) -> None:
    main, handler, seen = window
    original = ImageRequest(model="tiny-sd", prompt="a lighthouse: 雪, storm", width=64,
                            height=64, steps=7, guidance=3.5, sampler="Euler a", batch_size=2,
                            seed=-1, loras=(("detail", 0.5),))  # fmt: skip
    record = OutputRecord(original, seed=99, model_name="tiny-sd", sampler="Euler a")
    path, _ = OutputWriter(tmp_path / "out").write_image(Image.new("RGB", (64, 64)), record)
    drop(qtbot, main, path, handler)
    assert main.dock.build_request() == original.replace(seed=99)
    assert seen.lines == []


def test_our_text_output_restores_its_translate_request(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    main, handler, seen = window
    original = TranslateRequest(model="/no/such/opus-mt-pt-en", source="pt", target="en",
                                text="O gato dorme.", beams=2)  # fmt: skip
    record = OutputRecord(original, seed=0, model_name="opus-mt-pt-en")
    path, _ = OutputWriter(tmp_path / "out").write_text("The cat sleeps.", record)
    drop(qtbot, main, path, handler)
    assert main.dock.task == "translate"
    assert main.dock.build_request() == original
    assert seen.lines == ["model opus-mt-pt-en not found; choose a model in the Models dock"]


def test_a1111_jpeg_exif_user_comment(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9286] = b"UNICODE\0" + A1111.encode("utf-16-be")
    path = tmp_path / "a1111.jpg"
    Image.new("RGB", (32, 32), "teal").save(path, exif=exif.tobytes())
    dropped = read_dropped(path)
    assert dropped.restored is not None and dropped.model_name == "v1-5-pruned-emaonly"
    assert dropped.restored.fields["seed"] == 3141592653


def test_plain_image_is_offered_as_init_image(qtbot: Any, window: Any, tmp_path: Path) -> None:
    main, handler, seen = window
    form = main.dock.forms["image"]
    handler.on_image = form.offer_image
    main.dock.set_model("tiny-sd", "image")
    plain = tmp_path / "photo.png"
    Image.new("RGB", (40, 24), "orange").save(plain)
    drop(qtbot, main, plain, handler)
    assert seen.lines == ["no generation parameters in photo.png"]
    assert form.offer.isVisible()
    form.offer.findChildren(type(form.paint_button))[0].click()  # "Init image"
    assert form.init_image.path() == str(plain)
    assert not form.offer.isVisible()
    assert main.dock.build_request().mode == "img2img"


@pytest.mark.parametrize(
    ("name", "data"),
    [("broken.png", b"\x89PNG\r\n\x1a\n not really"), ("notes.json", b"{not json"),
     ("empty.webp", b"")],
)  # fmt: skip
def test_unreadable_files_are_one_line(
    qtbot: Any, window: Any, tmp_path: Path, name: str, data: bytes
) -> None:
    main, handler, seen = window
    path = tmp_path / name
    path.write_bytes(data)
    drop(qtbot, main, path, handler)
    assert len(seen.lines) == 1 and "\n" not in seen.lines[0]
    assert name in seen.lines[0]
    assert seen.images == []


def test_parameters_no_request_accepts_are_one_line(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    main, handler, seen = window
    text = A1111.replace("Size: 640x448", "Size: 641x448")
    drop(qtbot, main, png(tmp_path / "odd.png", parameters=text), handler)
    assert seen.lines == ["cannot use the parameters in odd.png: width must be a multiple of 8 "
                          "(got 641)"]  # fmt: skip


def test_dropping_on_the_init_and_mask_slots(qtbot: Any, window: Any, tmp_path: Path) -> None:
    main, _, seen = window
    form = main.dock.forms["image"]
    main.dock.set_model("tiny-sd", "image")
    init = png(tmp_path / "init.png", parameters=A1111)  # a slot takes the picture, not its text
    mask = tmp_path / "mask.png"
    Image.new("L", (32, 32), 255).save(mask)
    drop(qtbot, form.init_image, init)
    drop(qtbot, form.mask_image, mask)
    qtbot.waitUntil(lambda: form.init_image.thumb.pixmap() is not None
                    and not form.init_image.thumb.pixmap().isNull())  # fmt: skip
    request = main.dock.build_request()
    assert (request.mode, request.init_image, request.mask_image) == (
        "inpaint", str(init), str(mask))  # fmt: skip
    assert form.init_image.detail.text() == "32 × 32"
    assert seen.lines == [] and request.prompt == ""
    form.init_image.clear_button.click()
    assert main.dock.build_request() is None
    assert main.dock.error.text() == "inpaint needs an init image"


def test_load_request_restores_init_image_mask_and_strength(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    main, _, _ = window
    original = ImageRequest(model="m", prompt="p", mode="inpaint", strength=0.4,
                            init_image=str(tmp_path / "gone.png"), mask_image=str(tmp_path / "m.png"))  # fmt: skip
    main.dock.load_request(original)
    assert main.dock.build_request() == original
    assert main.dock.forms["image"].init_image.detail.text() == "missing file"


def test_text_and_browser_drags_are_not_taken(qtbot: Any, window: Any) -> None:
    main, _, _ = window
    mime = QMimeData()
    mime.setText("just text")
    mime.setUrls([QUrl("https://example.com/fox.png")])
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    enter.ignore()
    QApplication.sendEvent(main, enter)
    assert not enter.isAccepted()


def test_find_model_by_short_hash_and_not_an_adapter(catalog: ModelCatalog) -> None:
    tiny = catalog.find("tiny-sd")
    catalog.set_hash(tiny.id, "abcdef0123" + "0" * 54)
    assert find_model(catalog, "image", ["unknown-name"], "ABCDEF0123") == str(tiny.id)
    assert find_model(catalog, "image", ["detail"], None) is None  # a LoRA, not a model
    assert find_model(catalog, "image", ["tiny-sd"], None) == "tiny-sd"
    # An id from another machine is trusted only when its name matches.
    assert find_model(catalog, "image", [str(tiny.id), "other"], None) is None


def test_handler_cleans_up(qtbot: Any, tmp_path: Path) -> None:
    handler = DropHandler(lambda r: None, lambda p: None, lambda line: None)
    handler.open(tmp_path / "nothing-here.png")
    handler.shutdown()
    qtbot.waitUntil(lambda: not threads_named("drop-reader"), timeout=2000)
