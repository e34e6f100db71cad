"""The Translate view: two language pickers, swap, the text and its translation side by
side, and "Translate file…" for a .txt, .md or .srt document.

The pickers list only what the chosen model translates, read from its tokenizer and
config files on a worker thread (studio.models.operations.model_languages: no torch). A
translation is a job like any other: it goes to the queue through `submit`, and its
output file comes back through the bridge's job_finished.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)

from studio.core.errors import StudioError, one_line
from studio.core.languages import LanguageSupport
from studio.core.paths import data_paths
from studio.core.requests.translate import TranslateRequest
from studio.core.text_segments import DOCUMENT_KINDS
from studio.gui.background import TaskLane
from studio.gui.job_page import JobPage
from studio.gui.language_pickers import LanguagePickers
from studio.models.catalog import ModelCatalog
from studio.models.operations import model_languages

ERROR_STYLE = "color: #c62828;"
MAX_SHOWN = 200_000  # characters of a translated document shown in the result pane


def read_languages(ref: str) -> tuple[str, LanguageSupport | None, str]:
    """(ref, languages or None, the one-line reason) on the worker thread; the catalog
    connection is opened and closed there."""
    try:
        with ModelCatalog(data_paths().ensure().database) as catalog:
            return ref, model_languages(ref, catalog), ""
    except StudioError as exc:
        return ref, None, str(exc)
    except Exception as exc:  # an unreadable file, a bug: the view keeps working
        return ref, None, one_line(exc, typed=True)


def _read_text(path: Path) -> str:
    with path.open(encoding="utf-8", errors="replace") as handle:
        return handle.read(MAX_SHOWN)


class TranslateView(JobPage):
    """submit(task, request) -> job id queues a translation; set_model(ref) picks the model."""

    def build(self) -> None:
        self.model = ""
        self.job: tuple[int, str] | None = None  # (job id, "text" | "file")
        self._pair: tuple[str, str] | None = None  # to choose once the languages are read
        self.worker = TaskLane(
            "translate-view", self, on_error=lambda line: self._say(line, error=True)
        )
        self.languages = LanguagePickers()
        self.languages.changed.connect(self._update_buttons)
        self.languages.swapped.connect(self._swap_texts)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("Text to translate"))
        self.result = QPlainTextEdit()
        self.result.setReadOnly(True)
        self.result.setPlaceholderText(self.tr("Translation"))
        self.model_label = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setOpenExternalLinks(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.file_button = QPushButton(self.tr("Translate file…"))
        self.file_button.setToolTip(self.tr("Translate a .txt, .md or .srt document"))
        self.file_button.clicked.connect(lambda: self.translate_file())
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.translate_button = QPushButton(self.tr("Translate"))
        self.translate_button.setToolTip(self.tr("Translate (Ctrl+Return)"))
        self.translate_button.setDefault(True)
        self.translate_button.clicked.connect(self.translate)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.translate)
        self._layout()
        for signal, slot in (
            (self.bridge.job_progress, self._job_progress),
            (self.bridge.job_finished, self._job_finished),
            (self.bridge.job_failed, self._job_failed),
            (self.bridge.job_cancelled, self._job_cancelled),
        ):
            signal.connect(slot)
        self._update_buttons()
        self.model_label.setText(self.tr("No model: pick a translation model in the Models dock"))

    def _layout(self) -> None:
        panes = QSplitter(Qt.Orientation.Horizontal)
        panes.addWidget(self.text)
        panes.addWidget(self.result)
        panes.setChildrenCollapsible(False)
        actions = QHBoxLayout()
        actions.addWidget(self.file_button)
        actions.addWidget(self.status, stretch=1)
        actions.addWidget(self.progress)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.translate_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.model_label)
        layout.addWidget(self.languages)
        layout.addWidget(panes, stretch=1)
        layout.addLayout(actions)

    # --- the model and its languages ----------------------------------------------------

    def set_model(self, ref: str) -> None:
        """Use model `ref` (catalog id, name or folder); its languages are read off-thread."""
        self.model = ref
        self.model_label.setText(self.tr("Model: {0} (reading its languages…)").format(ref))
        self._say("")
        self.worker.submit(read_languages, self._languages_read, ref)

    def load_request(self, request: TranslateRequest) -> None:
        """Show a request again (reuse parameters, a dropped output): model, pair, text."""
        self.text.setPlainText(request.text)
        self.result.clear()
        self._pair = (request.source, request.target)
        self.set_model(request.model)

    def _languages_read(self, read: tuple[str, LanguageSupport | None, str]) -> None:
        ref, support, error = read
        if ref != self.model:
            return  # an earlier choice's answer
        if support is None:
            self._languages_failed(ref, error)
            return
        self.languages.set_support(support)
        self._choose_pair()
        self.model_label.setText(
            self.tr("Model: {0} ({1})").format(support.model, self.languages.summary())
        )

    def _languages_failed(self, ref: str, error: str) -> None:
        self.model_label.setText(self.tr("Model: {0}").format(ref))
        self._say(error, error=True)
        self.languages.set_support(None)  # every language: the job says what does not work
        self._choose_pair()

    def _choose_pair(self) -> None:
        if self._pair is not None:
            self.languages.set_pair(*self._pair)
            self._pair = None

    def _update_buttons(self) -> None:
        ready = bool(self.model and self.languages.source() and self.languages.target())
        self.translate_button.setEnabled(ready and self.job is None)
        self.file_button.setEnabled(ready and self.job is None)

    def swap(self) -> None:
        """Swap the languages; the translation becomes the text to translate."""
        self.languages.swap()

    def _swap_texts(self) -> None:
        if self.result.toPlainText():
            self.text.setPlainText(self.result.toPlainText())
            self.result.clear()

    # --- translating ----------------------------------------------------------------------

    def request(self, file: Path | None = None) -> TranslateRequest:
        """The request the view describes; ValidationError (one line) when it is not valid."""
        return TranslateRequest(
            model=self.model or "",
            source=self.languages.source(),
            target=self.languages.target(),
            text="" if file else self.text.toPlainText(),
            file=str(file) if file else None,
            **self.options(),
        )

    def translate(self) -> None:
        self._start("text", None)

    def translate_file(self, path: Path | None = None) -> None:
        """Translate a document (asked for when `path` is None); its output path is shown."""
        if path is None:
            patterns = " ".join(f"*{suffix}" for suffix in DOCUMENT_KINDS)
            chosen, _ = QFileDialog.getOpenFileName(
                self, self.tr("Translate file"), "", self.tr("Documents ({0})").format(patterns)
            )
            if not chosen:
                return
            path = Path(chosen)
        if not Path(path).is_file():
            self._say(self.tr("file not found: {0}").format(path), error=True)
            return
        self._start("file", Path(path))

    def _start(self, kind: str, file: Path | None) -> None:
        if self.job is not None:
            return
        try:
            job_id = self.submit("translate", self.request(file))
        except StudioError as exc:
            self._say(str(exc), error=True)
            return
        self.job = (job_id, kind)
        self.progress.setRange(0, 0)  # busy until the first progress event
        self.progress.show()
        self.cancel_button.show()
        what = file.name if file else self.tr("the text")
        self._say(self.tr("Translating {0}…").format(what))
        self._update_buttons()

    def cancel(self) -> None:
        if self.job is not None:
            self.bridge.queue.cancel(self.job[0])

    def _mine(self, job_id: int) -> bool:
        return self.job is not None and self.job[0] == job_id

    def _job_progress(self, job_id: int, done: int, total: int) -> None:
        if self._mine(job_id) and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _job_finished(self, job_id: int, paths: list[str]) -> None:
        if not self._mine(job_id):
            return
        assert self.job is not None
        kind = self.job[1]
        self._end()
        if not paths:
            self._say(self.tr("the translation wrote no file"), error=True)
            return
        output = Path(paths[0])
        if kind == "file":
            link = QUrl.fromLocalFile(str(output)).toString()
            self._say(
                self.tr('Saved to <a href="{0}">{1}</a>').format(link, html.escape(output.name)),
                rich=True,
            )
            self.status.setToolTip(str(output))
        else:
            self._say("")
        self.worker.submit(_read_text, self.result.setPlainText, output)

    def _job_failed(self, job_id: int, error: str) -> None:
        if self._mine(job_id):
            self._end()
            self._say(one_line(error), error=True)  # details: the Log

    def _job_cancelled(self, job_id: int) -> None:
        if self._mine(job_id):
            self._end()
            self._say(self.tr("Cancelled"))

    def _end(self) -> None:
        self.job = None
        self.progress.hide()
        self.cancel_button.hide()
        self._update_buttons()

    def _say(self, text: str, error: bool = False, rich: bool = False) -> None:
        # Plain unless we built the markup: an error may quote text with < or &.
        self.status.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setToolTip("")
        self.status.setText(text)

    def shutdown(self) -> None:
        """Before the window closes: wait for a language read in progress."""
        self.worker.close()
