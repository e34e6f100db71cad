"""The welcome panel for a studio with no models: where models are looked for, and a button
that builds small untrained demo models (offline, in a worker thread) so every view can be
tried at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.core.errors import StudioError, one_line
from studio.core.settings import load_settings
from studio.gui.background import TaskLane
from studio.gui.icons import icon


class WelcomePanel(QWidget):
    """Emits demo_models_ready with (id, task, name) rows once the demo models are cataloged."""

    demo_models_ready = Signal(list)
    add_folder_requested = Signal()
    _progress = Signal(str)  # from the worker thread

    def __init__(self, database: Path, demo_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database, self.demo_folder = database, demo_folder
        self.builder = TaskLane("demo-models", self, on_error=self._failed)
        title = QLabel(self.tr("Welcome to Generative Studio"))
        title.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_button = QPushButton(icon("demo"), self.tr("Create demo models"))
        self.demo_button.clicked.connect(self.create_demo_models)
        folder_button = QPushButton(icon("folder"), self.tr("Add model folder…"))
        folder_button.clicked.connect(self.add_folder_requested)
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

    def create_demo_models(self) -> None:
        if self.busy():
            return
        from studio.demo_models.install import install_demo_models

        self.demo_button.setEnabled(False)
        self.status.setText(self.tr("Building demo models…"))
        self.builder.submit(_build, self._finished, install_demo_models, self.database,
                            self.demo_folder, self._progress.emit)  # fmt: skip

    def busy(self) -> bool:
        return self.builder.busy

    def shutdown(self) -> None:
        """Wait for a build in progress (a half-built model is never left: each is moved in
        whole) and stop the worker."""
        self.builder.stop()

    def _show_progress(self, name: str) -> None:
        self.status.setText(self.tr("Building {0}…").format(name))

    def _failed(self, line: str) -> None:
        self.demo_button.setEnabled(True)
        self.status.setText(self.tr("Could not create demo models: {0}").format(line))

    def _finished(self, rows: list[tuple[int, str, str]]) -> None:
        self.demo_button.setEnabled(True)
        self.status.setText(self.tr("{0} demo models ready.").format(len(rows)))
        self.demo_models_ready.emit(rows)


def _build(install: Callable[..., list[tuple[int, str, str]]], *args: object) -> object:
    """On the worker thread: a full disk or an unwritable folder is the user's one line."""
    try:
        return install(*args)
    except OSError as exc:
        raise StudioError(one_line(exc)) from None
