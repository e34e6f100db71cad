"""The audio viewer: waveform peaks, the player or its fallback, playback controls."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Signal

from studio.gui.viewers import AudioViewer
from studio.gui.viewers.playback import create_player
from studio.gui.viewers.waveform import compute_peaks
from tests.gui.viewer_helpers import (
    MS,
    UNAVAILABLE,
    Opened,
    no_player,
    shown,
    sine,
)


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
