"""The main window: the task switcher on top, the current task's page in the middle
(gallery, chat, translate), Models and Parameters docks on the left, Queue on the right,
Log at the bottom."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QImage, QPaintEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio import __version__
from studio.core.errors import StudioError, one_line
from studio.core.modalities import modality
from studio.core.paths import DataPaths, data_paths
from studio.core.requests.base import Request
from studio.core.settings import Settings, load_settings
from studio.gui.background import BackgroundTasks, TaskLane
from studio.gui.bridge import JobBridge
from studio.gui.chat import ChatView
from studio.gui.drop import install_drop_target
from studio.gui.first_run import WelcomePanel
from studio.gui.gallery import GalleryView
from studio.gui.log_panel import LogPanel
from studio.gui.models_dock import ModelsDock
from studio.gui.notifications import NotificationArea
from studio.gui.parameters import ParametersDock
from studio.gui.queue_dock import QueueDock
from studio.gui.queue_starter import QueueStarter
from studio.gui.stored_names import shown
from studio.gui.task_bar import TaskBar
from studio.gui.translate_view import TranslateView
from studio.gui.viewers import ViewerPanel
from studio.gui.window_layout import WindowLayout
from studio.gui.window_menus import build_menus
from studio.runtime.jobs import JobQueue

# Forms whose tasks have a page of their own (the window's attribute); every other page
# shows the gallery of its task's outputs.
OWN_PAGES = {
    "studio.gui.parameters.text_form:TextForm": "chat",
    "studio.gui.parameters.translate_form:TranslateForm": "translate_view",
}


def own_page(task: str) -> str | None:
    return OWN_PAGES.get(modality(task).form)


class MainWindow(QMainWindow):
    first_painted = Signal()

    def __init__(self, queue: JobQueue | None = None) -> None:
        super().__init__()
        self.setWindowTitle(f"Generative Studio {__version__}")
        self.resize(1280, 800)
        self.paths = data_paths().ensure()
        self.background = BackgroundTasks(self)  # stops every lane of the window on close
        # The studio's own queue starts after the first paint: finding the devices imports
        # torch (1.5 s), and jobs submitted before then simply wait in the database.
        self.queue = queue or _studio_queue(self.paths)
        self.starter = (
            QueueStarter(self.queue, TaskLane("queue-start", self), self.notify)
            if queue is None
            else None
        )
        self._gallery_task: str | None = "image"
        self._steps = (0, 0, 0)  # the last progress event: (job, done, total)
        self.bridge = JobBridge(self.queue, self)
        self.task_bar = TaskBar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.task_bar)
        self.notifications = NotificationArea()
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.header.setContentsMargins(4, 2, 4, 2)
        self.gallery = GalleryView(self.paths.database)
        self.welcome = WelcomePanel(self.paths.database, self.paths.home / "demo-models")
        self.viewer = ViewerPanel()
        self.viewer.follow(self.gallery)
        self.gallery_page = QSplitter(Qt.Orientation.Horizontal)
        self.gallery_page.setObjectName("gallery-page")
        self.gallery_page.addWidget(self.gallery)
        self.gallery_page.addWidget(self.viewer)
        self.gallery_page.setStretchFactor(0, 3)
        self.gallery_page.setStretchFactor(1, 2)
        self.chat = ChatView(self.bridge, self.submit)
        self.translate_view = TranslateView(self.bridge, self.submit)
        self.pages = QStackedWidget()
        for page in (self.welcome, self.gallery_page, self.chat, self.translate_view):
            self.pages.addWidget(page)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.notifications)
        layout.addWidget(self.header)
        layout.addWidget(self.pages, stretch=1)
        self.setCentralWidget(body)
        self._build_docks()
        self._pair_pages_with_forms()
        self.layout_state = WindowLayout(self, self.paths.home / "window.ini")
        self.menu_actions = build_menus(self)
        self._connect()
        self.statusBar().showMessage(self.tr("Data folder: {0}").format(self.paths.home))
        self._painted = False
        self.layout_state.restore()
        self.refresh()

    # --- assembly ----------------------------------------------------------------------

    def _build_docks(self) -> None:
        self.models_dock = ModelsDock(parent=self)
        self.models_dock.setObjectName("models-dock")
        self.parameters_dock = ParametersDock(self)
        self.parameters_dock.setObjectName("parameters-dock")
        self.queue_dock = QueueDock(self.bridge)
        self.queue_dock.setObjectName("queue-dock")
        self.log_dock = LogPanel(self.bridge)
        self.log_dock.setObjectName("log-dock")
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.models_dock)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.parameters_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.queue_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.log_dock)
        self.tabifyDockWidget(self.queue_dock, self.log_dock)  # the Log a tab behind the Queue
        self.queue_dock.raise_()
        self.docks = (self.models_dock, self.parameters_dock, self.queue_dock, self.log_dock)

    def _pair_pages_with_forms(self) -> None:
        """Chat and Translate have their own pages; their forms in the Parameters dock keep
        only the options those pages lack, and the pages read them from there."""
        forms = self.parameters_dock.forms
        for task in forms:
            if own_page(task):
                self.parameters_dock.set_page_mode(task, True)
        self.chat.options = self._form_of("chat").chat_options
        self.translate_view.options = self._form_of("translate_view").page_options
        self.drops = install_drop_target(
            self, self._reuse, self._offer_image, self._drop_problem,
            catalog=self.models_dock.catalog, current_model=self._current_model,
        )  # fmt: skip

    def _form_of(self, page: str) -> Any:
        return next(f for t, f in self.parameters_dock.forms.items() if own_page(t) == page)

    def _current_model(self, task: str) -> str:
        form = self.parameters_dock.forms.get(self.parameters_dock.form_tasks.get(task, task))
        return form.model.text().strip() if form is not None else ""

    def _offer_image(self, path: str) -> None:
        """A dropped image without parameters: offer it as init image or mask."""
        self.show_task("image")
        self.parameters_dock.show()
        self.parameters_dock.forms["image"].offer_image(path)

    def _drop_problem(self, line: str) -> None:
        self.notify(line, level="info")

    def _connect(self) -> None:
        self.models_dock.model_selected.connect(self.use_model)
        self.models_dock.catalog_changed.connect(self.parameters_dock.forms["image"].loras.refresh)
        self.parameters_dock.generate_requested.connect(self.submit)
        self.task_bar.task_changed.connect(self.show_task)
        # Jobs that end together (a batch) refresh the gallery once, not once each.
        self.refresh_later = QTimer(self, singleShot=True, interval=150)
        self.refresh_later.timeout.connect(self.refresh)
        self.bridge.job_finished.connect(self.refresh_later.start)
        self.bridge.job_failed.connect(self._job_failed)
        self.bridge.job_progress.connect(self._progress)
        self.bridge.job_preview.connect(self._live_preview)
        self.welcome.demo_models_ready.connect(self._demo_models_ready)
        for show in (self.models_dock.refresh, self.refresh):  # other apps' stores were added
            self.welcome.stores_added.connect(show)
        self.welcome.add_folder_requested.connect(self.models_dock.add_folder)
        self.gallery.reuse_requested.connect(self._reuse)
        self.gallery.task.activated.connect(self._stop_following_task)
        self.gallery.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))

    # --- behaviour ---------------------------------------------------------------------

    @property
    def task(self) -> str:
        return self.task_bar.task

    def show_task(self, task: str) -> None:
        """Show `task`'s page and parameters; the gallery shows that task's outputs."""
        self.task_bar.set_task(task)
        if self.parameters_dock.form_tasks.get(task) in self.parameters_dock.forms:
            self.parameters_dock.set_task(task)
        chat = own_page(task) == "chat"
        if chat and self.chat.task != task and self.chat.model_ref:
            self.chat.set_model(self.chat.model_ref, task, self.chat.model_name)
        self._gallery_task = None if own_page(task) else task
        self.refresh()

    def use_model(self, model_id: int, task: str) -> None:
        """A model picked in the Models dock: switch to its task and use it there."""
        target = "code" if task == "text" and self.task == "code" else task
        ref, name = self._model_ref(model_id)
        self.parameters_dock.set_model(ref, "text" if target == "code" else task)
        if task == "text":
            self.chat.set_model(ref, target, name)
        elif task == "translate":
            self.translate_view.set_model(ref)
        if target in self.task_bar.actions_by_task:
            self.show_task(target)

    def _model_ref(self, model_id: int) -> tuple[str, str]:
        """(reference, name): the model's name when no other model has it (readable in the
        form and in the outputs' metadata, and the same on another machine), else its id."""
        entry = self.models_dock.catalog.get(model_id)
        if entry is None:
            return str(model_id), ""
        same = [e for e in self.models_dock.catalog.entries() if e.name == entry.name]
        return (entry.name if len(same) == 1 else str(model_id)), entry.name

    def refresh(self) -> None:
        """Re-read the gallery (after new outputs) and pick the page to show."""
        self.gallery.refresh()
        if self._gallery_task is not None:
            # The gallery follows the task once it has outputs of it ("All tasks" until then),
            # unless the user picked a filter by hand.
            self.gallery.task.setCurrentIndex(
                max(self.gallery.task.findText(self._gallery_task), 0)
            )
        page = own_page(self.task)
        if page is not None:
            self.pages.setCurrentWidget(getattr(self, page))
            self.header.hide()
            return
        no_models = not self.models_dock.has_models()
        model = self.gallery.gallery
        no_outputs = model is not None and model.rowCount() == 0
        if no_models and no_outputs:
            self.pages.setCurrentWidget(self.welcome)
            self.header.hide()
            return
        self.pages.setCurrentWidget(self.gallery_page)
        empty = no_outputs and not self.gallery.is_filtered()
        self.header.setText(self.empty_hint() if empty else "")
        self.header.setVisible(empty)
        if empty:
            self.gallery.message.setText("")  # the hint above says it better

    def empty_hint(self) -> str:
        return self.tr(
            "No outputs yet. Pick a model in the Models dock, write a prompt in Parameters "
            "and press Generate (Ctrl+Return)."
        )

    def submit(self, task: str, request: object) -> int:
        """Hand a request to the job queue (it never runs here)."""
        job_id = self.queue.submit(task, request)  # type: ignore[arg-type]
        if self._gallery_task is not None and not own_page(task):
            self._gallery_task = task  # a walk made on the Image page: the gallery shows walks
        queued = self.tr("Queued job {0} ({1})").format(job_id, shown(task))
        self.statusBar().showMessage(queued, 5000)
        return job_id

    def generate(self) -> None:
        """Ctrl+Return: the current view's own send (chat, translate) or the Parameters dock."""
        page = self.pages.currentWidget()
        send = getattr(page, "send", None)
        if callable(send):
            send()
        else:
            self.parameters_dock.generate()

    def focus_prompt(self) -> None:
        page = self.pages.currentWidget()
        if page is self.chat:
            self.chat.composer.editor.setFocus()
            return
        target = getattr(page, "prompt", None) or getattr(
            self.parameters_dock.current_form(), "prompt", None
        )
        if target is not None:
            if not self.parameters_dock.isVisible() and page is self.gallery_page:
                self.parameters_dock.show()
            target.setFocus()

    def open_settings(self) -> None:
        from studio.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self, devices=self.queue.devices)
        dialog.settings_changed.connect(self._settings_changed)
        dialog.open()
        self.settings_dialog = dialog
        try:
            self._model_folders = list(load_settings().model_folders)
        except StudioError:
            self._model_folders = []

    def _settings_changed(self, settings: Settings) -> None:
        if settings.model_folders != self._model_folders:
            removed, self._model_folders = self._model_folders, list(settings.model_folders)
            self.models_dock.forget_folders(removed, settings.model_folders)
        self.welcome.explain()

    def show_about(self) -> None:
        self.notify(
            self.tr("Generative Studio {0}: local generative models, offline. Data folder: {1}")
            .format(__version__, self.paths.home), level="info",
        )  # fmt: skip

    def cancel_running(self) -> int:
        """Cancel every running job (Ctrl+.); returns how many were asked to stop."""
        running = self.queue.jobs(states=["running"])
        for job in running:
            self.queue.cancel(job.id)
        return len(running)

    def notify(self, message: str, details: str = "", level: str = "error") -> None:
        self.notifications.notify(message, details, level)

    def reset_layout(self) -> None:
        self.layout_state.reset(self.docks)
        self._size_docks()

    def _stop_following_task(self) -> None:
        self._gallery_task = None

    def _reuse(self, request: Request) -> None:
        """Reuse parameters (gallery, drop): the request's form, filled in, under its task."""
        self.parameters_dock.load_request(request)
        page = modality(request.TYPE).page  # a walk's parameters show under the image page
        self.show_task(page if page in self.task_bar.actions_by_task else self.task)
        self.parameters_dock.show()

    def _progress(self, job_id: int, done: int, total: int) -> None:
        self._steps = (job_id, done, total)

    def _live_preview(self, job_id: int, image: QImage) -> None:
        """Step previews of a running image job, in the viewer beside the gallery."""
        if self.pages.currentWidget() is not self.gallery_page:
            return
        _job, done, total = self._steps if self._steps[0] == job_id else (job_id, 0, 0)
        self.viewer.show_live(
            image, self.tr("Generating (job {0}): step {1} of {2}").format(job_id, done, total)
        )

    def _job_failed(self, job_id: int, error: str) -> None:
        self.notify(self.tr("Job {0} failed: {1}").format(job_id, one_line(error)), error)

    def _demo_models_ready(self, rows: list[tuple[int, str, str]]) -> None:
        self.models_dock.refresh()
        self.notify(
            self.tr("{0} demo models are ready in the Models dock. They are untrained: their "
                    "outputs are noise.").format(len(rows)), level="info",
        )  # fmt: skip
        image = next((row for row in rows if row[1] == "image"), None)
        if image is not None:
            self.models_dock.select(image[0])
        self.refresh()

    # --- window life -------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            if not self.layout_state.saved:
                self._size_docks()
            self.first_painted.emit()
            if self.starter is not None:
                QTimer.singleShot(0, self.starter.start)

    def _size_docks(self) -> None:
        self.layout_state.size_docks((self.models_dock, self.parameters_dock), self.queue_dock)

    def closeEvent(self, event: QCloseEvent) -> None:
        """The one path that stops the workers and waits for them."""
        self.layout_state.save()
        self.refresh_later.stop()
        self.bridge.close()
        self.background.close()  # docks, pages, viewer, drops, thumbnails, the queue's start
        self.models_dock.shutdown()  # its catalog
        self.viewer.shutdown()  # a playing clip or GIF
        self.parameters_dock.forms["image"].shutdown()  # the mask painter
        self.queue.stop(wait=True, timeout=30)
        self.gallery.close()
        super().closeEvent(event)


def _studio_queue(paths: DataPaths) -> JobQueue:
    """The studio's own queue: jobs persist in its database and survive a restart."""
    from studio.runtime.generation_jobs import generation_handlers

    # No output folder given: each job reads the one in the settings when it starts.
    return JobQueue(paths.database, handlers=generation_handlers(paths.database))
