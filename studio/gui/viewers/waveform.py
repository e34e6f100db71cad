"""The waveform of an audio file: peaks computed off-thread, drawn with a play cursor.

compute_peaks reads the file block by block (a five-minute clip never sits in memory
whole) and keeps one (low, high) pair per column; the widget draws them as one polygon.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from studio.core.errors import one_line

COLUMNS = 1600  # enough for a full-screen widget; the widget bins them to its width
BLOCK = 1 << 16  # frames read at a time


@dataclass(frozen=True)
class Peaks:
    lows: list[float]
    highs: list[float]
    seconds: float
    sample_rate: int
    channels: int


def compute_peaks(path: Path, columns: int = COLUMNS) -> Peaks:
    """The min and max sample of each of `columns` slices of `path`; OSError if unreadable."""
    import numpy as np
    import soundfile

    try:
        info = soundfile.info(str(path))
        frames = max(int(info.frames), 0)
        per = max(1, -(-frames // columns))  # frames per column, rounded up
        lows: list[float] = []
        highs: list[float] = []
        blocks = soundfile.blocks(str(path), blocksize=per * max(1, BLOCK // per),
                                  dtype="float32", always_2d=True)  # fmt: skip
        for block in blocks:
            # Every block but the last holds whole columns; the last may end in a partial one.
            whole = len(block) // per
            if whole:
                grid = block[: whole * per].reshape(whole, per * block.shape[1])
                lows += grid.min(axis=1).tolist()
                highs += grid.max(axis=1).tolist()
            if len(block) % per:
                rest = block[whole * per :]
                lows.append(float(np.min(rest)))
                highs.append(float(np.max(rest)))
    except (RuntimeError, soundfile.LibsndfileError, ValueError) as exc:
        raise OSError(one_line(exc)) from None
    seconds = frames / info.samplerate if info.samplerate else 0.0
    return Peaks(lows, highs, seconds, int(info.samplerate), int(info.channels))


class WaveformWidget(QWidget):
    """Draws Peaks; the part before `position` is highlighted; a click asks to seek there."""

    seek_requested = Signal(float)  # fraction of the clip, 0..1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.peaks: Peaks | None = None
        self.position = 0.0
        self.seekable = False
        self.note = ""
        self._shape: QPolygonF | None = None
        self.setMinimumHeight(80)
        self.setMaximumHeight(260)  # taller says nothing more about the sound
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_peaks(self, peaks: Peaks | None, note: str = "") -> None:
        self.peaks, self.note, self._shape = peaks, note, None
        self.position = 0.0
        self.update()

    def set_position(self, fraction: float) -> None:
        self.position = min(max(fraction, 0.0), 1.0)
        self.update()

    def set_seekable(self, seekable: bool) -> None:
        self.seekable = seekable
        cursor = Qt.CursorShape.PointingHandCursor if seekable else Qt.CursorShape.ArrowCursor
        self.setCursor(cursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.seekable and self.peaks and event.button() == Qt.MouseButton.LeftButton:
            self.seek_requested.emit(min(max(event.position().x() / max(self.width(), 1), 0), 1))
        super().mousePressEvent(event)

    def resizeEvent(self, event: object) -> None:
        self._shape = None  # re-bin the columns to the new width at the next paint

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), QColor(32, 33, 38))
        middle = self.height() / 2
        if not self.peaks or not self.peaks.highs:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            text = self.note or QCoreApplication.translate("WaveformWidget", "No waveform")
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, text)
            return
        if self._shape is None:
            self._shape = self._polygon(middle)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        played = self.width() * self.position
        for color, area in (
            (QColor(90, 200, 250), QRectF(0, 0, played, self.height())),
            (QColor(72, 128, 165), QRectF(played, 0, self.width() - played, self.height())),
        ):
            painter.setClipRect(area)
            painter.setBrush(color)
            painter.drawPolygon(self._shape)
        painter.setClipping(False)
        painter.setPen(QColor(255, 255, 255, 200))
        painter.drawLine(QPointF(played, 0), QPointF(played, self.height()))

    def _polygon(self, middle: float) -> QPolygonF:
        assert self.peaks is not None
        lows, highs = self.peaks.lows, self.peaks.highs
        width = max(self.width(), 1)
        count = len(highs)
        top, bottom = [], []
        scale = middle * 0.95
        for x in range(width):
            start = x * count // width
            end = max(start + 1, (x + 1) * count // width)
            high = max(highs[start:end])
            low = min(lows[start:end])
            top.append(QPointF(x, middle - min(max(high, 0.0), 1.0) * scale - 0.5))
            bottom.append(QPointF(x, middle - max(min(low, 0.0), -1.0) * scale + 0.5))
        return QPolygonF(top + bottom[::-1])
