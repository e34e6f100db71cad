"""The Settings dialog's Outputs page: output folder, file-name template with a live
example, and the strip-metadata privacy option."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFileDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from studio.core.errors import StudioError
from studio.core.outputs.naming import DEFAULT_TEMPLATE, TEMPLATE_FIELDS, FilenameTemplate
from studio.core.paths import default_output_dir
from studio.core.settings import Settings
from studio.gui.settings_pages import (
    ERROR_STYLE,
    NOTE_STYLE,
    WARNING_STYLE,
    SettingsPage,
    note,
    row,
    tool_button,
)


class OutputsPage(SettingsPage):
    FIELDS = ("output_folder", "filename_template", "strip_metadata")

    def __init__(self) -> None:
        super().__init__()
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(str(default_output_dir()))
        self.folder.setClearButtonEnabled(True)
        browse = tool_button("folder", self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        self.template = QLineEdit()
        self.template.setPlaceholderText(DEFAULT_TEMPLATE)
        self.template.setClearButtonEnabled(True)
        fields = ", ".join(f"{{{name}}}" for name in TEMPLATE_FIELDS)
        self.template.setToolTip(self.tr("Fields: {0}. A / makes a folder.").format(fields))
        self.template.textChanged.connect(self.show_example)
        self.example = QLabel()
        self.example.setWordWrap(True)
        self.example.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.strip = QCheckBox(self.tr("Leave the prompt and parameters out of files"))
        self.strip.toggled.connect(self.show_example)
        # Stripping covers what is inside files; a template may still put the prompt in names.
        self.name_warning = QLabel(self.tr(
            "File names still show the prompt: take {prompt} and {negative} out of the "
            "template to keep it out of them too."
        ))  # fmt: skip
        self.name_warning.setWordWrap(True)
        self.name_warning.setStyleSheet(WARNING_STYLE)
        names = QVBoxLayout()  # the example right under the field it explains
        names.setSpacing(2)
        names.addWidget(self.template)
        names.addWidget(self.example)
        form = QFormLayout()
        form.addRow(self.tr("Folder:"), row(self.folder, browse, stretch=False))
        form.addRow(self.tr("File names:"), names)
        self.page(form, self.strip, note(self.tr(
            "Files still say that they are AI-generated (the IPTC label other software reads). "
            "The gallery keeps the parameters on this computer."
        )), self.name_warning)  # fmt: skip

    def load(self, settings: Settings) -> None:
        self.folder.setText(settings.output_folder)
        self.template.setText(settings.filename_template)
        self.strip.setChecked(settings.strip_metadata)
        self.show_example()

    def values(self) -> dict[str, object]:
        return {"output_folder": self.folder.text().strip(),
                "filename_template": self.template.text().strip(),
                "strip_metadata": self.strip.isChecked()}  # fmt: skip

    def shows(self, error: str) -> bool:
        return self.example.text() == error

    def show_example(self) -> None:
        text = self.template.text().strip() or DEFAULT_TEMPLATE
        leaks = any(f"{{{name}" in text for name in ("prompt", "negative"))
        self.name_warning.setVisible(self.strip.isChecked() and leaks)
        try:
            name = FilenameTemplate(text).render(example_values(self.tr("a lighthouse at dusk")))
        except StudioError as exc:
            self.example.setText(str(exc))
            self.example.setStyleSheet(ERROR_STYLE)
            return
        self.example.setText(self.tr("Example: {0}").format(f"{name}.png"))
        self.example.setStyleSheet(NOTE_STYLE)

    def _browse(self) -> None:
        start = self.folder.text() or str(default_output_dir())
        folder = QFileDialog.getExistingDirectory(self, self.tr("Output folder"), start)
        if folder:
            self.folder.setText(folder)


def example_values(prompt: str) -> dict[str, object]:
    """Template values of a typical image, for the live example."""
    now = datetime.now()
    return {
        "date": now.strftime("%Y-%m-%d"), "time": now.strftime("%H%M%S"), "index": 1,
        "seed": 1234567, "prompt": prompt, "negative": "", "model": "sd-v1-5",
        "sampler": "Euler a", "steps": 20, "width": 512, "height": 512, "guidance": 7.5,
        "task": "image", "mode": "txt2img", "batch": 0,
    }  # fmt: skip
