"""The translate form: source and target language, the text (or a document) and decoding."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from studio.core.languages import LANGUAGES
from studio.core.requests.translate import MAX_BATCH_SIZE, MAX_BEAMS, TranslateRequest
from studio.gui.parameters.image_form import spin


def language_box(code: str) -> QComboBox:
    """Every language of the studio's table, shown by name, holding its code."""
    box = QComboBox()
    # Sized by a few characters, not the longest name: the dock must stay narrow.
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(12)
    for language in sorted(LANGUAGES.values(), key=lambda lang: lang.name):
        box.addItem(f"{language.name} ({language.code})", language.code)
    box.setCurrentIndex(box.findData(code))
    return box


class TranslateForm(QWidget):
    """Builds a TranslateRequest from its widgets and fills them from one."""

    TASK = "translate"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        defaults = TranslateRequest(model="-", source="en", target="de", text="-")
        self.model = QLineEdit()
        self.model.setPlaceholderText(self.tr("Select a model in the Models dock"))
        self.source = language_box("en")
        self.target = language_box("de")
        self.text = QPlainTextEdit()
        self.file = QLineEdit()
        self.file.setPlaceholderText(self.tr("or a .txt, .md or .srt document instead of the text"))
        self.batch_size = spin(1, MAX_BATCH_SIZE, defaults.batch_size)
        self.beams = spin(1, MAX_BEAMS, defaults.beams)
        self.beams.setToolTip(self.tr("Beam search width; 1 is greedy decoding"))
        form = self.form = QFormLayout(self)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("From"), self.source)
        form.addRow(self.tr("To"), self.target)
        form.addRow(self.tr("Text"), self.text)
        form.addRow(self.tr("Document"), self.file)
        form.addRow(self.tr("Sentences per batch"), self.batch_size)
        form.addRow(self.tr("Beams"), self.beams)

    def set_model(self, ref: str) -> None:
        self.model.setText(ref)

    def set_page_mode(self, on: bool) -> None:
        """In the Translate page the page holds the model, languages, text and file; the
        form keeps batching and beams for it."""
        for widget in (self.model, self.source, self.target, self.text, self.file):
            self.form.setRowVisible(widget, not on)

    def page_options(self) -> dict[str, int]:
        return {"batch_size": self.batch_size.value(), "beams": self.beams.value()}

    def request(self) -> TranslateRequest:
        """The request the form describes; ValidationError (one line) when it is not valid."""
        return TranslateRequest(
            model=self.model.text().strip(),
            source=str(self.source.currentData()),
            target=str(self.target.currentData()),
            text=self.text.toPlainText(),
            file=self.file.text().strip() or None,
            batch_size=self.batch_size.value(),
            beams=self.beams.value(),
        )

    def load_request(self, request: TranslateRequest) -> None:
        self.model.setText(request.model)
        self.source.setCurrentIndex(self.source.findData(request.source))
        self.target.setCurrentIndex(self.target.findData(request.target))
        self.text.setPlainText(request.text)
        self.file.setText(request.file or "")
        self.batch_size.setValue(request.batch_size)
        self.beams.setValue(request.beams)
