"""GalleryActions: what a person does with outputs: open, reuse, copy, reveal, trash, export.

Each action works on the gallery's current output (or, for trash and export, every
selected one) and reports in one line through the view. Nothing here blocks: exports
copy (and re-encode) on a worker thread; a missing trash keeps the file and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QFile, QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from studio.core.errors import StudioError
from studio.core.outputs.strip import export_output, sidecar_of
from studio.gui.viewers.loader import LatestLoader
from studio.gui.viewers.parameters import record_of, request_of

if TYPE_CHECKING:
    from studio.core.gallery.query import GalleryRow
    from studio.gui.gallery.view import GalleryView


def move_to_trash(path: Path) -> str:
    """Move `path` to the desktop's trash; "" when done, else Qt's reason in one line."""
    file = QFile(str(path))
    if file.moveToTrash():
        return ""
    return file.errorString() or QCoreApplication.translate("GalleryActions", "no trash here")


def export_all(paths: list[Path], folder: Path, strip: bool) -> tuple[int, list[str]]:
    """Export each file (worker thread); how many went, and one line per one that did not."""
    done, problems = 0, []
    for path in paths:
        try:
            export_output(path, folder, strip=strip)
            done += 1
        except StudioError as exc:
            problems.append(str(exc))
    return done, problems


def _some(problems: list[str]) -> str:
    """The first problem, and how many more there were (one line however many failed)."""
    more = QCoreApplication.translate("GalleryActions", " (and {count} more)")
    return problems[0] + (more.format(count=len(problems) - 1) if len(problems) > 1 else "")


class GalleryActions(QObject):
    """The QActions of a GalleryView's grid: its context menu and its keys."""

    def __init__(self, view: GalleryView) -> None:
        super().__init__(view)
        self.view = view
        # Replaced in tests; a modal folder chooser is what a person expects here.
        self.choose_folder: Callable[[], Path | None] = self._ask_folder
        self.exporter = LatestLoader(self)
        self.exporter.done.connect(self._exported)
        self.exporter.failed.connect(self._export_failed)
        self._export_folder = Path()
        self._export_count = 0
        self.open = self._action(self.tr("Open"), "Return", view.open_current)
        self.reuse = self._action(self.tr("Reuse parameters"), "R", self.reuse_parameters)
        self.copy_prompt = self._action(self.tr("Copy prompt"), "Ctrl+C", self.copy_prompt_text)
        self.copy_seed = self._action(self.tr("Copy seed"), "Ctrl+Shift+C", self.copy_seed_number)
        self.reveal = self._action(self.tr("Open containing folder"), "Ctrl+Shift+O",
                                   self.open_folder)  # fmt: skip
        self.trash = self._action(self.tr("Move to trash"), "Delete", self.trash_selected)
        self.export = self._action(self.tr("Export…"), "Ctrl+E", lambda: self.export_selected())
        self.export_clean = self._action(self.tr("Export without metadata…"), "Ctrl+Shift+E",
                                         lambda: self.export_selected(strip=True))  # fmt: skip
        self.update_enabled()

    def all(self) -> list[QAction]:
        return [self.open, self.reuse, self.copy_prompt, self.copy_seed, self.reveal,
                self.trash, self.export, self.export_clean]  # fmt: skip

    def menu(self, parent: QWidget | None = None) -> QMenu:
        menu = QMenu(parent or self.view)
        menu.aboutToShow.connect(self.update_enabled)  # a refreshed grid may have no current
        for number, action in enumerate(self.all()):
            if number in (1, 4, 5):  # groups: open | reuse, copy | files | export
                menu.addSeparator()
            menu.addAction(action)
        return menu

    def update_enabled(self) -> None:
        current = self.view.current_row() is not None
        selected = bool(self.view.selected_rows()) or current
        for action in (self.open, self.reuse, self.copy_prompt, self.copy_seed, self.reveal):
            action.setEnabled(current)
        for action in (self.trash, self.export, self.export_clean):
            action.setEnabled(selected)

    def shutdown(self) -> None:
        self.exporter.shutdown()

    def reuse_parameters(self) -> None:
        row = self.view.current_row()
        entry = self.view.entry(row) if row is not None else None
        if entry is None:
            return
        try:
            request = request_of(record_of(entry))
        except StudioError as exc:
            text = self.tr("Cannot reuse the parameters of {name}: {reason}")
            self.view.notify(text.format(name=entry.path.name, reason=exc))
            return
        self.view.reuse_requested.emit(request)
        self.view.notify(self.tr("Reusing the parameters of {name}").format(name=entry.path.name))

    def copy_prompt_text(self) -> None:
        row = self.view.current_row()
        if row is not None:
            QGuiApplication.clipboard().setText(row.prompt)
            self.view.notify(self.tr("Prompt copied"))

    def copy_seed_number(self) -> None:
        row = self.view.current_row()
        if row is None:
            return
        if row.seed is None:
            self.view.notify(self.tr("{name} has no seed").format(name=row.path.name))
            return
        QGuiApplication.clipboard().setText(str(row.seed))
        self.view.notify(self.tr("Seed {seed} copied").format(seed=row.seed))

    def open_folder(self) -> None:
        row = self.view.current_row()
        if row is None:
            return
        folder = row.path.parent
        if not folder.is_dir():
            self.view.notify(self.tr("The folder {folder} is gone").format(folder=folder))
        elif not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.view.notify(self.tr("No file manager could open {folder}").format(folder=folder))

    def trash_selected(self) -> None:
        """Trash each selected output with its sidecar, then drop its gallery row."""
        rows = self.view.selected_rows()
        gone: list[GalleryRow] = []
        problems: list[str] = []
        for row in rows:
            if row.path.exists():
                reason = move_to_trash(row.path)
                if reason:
                    text = self.tr("Cannot move {name} to the trash ({reason}); the file is kept")
                    problems.append(text.format(name=row.path.name, reason=reason))
                    continue
            sidecar = sidecar_of(row.path)
            if sidecar.exists():
                move_to_trash(sidecar)  # the record goes where its output went
            gone.append(row)
        self.view.remove_rows([row.id for row in gone])
        if not problems:
            self.view.notify(
                self.tr("Moved {count} output(s) to the trash").format(count=len(gone))
            )
            return
        summary = self.tr("Moved {done} of {count} output(s) to the trash")
        self.view.notify(f"{summary.format(done=len(gone), count=len(rows))}; {_some(problems)}")

    def export_selected(self, strip: bool = False) -> None:
        rows = self.view.selected_rows()
        if not rows or self.exporter.busy():
            return
        folder = self.choose_folder()
        if folder is None:
            return
        paths = [row.path for row in rows]
        self._export_folder, self._export_count = folder, len(paths)
        self.exporter.run(lambda: export_all(paths, folder, strip))
        self.view.notify(self.tr("Exporting {count} output(s)…").format(count=len(paths)))

    def _exported(self, result: tuple[int, list[str]]) -> None:
        done, problems = result
        text = self.tr("Exported {done} of {count} output(s) to {folder}").format(
            done=done, count=self._export_count, folder=self._export_folder
        )
        self.view.notify(f"{text}; {_some(problems)}" if problems else text)

    def _export_failed(self, reason: str) -> None:
        self.view.notify(self.tr("Export failed: {reason}").format(reason=reason))

    def _ask_folder(self) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self.view, self.tr("Export to folder"))
        return Path(chosen) if chosen else None

    def _action(self, text: str, key: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        # Only while the grid has focus: typing R or Delete in the search box stays typing.
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.view.list.addAction(action)
        return action
