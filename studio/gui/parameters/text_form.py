"""The text form: system prompt, prompt and sampling settings for TextRequest."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from studio.core.requests.text import MAX_NEW_TOKENS, TextRequest
from studio.gui.parameters.image_form import SeedField, float_spin, spin

# Fields without a widget here; kept from the last loaded request so reuse loses nothing.
TEXT_CARRIED = ("mode", "history", "min_p", "repetition_penalty", "stop")


class TextForm(QWidget):
    """Builds a TextRequest from its widgets and fills them from one."""

    TASK = "text"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        defaults = TextRequest(model="-", prompt="-")
        self.model = QLineEdit()
        self.model.setPlaceholderText(self.tr("Select a model in the Models dock"))
        self.system = QPlainTextEdit()
        self.system.setMaximumHeight(80)
        self.prompt = QPlainTextEdit()
        self.temperature = float_spin(0, 5, defaults.temperature, 0.05)
        self.temperature.setToolTip(self.tr("0 = greedy (no sampling)"))
        self.top_p = float_spin(0.01, 1, defaults.top_p, 0.05)
        self.top_p.setToolTip(self.tr("1 = off"))
        self.top_k = spin(0, 100_000, defaults.top_k)
        self.top_k.setToolTip(self.tr("0 = off"))
        self.max_new_tokens = spin(1, MAX_NEW_TOKENS, defaults.max_new_tokens)
        self.seed = SeedField()
        self._carried: dict[str, Any] = {}
        form = self.form = QFormLayout(self)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("System prompt"), self.system)
        form.addRow(self.tr("Prompt"), self.prompt)
        form.addRow(self.tr("Temperature"), self.temperature)
        form.addRow(self.tr("Top p"), self.top_p)
        form.addRow(self.tr("Top k"), self.top_k)
        form.addRow(self.tr("Max new tokens"), self.max_new_tokens)
        form.addRow(self.tr("Seed"), self.seed)

    def set_model(self, ref: str) -> None:
        self.model.setText(ref)

    def set_page_mode(self, on: bool) -> None:
        """In the chat page the composer holds the model, prompts, temperature and length;
        the form keeps the rest (sampling and seed) for the chat to use."""
        for widget in (self.model, self.system, self.prompt, self.temperature,
                       self.max_new_tokens):  # fmt: skip
            self.form.setRowVisible(widget, not on)

    def chat_options(self) -> dict[str, Any]:
        """What the chat page takes from this form: the sampling settings it lacks."""
        return {"top_p": self.top_p.value(), "top_k": self.top_k.value(),
                "seed": self.seed.seed()}  # fmt: skip

    def request(self) -> TextRequest:
        """The request the form describes; ValidationError (one line) when it is not valid."""
        return TextRequest(
            **{
                **self._carried,
                "model": self.model.text().strip(),
                "system": self.system.toPlainText(),
                "prompt": self.prompt.toPlainText(),
                "temperature": self.temperature.value(),
                "top_p": self.top_p.value(),
                "top_k": self.top_k.value(),
                "max_new_tokens": self.max_new_tokens.value(),
                "seed": self.seed.seed(),
            }
        )

    def load_request(self, request: TextRequest) -> None:
        self.model.setText(request.model)
        self.system.setPlainText(request.system)
        self.prompt.setPlainText(request.prompt)
        self.temperature.setValue(request.temperature)
        self.top_p.setValue(request.top_p)
        self.top_k.setValue(request.top_k)
        self.max_new_tokens.setValue(request.max_new_tokens)
        self.seed.set_seed(request.seed)
        self._carried = {name: getattr(request, name) for name in TEXT_CARRIED}
