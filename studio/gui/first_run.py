"""The welcome panel for a studio with no models: where models are looked for, the model
stores of other apps found on this computer (Ollama, LM Studio, ...) with a button that adds
them in place, and a button that builds small untrained demo models (offline, in a worker
thread) so every view can be tried at once.

Stores are detected when the panel is first shown, off the GUI thread, and only looked at:
nothing joins the model folders, and nothing is scanned, until the user clicks Add."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.core.errors import StudioError, one_line
from studio.core.settings import load_settings
from studio.gui.background import TaskLane
from studio.gui.icons import icon


class WelcomePanel(QWidget):
    """Emits demo_models_ready with (id, task, name) rows once the demo models are cataloged,
    and stores_added with the ScanResult once the stores the user accepted are scanned."""

    demo_models_ready = Signal(list)
    stores_added = Signal(object)
    add_folder_requested = Signal()
    _progress = Signal(str)  # from the worker thread

    def __init__(self, database: Path, demo_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database, self.demo_folder = database, demo_folder
        self.builder = TaskLane("demo-models", self, on_error=self._failed)
        self.stores_lane = TaskLane("model-stores", self, on_error=self._stores_failed)
        self.offered: list[Any] = []  # DetectedStores with models, not yet model folders
        self._detected = False
        title = QLabel(self.tr("Welcome to Generative Studio"))
        title.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_button = QPushButton(icon("demo"), self.tr("Create demo models"))
        self.demo_button.clicked.connect(self.create_demo_models)
        folder_button = QPushButton(icon("folder"), self.tr("Add model folder…"))
        folder_button.clicked.connect(self.add_folder_requested)
        self.stores_offer = QLabel()
        self.stores_offer.setWordWrap(True)
        self.add_stores_button = QPushButton(icon("folder"), self.tr("Add"))
        self.add_stores_button.clicked.connect(self.add_stores)
        offer = QHBoxLayout()
        offer.addWidget(self.stores_offer, stretch=1)
        offer.addWidget(self.add_stores_button)
        self.stores_offer.hide()
        self.add_stores_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addWidget(folder_button)
        buttons.addStretch(1)
        demo_note = QLabel(self.tr(
            "Demo models are tiny and untrained: they are built on this computer in a few "
            "seconds, without the internet, and their outputs are noise. They let you try "
            "every view; delete them any time."
        ))  # fmt: skip
        demo_note.setWordWrap(True)
        demo_note.setStyleSheet("color: palette(placeholder-text);")
        self.status = QLabel()
        self.status.setWordWrap(True)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(title)
        column.addWidget(self.where)
        column.addLayout(offer)
        column.addLayout(buttons)
        column.addWidget(demo_note)
        column.addWidget(self.status)
        column.addStretch(2)
        frame = QWidget()
        frame.setLayout(column)
        frame.setMaximumWidth(620)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(frame, stretch=4)
        outer.addStretch(1)
        self._progress.connect(self._show_progress)
        self.explain()

    def explain(self) -> None:
        """Say where models are looked for (the settings' folders and the Hugging Face cache)."""
        try:
            folders = load_settings().model_folders
        except StudioError as exc:
            folders, problem = [], str(exc)
        else:
            problem = ""
        from studio.models.operations import hf_cache_dir

        listed = "".join(f"<li>{f}</li>" for f in folders) or self.tr("<li>(no folders yet)</li>")
        self.where.setText(
            self.tr(
                "No models yet. Models are looked for in your model folders:<ul>{0}</ul>and in "
                "the Hugging Face cache ({1}). Add the folder where your models live (an "
                "AUTOMATIC1111, ComfyUI or InvokeAI models folder works as it is), or create "
                "demo models to try the studio now."
            ).format(listed, hf_cache_dir())
            + (f"<p style='color:#c62828'>{problem}</p>" if problem else "")
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._detected:  # once: the first look at the welcome page
            self._detected = True
            self.detect_stores()

    def detect_stores(self) -> None:
        """Look for other apps' model stores off the GUI thread (only counts, adds nothing)."""
        from studio.models.operations import detect_model_stores

        self.stores_lane.submit(detect_model_stores, self._stores_found,
                                on_error=self._detection_failed)  # fmt: skip

    def add_stores(self) -> None:
        """The user said yes: the offered stores join the model folders and are scanned."""
        if not self.offered or self.stores_lane.busy:
            return
        self.add_stores_button.setEnabled(False)
        names = ", ".join(store.name for store in self.offered)
        self.status.setText(self.tr("Adding and scanning {0}…").format(names))
        roots = [store.root for store in self.offered]
        self.stores_lane.submit(_add_stores, self._stores_added, self.database, roots)

    def create_demo_models(self) -> None:
        if self.busy():
            return
        from studio.demo_models.install import install_demo_models

        self.demo_button.setEnabled(False)
        self.status.setText(self.tr("Building demo models…"))
        self.builder.submit(_build, self._finished, install_demo_models, self.database,
                            self.demo_folder, self._progress.emit)  # fmt: skip

    def busy(self) -> bool:
        return self.builder.busy or self.stores_lane.busy

    def shutdown(self) -> None:
        """Wait for a build or a store scan in progress (a half-built model is never left:
        each is moved in whole) and stop the workers."""
        self.builder.stop()
        self.stores_lane.stop()

    def _stores_found(self, stores: tuple[Any, ...]) -> None:
        self.offered = [store for store in stores if store.models and not store.added]
        shown = bool(self.offered)
        self.stores_offer.setVisible(shown)
        self.add_stores_button.setVisible(shown)
        self.add_stores_button.setEnabled(shown)
        if not shown:
            return
        found = [self._store_count(store, first=i == 0) for i, store in enumerate(self.offered)]
        if len(found) > 1:
            ask = self.tr("Found {0}: add them? Their models stay where they are.")
        else:
            ask = self.tr("Found {0}: add it? Its models stay where they are.")
        self.stores_offer.setText(ask.format(", ".join(found)))

    def _store_count(self, store: Any, first: bool) -> str:
        if not first:
            return self.tr("{0} with {1}").format(store.name, store.models)
        if store.models == 1:
            return self.tr("{0} with 1 model").format(store.name)
        return self.tr("{0} with {1} models").format(store.name, store.models)

    def _stores_added(self, result: Any) -> None:
        names = ", ".join(store.name for store in self.offered)
        self.offered = []
        self.stores_offer.hide()
        self.add_stores_button.hide()
        text = self.tr("Added {0}. New models: {1}.").format(names, result.added)
        if result.problems:
            text += " " + self.tr("Files that cannot be used: {0}.").format(len(result.problems))
        self.status.setText(text)
        self.explain()
        self.stores_added.emit(result)

    def _detection_failed(self, line: str) -> None:
        """Detection is a courtesy: when it fails the page simply offers nothing."""
        self.offered = []

    def _stores_failed(self, line: str) -> None:
        self.add_stores_button.setEnabled(True)
        self.status.setText(self.tr("Could not add the model stores: {0}").format(line))

    def _show_progress(self, name: str) -> None:
        self.status.setText(self.tr("Building {0}…").format(name))

    def _failed(self, line: str) -> None:
        self.demo_button.setEnabled(True)
        self.status.setText(self.tr("Could not create demo models: {0}").format(line))

    def _finished(self, rows: list[tuple[int, str, str]]) -> None:
        self.demo_button.setEnabled(True)
        self.status.setText(self.tr("{0} demo models ready.").format(len(rows)))
        self.demo_models_ready.emit(rows)


def _add_stores(database: Path, roots: list[Path]) -> object:
    """On the worker thread, with a catalog connection of its own."""
    from studio.models.catalog import ModelCatalog
    from studio.models.operations import add_model_stores

    try:
        with ModelCatalog(database) as catalog:
            return add_model_stores(catalog, roots)
    except OSError as exc:
        raise StudioError(one_line(exc)) from None


def _build(install: Callable[..., list[tuple[int, str, str]]], *args: object) -> object:
    """On the worker thread: a full disk or an unwritable folder is the user's one line."""
    try:
        return install(*args)
    except OSError as exc:
        raise StudioError(one_line(exc)) from None
