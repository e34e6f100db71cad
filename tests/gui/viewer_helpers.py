"""Gallery outputs of every kind and helpers for the viewer and gallery-action tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import soundfile
from PIL import Image
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtWidgets import QApplication

from studio.core.gallery import GalleryStore
from studio.core.gallery.store import GalleryEntry
from studio.core.outputs.record import OutputRecord
from studio.core.outputs.writer import OutputWriter
from studio.core.paths import data_paths
from studio.core.requests import ImageRequest, MusicRequest, TextRequest

MS = 5000
UNAVAILABLE = "libpulse.so.0: cannot open shared object file"


def no_player(parent: QObject) -> tuple[None, str]:
    return None, UNAVAILABLE


def sine(seconds: float = 2.0, rate: int = 16000, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * 220 * t) * amplitude).astype("float32")


def seed_outputs(root: Path) -> dict[str, GalleryEntry]:
    """One output of each kind, written and recorded the way the runtime does it."""
    writer = OutputWriter(root / "out")
    init = root / "init.png"
    Image.new("RGB", (64, 64), (200, 40, 40)).save(init)
    image = ImageRequest(model="tiny-sd", prompt="a red lighthouse", seed=11, width=96, height=64)
    edit = ImageRequest(model="tiny-sd", prompt="a blue lighthouse", mode="img2img",
                        init_image=str(init), strength=0.5, width=64, height=64)  # fmt: skip
    written: dict[str, tuple[Path, OutputRecord, str]] = {}
    record = OutputRecord(image, seed=11, model_name="tiny-sd", model_hash="45dee52b10",
                          sampler="Euler a", run={"device": "cpu"})  # fmt: skip
    path, sha = writer.write_image(Image.new("RGB", (96, 64), "red"), record)
    written["image"] = (path, record, sha)
    record = OutputRecord(edit, seed=22, model_name="tiny-sd")
    path, sha = writer.write_image(Image.new("RGB", (64, 64), "blue"), record)
    written["img2img"] = (path, record, sha)
    record = OutputRecord(MusicRequest(model="tiny-musicgen", prompt="calm piano"), seed=33)
    buffer = root / "clip.wav"
    soundfile.write(buffer, sine(), 16000)
    path, sha = writer.write_bytes(buffer.read_bytes(), record, ".wav")
    written["audio"] = (path, record, sha)
    record = OutputRecord(TextRequest(model="tiny-gpt2", prompt="a poem about the sea"), seed=44)
    path, sha = writer.write_text("# The sea\n\nWaves *again*.\n", record, ".md")
    written["text"] = (path, record, sha)
    path, sha = writer.write_text('def f():\n    return "x"  # done\n', record, ".py")
    written["code"] = (path, record, sha)
    entries = {}
    with GalleryStore(data_paths().ensure().database) as store:
        for name, (path, record, sha) in written.items():
            entry = store.get(store.add(path, record, sha))
            assert entry is not None
            entries[name] = entry
    return entries


class Opened(QObject):
    """Collects URLs that QDesktopServices would open (no file manager runs in tests)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def shown(qtbot: Any, widget: Any) -> Any:
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    activate(qtbot, widget)
    return widget


def activate(qtbot: Any, window: Any) -> None:
    """Make `window` the active one: keyboard shortcuts only reach the active window."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=MS)
