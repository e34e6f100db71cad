"""GalleryActions: what a person does with outputs: open, reuse, copy, tag, reveal, trash,
export.

Each action works on the gallery's current output (or, for tags, trash and export, every
selected one) and reports in one line through the view. Nothing here blocks: exports
copy (and re-encode) on a worker thread; a missing trash keeps the file and says so; a
tag is typed in the view's inline TagEditor, not in a modal dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QFile, QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from studio.core.errors import StudioError
from studio.core.gallery.tags import sort_key
from studio.core.outputs.strip import export_output, sidecar_of
from studio.gui.background import TaskLane
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
        self.exporter = TaskLane("gallery-export", self, on_error=self._export_failed)
        self._export_folder = Path()
        self._export_count = 0
        self.open = self._action(self.tr("Open"), "Return", view.open_current)
        self.reuse = self._action(self.tr("Reuse parameters"), "R", self.reuse_parameters)
        self.copy_prompt = self._action(self.tr("Copy prompt"), "Ctrl+C", self.copy_prompt_text)
        self.copy_seed = self._action(self.tr("Copy seed"), "Ctrl+Shift+C", self.copy_seed_number)
        self.add_tag = self._action(self.tr("Add tag…"), "T", self.start_tagging)
        self.reveal = self._action(self.tr("Open containing folder"), "Ctrl+Shift+O",
                                   self.open_folder)  # fmt: skip
        self.trash = self._action(self.tr("Move to trash"), "Delete", self.trash_selected)
        self.export = self._action(self.tr("Export…"), "Ctrl+E", lambda: self.export_selected())
        self.export_clean = self._action(self.tr("Export without metadata…"), "Ctrl+Shift+E",
                                         lambda: self.export_selected(strip=True))  # fmt: skip
        view.tag_editor.submitted.connect(self.tag_outputs)
        view.tag_editor.closed.connect(self._tagging_closed)
        self.update_enabled()

    def all(self) -> list[QAction]:
        return [self.open, self.reuse, self.copy_prompt, self.copy_seed, self.add_tag,
                self.reveal, self.trash, self.export, self.export_clean]  # fmt: skip

    def menu(self, parent: QWidget | None = None) -> QMenu:
        menu = QMenu(parent or self.view)
        menu.aboutToShow.connect(self.update_enabled)  # a refreshed grid may have no current
        untag = QMenu(self.tr("Remove tag"), menu)
        groups = ([self.open], [self.reuse, self.copy_prompt, self.copy_seed], [self.add_tag],
                  [self.reveal], [self.trash, self.export, self.export_clean])  # fmt: skip
        for group in groups:
            if not menu.isEmpty():
                menu.addSeparator()
            menu.addActions(group)
            if group == [self.add_tag]:
                menu.addMenu(untag)
        untag.aboutToShow.connect(lambda: self.fill_untag_menu(untag))
        # Connected to the menu, not to the action: a context menu is deleted after use.
        menu.aboutToShow.connect(lambda: untag.setEnabled(self.add_tag.isEnabled()))
        return menu

    def update_enabled(self) -> None:
        current = self.view.current_row() is not None
        selected = bool(self.view.selected_rows()) or current
        for action in (self.open, self.reuse, self.copy_prompt, self.copy_seed, self.reveal):
            action.setEnabled(current)
        for action in (self.add_tag, self.trash, self.export, self.export_clean):
            action.setEnabled(selected)

    def shutdown(self) -> None:
        self.exporter.cancel()
        self.exporter.stop()

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

    def start_tagging(self) -> None:
        """Open the inline tag editor for the selected outputs."""
        rows = self.view.selected_rows()
        if rows and self.view.store is not None:
            known = [tag for tag, _ in self.view.store.all_tags()]
            self.view.tag_editor.start([row.id for row in rows], known)
            # The hint stays readable under the editor once typing hides the placeholder.
            self.view.message.setText(self.view.tag_editor.placeholderText())

    def tag_outputs(self, ids: list[int], text: str) -> None:
        """Tag each output; a bad tag is one line and the editor stays open to fix it."""
        if self.view.store is None or not ids:
            return
        tagged = 0
        try:
            for entry_id in ids:
                tag = self.view.store.add_tags(entry_id, [text])[0]
                tagged += 1
        except StudioError as exc:
            if not tagged:
                self.view.notify(self.tr("Cannot add the tag: {reason}").format(reason=exc))
                return
        self.view.tag_editor.finish()
        self.view.refresh_tags()
        text = self.tr('Tagged {count} output(s) "{tag}"').format(count=tagged, tag=tag)
        self.view.notify(text)

    def _tagging_closed(self) -> None:
        self.view.message.clear()  # the hint or a bad tag's reason: both end with the editor
        self.view.list.setFocus()

    def fill_untag_menu(self, menu: QMenu) -> None:
        """One entry per tag of the selected outputs (read when the submenu opens)."""
        menu.clear()
        store = self.view.store
        found = (
            {t for row in self.view.selected_rows() for t in store.tags(row.id)} if store else ()
        )
        tags = sorted(found, key=sort_key)
        for tag in tags:
            action = menu.addAction(tag)
            action.triggered.connect(lambda *_, tag=tag: self.untag_selected(tag))
        if not tags:
            menu.addAction(self.tr("No tags")).setEnabled(False)

    def untag_selected(self, tag: str) -> None:
        if self.view.store is None:
            return
        rows = self.view.selected_rows()
        count = sum(1 for row in rows if self.view.store.remove_tag(row.id, tag))
        self.view.refresh_tags()
        text = self.tr('Removed the tag "{tag}" from {count} output(s)')
        self.view.notify(text.format(tag=tag, count=count))

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
        if not rows or self.exporter.busy:
            return
        folder = self.choose_folder()
        if folder is None:
            return
        paths = [row.path for row in rows]
        self._export_folder, self._export_count = folder, len(paths)
        self.exporter.submit(export_all, self._exported, paths, folder, strip)
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
