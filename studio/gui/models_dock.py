"""ModelsDock: the model catalog as a tree grouped by task, with scan, verify and reveal.

Scans and hashes read whole folders and files, so they run on one worker thread (one
at a time, like the CLI); results come back to the GUI thread through one signal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QStyle,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError
from studio.core.paths import data_paths
from studio.core.settings import load_settings, save_settings
from studio.gui.background import TaskLane
from studio.gui.icons import icon
from studio.gui.model_actions import import_models, verify
from studio.gui.model_text import (
    GROUP_ORDER,
    details,
    group_label,
    group_of,
    human_size,
    scan_summary,
)
from studio.models.catalog import CatalogEntry, ModelCatalog
from studio.models.operations import VerifyResult, forget_removed_folders, scan_folders
from studio.runtime.loaded_models import loaded_model_paths, unload_model
from studio.runtime.preload import preload_model

COLUMNS = ("Name", "Family", "Size", "State")
IdRole = Qt.ItemDataRole.UserRole + 1  # the catalog id of a model row


class ModelsDock(QDockWidget):
    """Models grouped by task; selecting one emits model_selected(id, task)."""

    model_selected = Signal(int, str)
    catalog_changed = Signal()  # after a scan, import or verify re-read the catalog

    def __init__(
        self,
        catalog: ModelCatalog | None = None,
        *,
        hf_cache: bool | Path = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Models"), parent)
        self.setObjectName("ModelsDock")
        self._own_catalog = catalog is None
        self.catalog = catalog or ModelCatalog(data_paths().ensure().database)
        self.hf_cache = hf_cache
        self._closed = False
        self.worker = TaskLane("models-dock", self, on_error=self._show_message)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search name or family"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._populate)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Family"), self.tr("Size"), self.tr("State")]
        )
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.header().setStretchLastSection(False)
        self.view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            self.view.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        self.view.doubleClicked.connect(lambda _index: self.load_selected())
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setMaximumHeight(64)
        self.message = QLabel()  # scan results, refusals: short lines
        self.message.setWordWrap(True)
        self.buttons: dict[str, QToolButton] = {}
        row = QHBoxLayout()
        row.setSpacing(2)
        for name, label, icon_name, slot in (
            ("add", self.tr("Add folder…"), "folder", self.add_folder),
            ("rescan", self.tr("Rescan"), "refresh", self.rescan),
            ("load", self.tr("Load"), "generate", self.load_selected),
        ):
            row.addWidget(self._tool(name, label, icon_name, slot))
        for name in ("rescan", "load"):  # icons (and tooltips) only: the dock stays narrow
            self.buttons[name].setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        more = QMenu(self)
        for name, label, slot in (
            ("unload", self.tr("Unload"), self.unload_selected),
            ("verify", self.tr("Verify hash"), self.verify_selected),
            ("reveal", self.tr("Reveal in file manager"), self.reveal_selected),
            ("info", self.tr("Info"), self.info_selected),
            ("import", self.tr("Import model file or pack…"), self.import_file),
        ):
            action = more.addAction(label, slot)
            self.buttons[name] = _ActionButton(action)  # tests and shortcuts click() these
        more_button = self._tool("more", self.tr("More"), "settings", lambda: None)
        more_button.setMenu(more)
        more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        row.addWidget(more_button)
        row.addStretch(1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.view, stretch=1)
        layout.addWidget(self.detail)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.setWidget(body)
        self._entries: list[CatalogEntry] = []
        self.refresh()

    # --- the tree ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the catalog (after a scan or a verify)."""
        self._entries = self.catalog.entries()
        self._populate()
        self.catalog_changed.emit()

    def _populate(self) -> None:
        wanted = self.search.text().strip().lower()
        keep = self.selected_id()
        self.model.removeRows(0, self.model.rowCount())
        groups: dict[str, list[CatalogEntry]] = {}
        for entry in self._entries:
            if not wanted or wanted in entry.name.lower() or wanted in entry.family.lower():
                groups.setdefault(group_of(entry), []).append(entry)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        loaded = loaded_model_paths()
        for title in GROUP_ORDER:
            if title not in groups:
                continue
            group = QStandardItem(
                self.tr("{0} ({1})").format(group_label(title), len(groups[title]))
            )
            group.setEditable(False)
            for entry in sorted(groups[title], key=lambda e: e.name.lower()):
                state = self.tr("loaded") if str(entry.path) in loaded else self.tr("on disk")
                cells = [QStandardItem(text) for text in (entry.name, entry.family,
                         human_size(entry.size), state)]  # fmt: skip
                for cell in cells:
                    cell.setEditable(False)
                    cell.setData(entry.id, IdRole)
                    cell.setToolTip(entry.problem or entry.reason or str(entry.path))
                if entry.problem:
                    cells[0].setIcon(warning)
                group.appendRow(cells)
            self.model.appendRow([group, *(QStandardItem() for _ in COLUMNS[1:])])
        self.view.expandAll()
        if keep is not None:
            self.select(keep)

    def row_index(self, model_id: int) -> QModelIndex | None:
        for g in range(self.model.rowCount()):
            group = self.model.item(g)
            for r in range(group.rowCount()):
                if group.child(r).data(IdRole) == model_id:
                    return group.child(r).index()
        return None

    def select(self, model_id: int) -> None:
        index = self.row_index(model_id)
        if index is not None:
            self.view.setCurrentIndex(index)

    def selected_id(self) -> int | None:
        value = self.view.currentIndex().siblingAtColumn(0).data(IdRole)
        return None if value is None else int(value)

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        model_id = current.siblingAtColumn(0).data(IdRole)
        entry = None if model_id is None else self.catalog.get(int(model_id))
        self.detail.setPlainText(details(entry) if entry else "")
        if entry is not None:
            self.model_selected.emit(entry.id, entry.task)

    # --- actions -------------------------------------------------------------------------

    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a model folder"))
        if not folder:
            return
        try:
            settings = load_settings()
            if settings.add_model_folder(Path(folder)):
                save_settings(settings)
        except StudioError as exc:
            self.message.setText(str(exc))
            return
        self.rescan()

    def rescan(self) -> None:
        try:
            roots = [Path(f) for f in load_settings().model_folders]
        except StudioError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(self.tr("Scanning…"))
        self._submit(self._scan, self._scanned, roots)

    def _scan(self, roots: list[Path]) -> str:
        return scan_summary(scan_folders(self.catalog, roots, hf_cache=self.hf_cache))

    def _scanned(self, summary: str) -> None:
        self.message.setText(summary)
        self.refresh()

    def verify_selected(self) -> None:
        entry = self._need_selection()
        if entry is not None:
            self.message.setText(self.tr("Hashing {0}…").format(entry.name))
            self._submit(verify, self._verified, entry, self.catalog)

    def _verified(self, result: VerifyResult) -> None:
        self.message.setText(self.tr("hash {0}").format(result.short_hash))
        self.refresh()
        self.select(result.id)
        entry = self.catalog.get(result.id)
        if entry is not None:
            self.detail.setPlainText(details(entry))

    def reveal_selected(self) -> None:
        entry = self._need_selection()
        if entry is not None:
            folder = entry.path if entry.path.is_dir() else entry.path.parent
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def info_selected(self) -> None:
        entry = self._need_selection()
        if entry is not None:
            self.detail.setPlainText(json.dumps(entry.to_dict(), indent=2, ensure_ascii=False))

    def _need_selection(self) -> CatalogEntry | None:
        model_id = self.selected_id()
        entry = None if model_id is None else self.catalog.get(model_id)
        if entry is None:
            self.message.setText(self.tr("Select a model first."))
        return entry

    def load_selected(self) -> None:
        entry = self._need_selection()
        if entry is not None:
            self.message.setText(self.tr("Loading {0}…").format(entry.name))
            self._submit(preload_model, self._loaded, str(entry.id), self.catalog)

    def _loaded(self, name: str) -> None:
        self.message.setText(self.tr("{0} is loaded.").format(name))
        self._populate()

    def unload_selected(self) -> None:
        entry = self._need_selection()
        if entry is not None:
            self._submit(unload_model, self._unloaded, str(entry.id), self.catalog)

    def _unloaded(self, count: int) -> None:
        self.message.setText(self.tr("Unloaded.") if count else self.tr("It was not loaded."))
        self._populate()

    def import_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import a model file or pack"), "",
            self.tr("Models and packs (*.safetensors *.gguf *.ckpt *.pt *.bin *.studiopack "
                    "*.tar);;All files (*)"),
        )  # fmt: skip
        if path:
            self.message.setText(self.tr("Importing {0}…").format(Path(path).name))
            self._submit(import_models, self._imported, Path(path), self.catalog)

    def _imported(self, summary: str) -> None:
        self.message.setText(summary)
        self.refresh()

    def forget_folders(self, old: list[str], new: list[str]) -> None:
        """The model folders changed in the settings: drop removed folders' models, rescan."""
        self._submit(forget_removed_folders, lambda _count: self.rescan(), self.catalog, old, new)

    def has_models(self) -> bool:
        return bool(self._entries)

    # --- the worker thread ---------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.worker.busy

    def _submit(self, work: Callable[..., Any], done: Callable[[Any], None], *args: Any) -> None:
        if not self._closed:
            self.worker.submit(work, done, *args)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)

    def _tool(self, name: str, label: str, icon_name: str, slot: Callable[[], None]) -> QToolButton:
        button = self.buttons[name] = QToolButton()
        button.setText(label)
        button.setToolTip(label)
        button.setIcon(icon(icon_name))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def stop_worker(self) -> None:
        """Wait for the running scan or hash, drop queued ones; no thread is left."""
        self.worker.stop()

    def shutdown(self) -> None:
        """For the main window's close: stop the worker and close the catalog we opened."""
        self.worker.close()
        if not self._closed and self._own_catalog:
            self.catalog.close()
        self._closed = True

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_worker()  # closing a dock only hides it: the catalog stays open
        super().closeEvent(event)


class _ActionButton:
    """A menu entry that can be clicked like a button (tests, shortcuts)."""

    def __init__(self, action: Any) -> None:
        self.action = action

    def click(self) -> None:
        self.action.trigger()
