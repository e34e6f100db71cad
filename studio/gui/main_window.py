"""The main window: the gallery in the middle, the job queue and the log in docks."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from studio import __version__
from studio.core.paths import DataPaths, data_paths
from studio.gui.bridge import JobBridge
from studio.gui.gallery import GalleryView
from studio.gui.log_panel import LogPanel
from studio.gui.models_dock import ModelsDock
from studio.gui.parameters import ParametersDock
from studio.gui.queue_dock import QueueDock
from studio.runtime.jobs import JobQueue

EMPTY_HINT = (
    "No outputs yet. Pick a model in the Models dock, write a prompt in Parameters and press "
    "Generate (Ctrl+Return). No models? Run `studio models demo` for small untrained demo "
    "models, or Add folder… where your models live."
)
LAYOUT_VERSION = 1


class MainWindow(QMainWindow):
    def __init__(self, queue: JobQueue | None = None) -> None:
        super().__init__()
        self.setWindowTitle(f"Generative Studio {__version__}")
        self.resize(1200, 780)
        self.paths = data_paths().ensure()
        self.queue = queue or _studio_queue(self.paths)
        self.bridge = JobBridge(self.queue, self)
        self.gallery = GalleryView(self.paths.database)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.header)
        layout.addWidget(self.gallery, stretch=1)
        self.setCentralWidget(body)
        self.queue_dock = QueueDock(self.bridge)
        self.queue_dock.setObjectName("queue-dock")
        self.log_dock = LogPanel(self.bridge)
        self.log_dock.setObjectName("log-dock")
        self.models_dock = ModelsDock(parent=self)
        self.models_dock.setObjectName("models-dock")
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.models_dock)
        self.parameters_dock = ParametersDock(self)
        self.parameters_dock.setObjectName("parameters-dock")
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.parameters_dock)
        self.models_dock.model_selected.connect(
            lambda model_id, task: self.parameters_dock.set_model(str(model_id), task)
        )
        self.parameters_dock.generate_requested.connect(self.submit)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.queue_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.log_dock)
        self._default_state = self.saveState(LAYOUT_VERSION)
        self._build_menu()
        self.bridge.job_finished.connect(lambda *_: self.refresh())
        self.statusBar().showMessage(f"Data folder: {self.paths.home}")
        self._settings = QSettings(str(self.paths.home / "window.ini"), QSettings.Format.IniFormat)
        self._sized = False
        self._restore_layout()
        self.refresh()

    def refresh(self) -> None:
        """Re-read the gallery (after new outputs were written)."""
        self.gallery.refresh()
        model = self.gallery.gallery
        empty = (
            model is not None and model.rowCount() == 0 and not self.gallery.current_filter().text
        )
        self.header.setText(EMPTY_HINT if empty else "")
        self.header.setVisible(empty)
        if empty:
            self.gallery.message.setText("")  # the hint above says it better

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized and self._settings.value("state") is None:
            # First run: give the gallery the room; docks can only be sized once shown.
            self.resizeDocks(
                [self.models_dock, self.queue_dock], [380, 300], Qt.Orientation.Horizontal
            )
            self.resizeDocks([self.log_dock], [110], Qt.Orientation.Vertical)
        self._sized = True

    def submit(self, task: str, request: object) -> int:
        """Hand a request from the Parameters dock to the job queue (never run here)."""
        job_id = self.queue.submit(task, request)  # type: ignore[arg-type]
        self.statusBar().showMessage(f"Queued job {job_id} ({task})", 5000)
        return job_id

    def reset_layout(self) -> None:
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in (self.models_dock, self.parameters_dock, self.queue_dock, self.log_dock):
            dock.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The one path that stops the workers and waits for them."""
        self._settings.setValue("geometry", self.saveGeometry())
        self._settings.setValue("state", self.saveState(LAYOUT_VERSION))
        self._settings.sync()
        self.bridge.close()
        self.models_dock.shutdown()
        starter = getattr(self.queue, "starter", None)
        if starter is not None:
            starter.join(timeout=60)
        self.queue.stop(wait=True, timeout=30)
        self.gallery.close()
        super().closeEvent(event)

    def _build_menu(self) -> None:
        view = self.menuBar().addMenu("&View")
        for dock in (self.models_dock, self.parameters_dock, self.queue_dock, self.log_dock):
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        reset = QAction("&Reset layout", self)
        reset.triggered.connect(self.reset_layout)
        view.addAction(reset)
        refresh = QAction("Re&fresh gallery", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh)
        view.addAction(refresh)

    def _restore_layout(self) -> None:
        geometry = self._settings.value("geometry")
        state = self._settings.value("state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state, LAYOUT_VERSION)


def _studio_queue(paths: DataPaths) -> JobQueue:
    """The studio's own queue: jobs persist in its database and survive a restart."""
    from studio.core.paths import default_output_dir
    from studio.runtime.generation_jobs import generation_handlers

    queue = JobQueue(
        paths.database, handlers=generation_handlers(paths.database, default_output_dir())
    )
    queue.start()
    return queue
