"""Viewers on real outputs (written by OutputWriter, recorded by GalleryStore)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PIL import Image
from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import QApplication

from studio.core.gallery import GalleryStore
from studio.core.gallery.store import GalleryEntry
from studio.core.outputs.record import OutputRecord
from studio.core.outputs.writer import OutputWriter
from studio.core.paths import data_paths
from studio.core.requests import ImageRequest, MusicRequest, TextRequest
from studio.gui.viewers import AudioViewer, ImageViewer, TextViewer, ViewerPanel, viewer_kind
from studio.gui.viewers.highlighter import CodeHighlighter, language_for
from studio.gui.viewers.playback import create_player
from studio.gui.viewers.waveform import compute_peaks

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


@pytest.fixture
def outputs(tmp_path: Path) -> dict[str, GalleryEntry]:
    return seed_outputs(tmp_path)


class Opened(QObject):
    """Collects URLs that QDesktopServices would open (no file manager runs in tests)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def opened() -> Any:
    catcher = Opened()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    yield catcher
    QDesktopServices.unsetUrlHandler("file")


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


def test_waveform_peaks_follow_the_samples(tmp_path: Path) -> None:
    path = tmp_path / "stereo.flac"
    left = sine(3.0, amplitude=0.5)
    soundfile.write(path, np.stack([left, left * 0.2], axis=1), 16000)
    peaks = compute_peaks(path, columns=300)
    assert len(peaks.highs) == len(peaks.lows) == 300
    assert peaks.seconds == pytest.approx(3.0) and peaks.channels == 2
    assert max(peaks.highs) == pytest.approx(0.5, abs=0.01)
    assert min(peaks.lows) == pytest.approx(-0.5, abs=0.01)
    short = tmp_path / "short.wav"
    soundfile.write(short, sine(0.001), 16000)  # fewer samples than columns
    assert 0 < len(compute_peaks(short, columns=300).highs) <= 300
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF nonsense")
    with pytest.raises(OSError):
        compute_peaks(broken)


def test_audio_without_multimedia_shows_waveform_and_system_player(
    qtbot: Any, outputs: dict[str, Any], opened: Opened
) -> None:
    viewer = shown(qtbot, AudioViewer(no_player))
    with qtbot.waitSignal(viewer.loaded, timeout=MS):
        viewer.load(outputs["audio"].path)
    assert viewer.note.text() == f"Playback unavailable: {UNAVAILABLE}"
    assert viewer.system_button.isVisible() and not viewer.play_button.isEnabled()
    peaks = viewer.waveform.peaks
    assert peaks is not None and peaks.seconds == pytest.approx(2.0)
    assert viewer.time.text() == "0:00 / 0:02"
    viewer.waveform.grab()  # paints the polygon without error
    viewer.system_button.click()
    assert [url.toLocalFile() for url in opened.urls] == [str(outputs["audio"].path)]
    with qtbot.waitSignal(viewer.failed, timeout=MS) as failed:
        viewer.load(outputs["text"].path)
    assert failed.args[0].startswith("Cannot read ") and "\n" not in failed.args[0]
    viewer.shutdown()


def test_create_player_says_why_when_qtmultimedia_cannot_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)  # import raises ImportError
    parent = QObject()
    player, reason = create_player(parent)
    assert player is None and reason and "\n" not in reason


def test_real_player_when_the_system_has_one(qtbot: Any, outputs: dict[str, Any]) -> None:
    try:
        from PySide6 import QtMultimedia  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"QtMultimedia unavailable here: {exc}")
    viewer = shown(qtbot, AudioViewer())
    with qtbot.waitSignal(viewer.loaded, timeout=MS):
        viewer.load(outputs["audio"].path)
    assert viewer.player is not None and viewer.play_button.isEnabled()
    viewer.shutdown()


class FakePlayer(QObject):
    positionChanged = Signal(int)
    durationChanged = Signal(int)
    playbackStateChanged = Signal(object)
    errorOccurred = Signal(object, str)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.playing, self.source, self.positions = False, QUrl(), []

    def setSource(self, source: QUrl) -> None:
        self.source = source

    def play(self) -> None:
        self.playing = True
        self.playbackStateChanged.emit("playing")

    def pause(self) -> None:
        self.playing = False
        self.playbackStateChanged.emit("paused")

    def stop(self) -> None:
        self.playing = False

    def setPosition(self, milliseconds: int) -> None:
        self.positions.append(milliseconds)

    def isPlaying(self) -> bool:
        return self.playing

    def duration(self) -> int:
        return 2000


def test_playback_controls_drive_the_player(qtbot: Any, outputs: dict[str, Any]) -> None:
    players: list[FakePlayer] = []

    def factory(parent: QObject) -> tuple[FakePlayer, str]:
        players.append(FakePlayer(parent))
        return players[-1], ""

    viewer = shown(qtbot, AudioViewer(factory))
    with qtbot.waitSignal(viewer.loaded, timeout=MS):
        viewer.load(outputs["audio"].path)
    player = players[0]
    assert player.source.toLocalFile() == str(outputs["audio"].path) and not viewer.note.text()
    viewer.play_button.click()
    assert player.playing
    viewer.setFocus()
    qtbot.keyClick(viewer, Qt.Key.Key_Space)
    assert not player.playing
    player.durationChanged.emit(2000)
    player.positionChanged.emit(500)
    assert viewer.waveform.position == pytest.approx(0.25) and viewer.time.text() == "0:00 / 0:02"
    width = viewer.waveform.width()
    qtbot.mouseClick(viewer.waveform, Qt.MouseButton.LeftButton, pos=QPoint(width // 2, 20))
    assert player.positions == [pytest.approx(1000, abs=2000 / width + 1)]
    player.errorOccurred.emit(None, "no audio device")
    assert viewer.note.text() == "Playback failed: no audio device"
    viewer.shutdown()
    assert len(players) == 1 and player.source == QUrl()


def test_markdown_renders_and_shows_its_source(qtbot: Any, outputs: dict[str, Any]) -> None:
    viewer = shown(qtbot, TextViewer())
    with qtbot.waitSignal(viewer.loaded, timeout=MS):
        viewer.load(outputs["text"].path)
    assert viewer.showing_rendered() and viewer.raw_button.isVisible()
    assert viewer.rendered.toPlainText().startswith("The sea")  # a heading, not "# The sea"
    viewer.raw_button.click()
    assert not viewer.showing_rendered() and viewer.raw.toPlainText().startswith("# The sea")
    with qtbot.waitSignal(viewer.loaded, timeout=MS):
        viewer.load(outputs["code"].path)
    assert not viewer.showing_rendered() and not viewer.raw_button.isVisible()
    assert viewer.info.text() == "Python"
    viewer.shutdown()


def test_long_and_missing_text_files(qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr("studio.gui.viewers.text_viewer.MAX_BYTES", 1000)
    long = tmp_path / "long.txt"
    long.write_text("word " * 1000, encoding="utf-8")
    viewer = shown(qtbot, TextViewer())
    with qtbot.waitSignal(viewer.loaded, timeout=MS):
        viewer.load(long)
    assert len(viewer.raw.toPlainText()) == 1000 and "shown" in viewer.info.text()
    with qtbot.waitSignal(viewer.failed, timeout=MS) as failed:
        viewer.load(tmp_path / "gone.md")
    assert failed.args[0] == "Cannot show gone.md: the file is gone"
    viewer.shutdown()


def formats(document: QTextDocument, line: int) -> dict[str, str]:
    """Each highlighted span of one line, by its text, as the foreground colour."""
    block = document.findBlockByNumber(line)
    return {
        block.text()[r.start : r.start + r.length]: r.format.foreground().color().name()
        for r in block.layout().formats()
    }


@pytest.mark.parametrize(
    ("suffix", "source", "expected"),
    [
        (".py", 'x = "a # b"  # note 1\n', {'"a # b"': "string", "# note 1": "comment"}),
        (".py", 'def f():\n    """doc\n    more"""\n    return 2\n', {"def": "keyword"}),
        (".ts", "const n = 42; /* a\nb */ let s = 'q'", {"const": "keyword", "42": "number"}),
        (".json", '{"key": "value", "n": 1.5e3, "ok": true}', {'"key"': "key", "true": "keyword"}),
        (".sh", 'echo "$HOME" # home\n', {"# home": "comment", "echo": "keyword"}),
    ],
)
def test_highlighter_tokens(qtbot: Any, suffix: str, source: str, expected: dict) -> None:
    document = QTextDocument()
    document.documentLayout()  # as in a view: formats live in the layout's blocks
    highlighter = CodeHighlighter(document, language_for(f"file{suffix}"))
    QApplication.processEvents()  # Qt's first (delayed) pass; later edits highlight at once
    document.setPlainText(source)
    spans = formats(document, 0)
    for text, kind in expected.items():
        assert spans.get(text) == highlighter.formats[kind].foreground().color().name(), text


def test_highlighter_carries_blocks_across_lines(qtbot: Any) -> None:
    document = QTextDocument()
    document.documentLayout()
    highlighter = CodeHighlighter(document, "python")
    QApplication.processEvents()
    document.setPlainText('s = """one\ntwo # not a comment\nthree""" + x\n')
    string = highlighter.formats["string"].foreground().color().name()
    assert formats(document, 1) == {"two # not a comment": string}
    assert formats(document, 2) == {'three"""': string}
    highlighter.set_language("c")
    document.setPlainText("/* open\nstill comment\n*/ int x;")
    comment = highlighter.formats["comment"].foreground().color().name()
    assert formats(document, 1) == {"still comment": comment}
    assert formats(document, 2)["int"] == highlighter.formats["keyword"].foreground().color().name()


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
