"""AudioViewer: an audio output's waveform, a play/pause button and seek by click.

The waveform is computed on a worker thread. The media player is created when the first
clip is opened (QtMultimedia starts the system's audio stack); where it cannot be, the
waveform still shows, with one line saying why and a button for the system's player.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError, one_line
from studio.gui.background import TaskLane
from studio.gui.viewers.playback import Player, PlayerFactory, create_player
from studio.gui.viewers.waveform import Peaks, WaveformWidget, compute_peaks


def read_peaks(path: Path) -> Peaks:
    """compute_peaks, an unreadable file being the user's one line (not a bug's)."""
    try:
        return compute_peaks(path)
    except OSError as exc:
        raise StudioError(one_line(exc)) from None


def clock(milliseconds: float) -> str:
    seconds = max(int(milliseconds // 1000), 0)
    return f"{seconds // 60}:{seconds % 60:02d}"


class AudioViewer(QWidget):
    """load(path) draws the clip's waveform and readies it for playback."""

    loaded = Signal(str)  # the path whose waveform is drawn
    failed = Signal(str)  # one line: why there is no waveform

    def __init__(self, player_factory: PlayerFactory = create_player,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.path: Path | None = None
        self.player: Player | None = None
        self.problem = ""  # why playback is unavailable, once known
        self._factory: PlayerFactory | None = player_factory
        self._duration_ms = 0.0
        self.waveform = WaveformWidget()
        self.waveform.seek_requested.connect(self.seek)
        self.play_button = QToolButton()
        self.play_button.setAutoRaise(True)
        self.play_button.setToolTip(self.tr("Play / pause (Space)"))
        self.play_button.clicked.connect(self.toggle)
        self.time = QLabel(clock(0))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        self.system_button = QPushButton(self.tr("Open in system player"))
        self.system_button.clicked.connect(self.open_externally)
        self.system_button.hide()
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.play_button)
        bar.addWidget(self.time)
        bar.addStretch(1)
        bar.addWidget(self.system_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)  # the waveform has a most useful height: centre it
        layout.addWidget(self.waveform, stretch=4)
        layout.addLayout(bar)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.loader = TaskLane("waveform", self, on_error=self._peaks_failed, latest_only=True)
        space = QAction(self)
        space.setShortcut(QKeySequence(Qt.Key.Key_Space))
        space.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        space.triggered.connect(self.toggle)
        self.addAction(space)
        self._refresh_button()

    def load(self, path: Path) -> None:
        self.path = Path(path)
        self._ensure_player()
        if self.player is not None:
            self.player.stop()
            self.player.setSource(QUrl.fromLocalFile(str(self.path)))
            self.note.hide()  # a playback error belonged to the previous clip
            self.system_button.hide()
        self._duration_ms = 0.0
        self.waveform.set_peaks(None, self.tr("Reading the waveform…"))
        self.time.setText(clock(0))
        self.loader.submit(read_peaks, self._peaks_ready, Path(path))
        self._refresh_button()

    def toggle(self) -> None:
        if self.player is None or self.path is None:
            return
        if self.player.isPlaying():
            self.player.pause()
        else:
            self.player.play()

    def seek(self, fraction: float) -> None:
        if self.player is not None and self._duration_ms > 0:
            self.player.setPosition(int(fraction * self._duration_ms))
            self.waveform.set_position(fraction)

    def open_externally(self) -> bool:
        if self.path is None:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path)))

    def clear(self) -> None:
        self.loader.cancel()
        if self.player is not None:
            self.player.stop()
            self.player.setSource(QUrl())
        self.path = None
        self.waveform.set_peaks(None)
        self._refresh_button()

    def shutdown(self) -> None:
        self.clear()
        self.loader.stop()  # clear() forgot the pending read

    def _ensure_player(self) -> None:
        if self._factory is None:
            return
        factory, self._factory = self._factory, None  # one try: a failed import stays failed
        self.player, reason = factory(self)
        if self.player is None:
            self.problem = self.tr("Playback unavailable: {reason}").format(reason=reason)
            self.note.setText(self.problem)
            self.note.show()
            self.system_button.show()
            return
        self.player.positionChanged.connect(self._position)
        self.player.durationChanged.connect(self._duration)
        self.player.playbackStateChanged.connect(self._refresh_button)
        self.player.errorOccurred.connect(self._player_error)
        self.waveform.set_seekable(True)

    def _peaks_ready(self, peaks: Peaks) -> None:
        self.waveform.set_peaks(peaks)
        if not self._duration_ms:
            self._duration_ms = peaks.seconds * 1000
        self.time.setText(f"{clock(0)} / {clock(self._duration_ms)}")
        self.loaded.emit(str(self.path))

    def _peaks_failed(self, reason: str) -> None:
        name = self.path.name if self.path else ""
        text = self.tr("Cannot read {name}: {reason}").format(name=name, reason=reason)
        self.waveform.set_peaks(None, text)
        self.failed.emit(text)

    def _position(self, milliseconds: int) -> None:
        if self._duration_ms > 0:
            self.waveform.set_position(milliseconds / self._duration_ms)
        self.time.setText(f"{clock(milliseconds)} / {clock(self._duration_ms)}")

    def _duration(self, milliseconds: int) -> None:
        if milliseconds > 0:
            self._duration_ms = float(milliseconds)

    def _player_error(self, error: Any, text: str) -> None:
        self.note.setText(self.tr("Playback failed: {reason}").format(reason=text))
        self.note.show()
        self.system_button.show()

    def _refresh_button(self, *_: object) -> None:
        playing = self.player is not None and self.player.isPlaying()
        pixmap = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play_button.setIcon(self.style().standardIcon(pixmap))
        self.play_button.setEnabled(self.player is not None and self.path is not None)
