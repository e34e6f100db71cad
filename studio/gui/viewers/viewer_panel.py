"""ViewerPanel: the open output, in the viewer its kind needs, with how it was made.

Viewers are created the first time an output of their kind is shown (the audio viewer
starts the system's audio stack). `follow(gallery)` makes the panel show the gallery's
current output and lets PgUp/PgDn (and Left/Right on an image) walk through it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QImage, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.gallery.store import GalleryEntry
from studio.core.modalities import modality, task_names
from studio.gui.viewers.audio_viewer import AudioViewer
from studio.gui.viewers.highlighter import CodeHighlighter
from studio.gui.viewers.image_viewer import ImageViewer
from studio.gui.viewers.parameters import (
    parameter_rows,
    parameters_html,
    record_of,
    source_image,
)
from studio.gui.viewers.playback import PlayerFactory, create_player
from studio.gui.viewers.text_viewer import TextViewer

if TYPE_CHECKING:
    from studio.gui.gallery.view import GalleryView

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"}
AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".opus", ".mp3"}
Viewer = ImageViewer | AudioViewer | TextViewer


def viewer_kind(path: Path, task: str = "") -> str:
    """ "image", "audio" or "text": which viewer shows the file at `path`, as the registry
    says for its task; by the file's suffix for files of no registered task (a drop)."""
    if task in task_names():
        return modality(task).viewer
    suffix = path.suffix.lower()
    return "image" if suffix in IMAGE_SUFFIXES else "audio" if suffix in AUDIO_SUFFIXES else "text"


class ViewerPanel(QWidget):
    """show_entry(entry) opens a gallery output; the parameters sit below the viewer."""

    next_requested = Signal()
    previous_requested = Signal()

    def __init__(self, player_factory: PlayerFactory = create_player,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.entry: GalleryEntry | None = None
        self.record: dict[str, Any] = {}
        self.viewers: dict[str, Viewer] = {}
        self._player_factory = player_factory
        self._title = ""
        self._gallery: GalleryView | None = None
        self.title = QLabel()
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.previous_button = self._tool(Qt.ArrowType.LeftArrow, self.tr("Previous output (PgUp)"))
        self.next_button = self._tool(Qt.ArrowType.RightArrow, self.tr("Next output (PgDn)"))
        self.previous_button.clicked.connect(self.previous_requested)
        self.next_button.clicked.connect(self.next_requested)
        self.actions_button = QToolButton()
        self.actions_button.setText(self.tr("Actions"))
        self.actions_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.actions_button.setAutoRaise(True)
        self.actions_button.hide()  # until follow() gives it the gallery's actions
        self.json_button = QToolButton()
        self.json_button.setText("{ }")
        self.json_button.setToolTip(self.tr("Show the full record as JSON"))
        self.json_button.setCheckable(True)
        self.json_button.setAutoRaise(True)
        self.json_button.toggled.connect(self._show_parameters)
        self.placeholder = QLabel(
            self.tr("Open an output from the gallery (double-click or Enter).")
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.parameters = QTextBrowser()
        self.parameters.setOpenLinks(False)
        self.parameters_highlighter = CodeHighlighter(self.parameters.document())
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.title, stretch=1)
        for button in (self.json_button, self.actions_button, self.previous_button,
                       self.next_button):  # fmt: skip
            header.addWidget(button)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.parameters)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([600, 200])  # the output gets the room, kept in proportion
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(self.splitter, stretch=1)
        for key, signal in (("PgDown", self.next_requested), ("PgUp", self.previous_requested)):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(signal)
            self.addAction(action)
        self.show_entry(None)

    def show_entry(self, entry: GalleryEntry | None) -> None:
        """Open `entry` in its viewer (None: show the placeholder)."""
        self.entry = entry
        for viewer in self.viewers.values():
            viewer.clear()
        if entry is None:
            self.record = {}
            self._set_title("")
            self.stack.setCurrentWidget(self.placeholder)
            self.parameters.clear()
            return
        self.record = record_of(entry)
        kind = viewer_kind(entry.path, entry.task)
        viewer = self.viewer(kind)
        self.stack.setCurrentWidget(viewer)
        if isinstance(viewer, ImageViewer):
            viewer.load(entry.path, source_image(self.record, entry.path))
        else:
            viewer.load(entry.path)
        self._set_title(entry.prompt or entry.path.name)
        self._show_parameters()

    def show_live(self, image: QImage, caption: str) -> None:
        """A running job's step preview, shown in place of the selected output until the
        job ends (the gallery then selects what it made)."""
        viewer = self.viewer("image")
        assert isinstance(viewer, ImageViewer)
        if self.entry is not None or self.stack.currentWidget() is not viewer:
            for other in self.viewers.values():
                other.clear()
            self.entry, self.record = None, {}
            self.parameters.clear()
            self.stack.setCurrentWidget(viewer)
        viewer.show_live(image)
        self._set_title(caption)

    def viewer(self, kind: str) -> Viewer:
        """The viewer of `kind` ("image", "audio", "text"), created on first use."""
        if kind not in self.viewers:
            viewer: Viewer
            if kind == "image":
                viewer = ImageViewer()
                viewer.navigate.connect(self._navigate)
            elif kind == "audio":
                viewer = AudioViewer(self._player_factory)
            else:
                viewer = TextViewer()
            self.viewers[kind] = viewer
            self.stack.addWidget(viewer)
        return self.viewers[kind]

    def follow(self, gallery: GalleryView, preview: bool = True) -> None:
        """Show what `gallery` opens (and, with `preview`, its current output as it moves)."""
        self._gallery = gallery
        gallery.open_requested.connect(self._open_row)
        if preview:
            gallery.current_changed.connect(self._preview_row)
        self.next_requested.connect(gallery.select_next)
        self.previous_requested.connect(gallery.select_previous)
        if gallery.actions is not None:
            self.actions_button.setMenu(gallery.actions.menu(self))
            self.actions_button.show()

    def shutdown(self) -> None:
        for viewer in self.viewers.values():
            viewer.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._set_title(self._title)

    def _open_row(self, row: object) -> None:
        if self._gallery is not None:
            self.show_entry(self._gallery.entry(row) if row is not None else None)

    def _preview_row(self, row: Any) -> None:
        if row is not None and self.entry is not None and row.id == self.entry.id:
            return  # the grid was refreshed around the shown output: no reload, no flicker
        self._open_row(row)

    def _navigate(self, step: int) -> None:
        (self.next_requested if step > 0 else self.previous_requested).emit()

    def _show_parameters(self) -> None:
        if self.entry is None:
            return
        if self.json_button.isChecked():
            self.parameters.setPlainText(json.dumps(self.record, indent=2, ensure_ascii=False))
            self.parameters_highlighter.set_language("json")
        else:
            self.parameters_highlighter.set_language("plain")
            self.parameters.setHtml(parameters_html(parameter_rows(self.entry, self.record)))

    def _set_title(self, text: str) -> None:
        self._title = " ".join(text.split())  # one line, however the prompt was typed
        width = max(self.title.width(), 80)
        metrics = self.title.fontMetrics()
        self.title.setText(metrics.elidedText(self._title, Qt.TextElideMode.ElideRight, width))
        self.title.setToolTip(text)

    def _tool(self, arrow: Qt.ArrowType, tip: str) -> QToolButton:
        button = QToolButton()
        button.setArrowType(arrow)  # drawn in the palette's text colour, light or dark
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button
