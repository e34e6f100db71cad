"""ModelsDock: the model catalog as a tree grouped by task, with scan, verify and reveal.

Scans and hashes read whole folders and files, so they run on one worker thread (one
at a time, like the CLI); results come back to the GUI thread through one signal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import ModelError, StudioError
from studio.core.paths import data_paths
from studio.core.settings import load_settings, save_settings
from studio.models.catalog import CatalogEntry, ModelCatalog
from studio.models.discovery.scanner import ScanReport, scan
from studio.models.hashing import HashCache

COLUMNS = ("Name", "Family", "Size", "Source")
GROUPS = {
    "image": "Image",
    "text": "Text",
    "translate": "Translate",
    "music": "Music",
    "speech": "Speech",
    "image-unconditional": "Unconditional image",
}
ADAPTERS, UNKNOWN = "Adapters", "Unknown"
GROUP_ORDER = (*GROUPS.values(), ADAPTERS, UNKNOWN)
ADAPTER_KINDS = ("lora", "embedding", "vae", "peft")
IdRole = Qt.ItemDataRole.UserRole + 1  # the catalog id of a model row


def group_of(entry: CatalogEntry) -> str:
    if entry.kind in ADAPTER_KINDS:
        return ADAPTERS
    return GROUPS.get(entry.task, UNKNOWN)


def human_size(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def details(entry: CatalogEntry) -> str:
    lines = [f"{entry.name} ({entry.task}/{entry.family}, {entry.kind}, {entry.format})"]
    lines += [f"location: {path}" for path in entry.paths]
    lines.append(f"hash: {entry.short_hash} (sha256 {entry.sha256})" if entry.sha256
                 else "hash: not computed yet (Verify)")  # fmt: skip
    if entry.problem:
        lines.append(f"problem: {entry.problem}")
    elif entry.reason:
        lines.append(f"note: {entry.reason}")
    return "\n".join(lines)


def scan_summary(report: ScanReport, total: int) -> str:
    text = (f"{len(report.added)} new, {len(report.updated)} changed, {report.unchanged} unchanged, "
            f"{report.removed} gone, {len(report.problems)} problem(s); {total} model(s)")  # fmt: skip
    return "\n".join([text, *(f"problem: {p.path.name}: {p.message}" for p in report.problems)])


class ModelsDock(QDockWidget):
    """Models grouped by task; selecting one emits model_selected(id, task)."""

    model_selected = Signal(int, str)
    _work_done = Signal(object, object)  # (callback, future): back on the GUI thread

    def __init__(
        self,
        catalog: ModelCatalog | None = None,
        *,
        hf_cache: bool | Path = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Models", parent)
        self.setObjectName("ModelsDock")
        self._own_catalog = catalog is None
        self.catalog = catalog or ModelCatalog(data_paths().ensure().database)
        self.hf_cache = hf_cache
        self._pool: ThreadPoolExecutor | None = None  # started by the first scan or hash
        self._busy = 0
        self._closed = False
        # Queued even when the work is already done at submit time: results always arrive
        # through the event loop, never inside the click that asked for them.
        self._work_done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search name or family")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._populate)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setMaximumHeight(110)
        self.message = QLabel()  # scan results, refusals: short lines
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, label, slot in (
            ("add", "Add folder…", self.add_folder),
            ("rescan", "Rescan", self.rescan),
            ("verify", "Verify", self.verify_selected),
            ("reveal", "Reveal in file manager", self.reveal_selected),
            ("info", "Info", self.info_selected),
        ):
            button = self.buttons[name] = QPushButton(label)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        body = QWidget()
        layout = QVBoxLayout(body)
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

    def _populate(self) -> None:
        wanted = self.search.text().strip().lower()
        keep = self.selected_id()
        self.model.removeRows(0, self.model.rowCount())
        groups: dict[str, list[CatalogEntry]] = {}
        for entry in self._entries:
            if not wanted or wanted in entry.name.lower() or wanted in entry.family.lower():
                groups.setdefault(group_of(entry), []).append(entry)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for title in GROUP_ORDER:
            if title not in groups:
                continue
            group = QStandardItem(f"{title} ({len(groups[title])})")
            group.setEditable(False)
            for entry in sorted(groups[title], key=lambda e: e.name.lower()):
                cells = [QStandardItem(text) for text in (entry.name, entry.family,
                         human_size(entry.size), entry.source)]  # fmt: skip
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
        folder = QFileDialog.getExistingDirectory(self, "Add a model folder")
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
        self.message.setText("Scanning…")
        self._submit(self._scan, self._scanned, roots)

    def _scan(self, roots: list[Path]) -> str:
        report = scan(self.catalog, roots, HashCache.default(), hf_cache=self.hf_cache)
        return scan_summary(report, len(self.catalog.entries()))

    def _scanned(self, summary: str) -> None:
        self.message.setText(summary)
        self.refresh()

    def verify_selected(self) -> None:
        entry = self._need_selection()
        if entry is not None:
            self.message.setText(f"Hashing {entry.name}…")
            self._submit(self._verify, self._verified, entry)

    def _verify(self, entry: CatalogEntry) -> tuple[int, str]:
        missing = [p for p in entry.paths if not p.exists()]
        if missing:
            raise ModelError(f"{entry.name} is missing from {missing[0]}; rescan or remove it")
        hashes = HashCache.default()
        sha256 = hashes.model_sha256(entry.path)
        hashes.flush()
        return self.catalog.set_hash(entry.id, sha256), sha256

    def _verified(self, result: tuple[int, str]) -> None:
        survivor, sha256 = result
        self.message.setText(f"hash {sha256[:10]}")
        self.refresh()
        self.select(survivor)
        entry = self.catalog.get(survivor)
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
            self.message.setText("Select a model first.")
        return entry

    # --- the worker thread ---------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy > 0

    def _submit(self, work: Callable[..., Any], done: Callable[[Any], None], *args: Any) -> None:
        if self._closed:
            return
        if self._pool is None:  # stopped when the dock was closed; it may be shown again
            self._pool = ThreadPoolExecutor(1, "models-dock")
        self._busy += 1
        future = self._pool.submit(work, *args)
        # Runs on the worker thread; the queued signal hands the result to the GUI thread.
        future.add_done_callback(lambda f: self._work_done.emit(done, f))

    def _deliver(self, done: Callable[[Any], None], future: Future[Any]) -> None:
        self._busy -= 1
        if self._closed or future.cancelled():
            return
        try:
            result = future.result()
        except StudioError as exc:
            self.message.setText(str(exc))
        except Exception as exc:  # a bug or an OS error: one line, the dock keeps working
            self.message.setText(f"failed: {type(exc).__name__}: {exc}")
        else:
            done(result)

    def stop_worker(self) -> None:
        """Wait for the running scan or hash, drop queued ones; no thread is left."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def shutdown(self) -> None:
        """For the main window's close: stop the worker and close the catalog we opened."""
        self.stop_worker()
        if not self._closed and self._own_catalog:
            self.catalog.close()
        self._closed = True

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_worker()  # closing a dock only hides it: the catalog stays open
        super().closeEvent(event)
