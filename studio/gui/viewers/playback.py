"""Audio playback through QtMultimedia, imported only when an audio output is first opened.

QtMultimedia loads the system's audio stack (libpulse on Linux); on a machine without it
the import itself fails. The audio viewer then still draws the waveform and offers the
system's player instead, saying why in one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QUrl

from studio.core.errors import one_line


class Player(Protocol):
    """What the viewer uses of QMediaPlayer (tests pass a fake with the same shape)."""

    positionChanged: Any  # Signal(int): milliseconds
    durationChanged: Any  # Signal(int): milliseconds
    playbackStateChanged: Any  # Signal(state)
    errorOccurred: Any  # Signal(error, str)

    def setSource(self, source: QUrl) -> None: ...
    def play(self) -> None: ...
    def pause(self) -> None: ...
    def stop(self) -> None: ...
    def setPosition(self, milliseconds: int) -> None: ...
    def isPlaying(self) -> bool: ...
    def duration(self) -> int: ...


PlayerFactory = Callable[[QObject], tuple[Player | None, str]]


def create_player(parent: QObject) -> tuple[Player | None, str]:
    """A QMediaPlayer on the default audio output, or (None, one line saying why not)."""
    try:
        from PySide6 import QtMultimedia
    except ImportError as exc:  # e.g. "libpulse.so.0: cannot open shared object file"
        return None, one_line(exc)
    player = QtMultimedia.QMediaPlayer(parent)
    output = QtMultimedia.QAudioOutput(player)  # owned by the player, lives as long
    player.setAudioOutput(output)
    return player, ""
