"""Drag and drop: a file dropped on the window becomes the request that made it.

The file is read on a worker thread (studio.gui.drop_reader); back on the GUI thread
the model it names is looked up in the catalog, and one that is not here keeps the
current model, said in one line. An image without parameters is offered as an init
image instead; anything unreadable is one line, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QObject
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QWidget

from studio.core.errors import StudioError
from studio.core.paths import data_paths
from studio.core.requests.base import Request
from studio.gui.background import TaskLane
from studio.gui.drop_reader import DroppedFile, read_dropped, restore_request
from studio.models.catalog import ModelCatalog


def local_files(mime: QMimeData) -> list[Path]:
    """The local files a drag carries (URLs from a browser are not ours to fetch)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class DropHandler(QObject):
    """An event filter that turns a file dropped on its widget into a request.

    on_request(request) gets the parameters; then, when there is one, on_note(line)
    (the model the file names is not here...). A readable image without parameters
    goes to on_image(path), followed by on_error("no generation parameters in FILE");
    anything unreadable to on_error(line) alone.
    """

    def __init__(
        self,
        on_request: Callable[[Request], None],
        on_image: Callable[[Path], None],
        on_error: Callable[[str], None],
        *,
        catalog: ModelCatalog | None = None,
        current_model: Callable[[str], str] | None = None,
        on_note: Callable[[str], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.on_request, self.on_image, self.on_error = on_request, on_image, on_error
        self.on_note = on_note or on_error
        self.catalog = catalog
        self.current_model = current_model or (lambda task: "")
        self.worker = TaskLane("drop-reader", self, on_error=lambda line: self.on_error(line))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDropEvent)
            if local_files(event.mimeData()):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            files = local_files(event.mimeData())
            if files:
                event.acceptProposedAction()
                self.open(files[0])
                return True
        return False

    def open(self, path: Path) -> None:
        """Read `path` off the GUI thread (also for an "Open…" action)."""
        self.worker.submit(read_dropped, self._read, Path(path))

    def shutdown(self) -> None:
        self.worker.close()

    def _read(self, dropped: DroppedFile) -> None:
        if dropped.request is None and dropped.restored is None:
            if dropped.is_image:
                self.on_image(dropped.path)
            self.on_error(dropped.problem)
            return
        task = dropped.request.TYPE if dropped.request is not None else "image"
        try:
            request, note = self._with_catalog(
                lambda catalog: restore_request(dropped, catalog, self.current_model(task))
            )
        except StudioError as exc:
            line = self.tr("cannot use the parameters in {0}: {1}")
            self.on_error(line.format(dropped.path.name, exc))
            return
        self.on_request(request)
        if note:
            self.on_note(note)

    def _with_catalog(self, use: Callable[[ModelCatalog], Any]) -> Any:
        if self.catalog is not None:
            return use(self.catalog)
        with ModelCatalog(data_paths().ensure().database) as catalog:
            return use(catalog)


def install_drop_target(
    widget: QWidget,
    on_request: Callable[[Request], None],
    on_image: Callable[[Path], None],
    on_error: Callable[[str], None],
    **options: Any,
) -> DropHandler:
    """Accept file drops on `widget` (a main window: drops anywhere that nothing else
    takes); options: catalog, current_model(task) -> ref, on_note(line)."""
    handler = DropHandler(on_request, on_image, on_error, parent=widget, **options)
    widget.setAcceptDrops(True)
    widget.installEventFilter(handler)
    return handler
