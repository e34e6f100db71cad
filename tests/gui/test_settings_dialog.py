"""SettingsDialog: every field persists, bad input is one inline line, nothing is lost."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from studio.core.paths import data_paths
from studio.core.settings import Settings, load_settings, save_settings
from studio.gui.settings_dialog import SettingsDialog


def dialog_for(qtbot: Any, **kwargs: Any) -> SettingsDialog:
    dialog = SettingsDialog(**kwargs)
    qtbot.addWidget(dialog)
    return dialog


def test_every_field_persists_and_a_new_dialog_shows_it(qtbot: Any, tmp_path: Path) -> None:
    models, out = tmp_path / "models", tmp_path / "out"
    models.mkdir()
    out.mkdir()
    dialog = dialog_for(qtbot, devices=["cuda:0", "cuda:1"])
    assert dialog.notice.isHidden() and dialog.settings() == Settings()
    dialog.models.add_folder(models)
    dialog.models.add_folder(models)  # once is enough
    dialog.outputs.folder.setText(str(out))
    dialog.outputs.template.setText("{task}/{seed}")
    assert dialog.outputs.example.text().startswith("Example: image/1234567.png")
    assert dialog.outputs.name_warning.isHidden()
    dialog.outputs.strip.setChecked(True)
    assert dialog.outputs.name_warning.isHidden()  # no {prompt} in "{task}/{seed}"
    dialog.outputs.template.setText("")  # the default template names files by their prompt
    assert not dialog.outputs.name_warning.isHidden()
    dialog.outputs.template.setText("{task}/{seed}")
    dialog.performance.device.setCurrentIndex(dialog.performance.device.findData("cuda:1"))
    dialog.performance.precision.setCurrentIndex(dialog.performance.precision.findData("bf16"))
    dialog.performance.memory.setValue(6.5)
    dialog.privacy.offline.setChecked(False)
    dialog.interface.language.setCurrentIndex(dialog.interface.language.findData("pt_BR"))
    with qtbot.waitSignal(dialog.settings_changed) as changed:
        dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    expected = Settings(
        model_folders=[str(models.resolve())], output_folder=str(out),
        filename_template="{task}/{seed}", device="cuda:1", precision="bf16",
        memory_budget_gb=6.5, offline=False, strip_metadata=True, language="pt_BR",
    )  # fmt: skip
    assert changed.args == [expected] and load_settings() == expected
    again = dialog_for(qtbot)  # no device list: the saved one is still shown and kept
    assert again.settings() == expected
    assert again.performance.device.currentData() == "cuda:1"


def test_an_invalid_template_is_refused_inline_and_the_file_is_unchanged(qtbot: Any) -> None:
    save_settings(Settings(language="en"))
    before = data_paths().settings.read_bytes()
    dialog = dialog_for(qtbot)
    dialog.tabs.setCurrentIndex(0)
    dialog.outputs.template.setText("{nope}/{seed}")
    # Said while typing, beside the field...
    assert dialog.outputs.example.text().startswith("unknown field {nope} in filename template")
    with qtbot.assertNotEmitted(dialog.settings_changed):
        dialog.accept()  # ...so OK shows its tab and does not say it twice
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.tabs.currentWidget() is dialog.outputs and dialog.error.isHidden()
    assert data_paths().settings.read_bytes() == before
    dialog.outputs.template.setText("{seed}")  # nothing typed was lost: fix it and go on
    dialog.accept()
    assert load_settings() == Settings(language="en", filename_template="{seed}")


def test_a_missing_output_folder_is_one_line_under_the_tabs(qtbot: Any, tmp_path: Path) -> None:
    dialog = dialog_for(qtbot)
    dialog.outputs.folder.setText(str(tmp_path / "nowhere"))
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not dialog.error.isHidden() and dialog.tabs.currentWidget() is dialog.outputs
    assert dialog.error.text() == f"output folder {tmp_path / 'nowhere'} does not exist"
    assert not data_paths().settings.exists()


def test_an_unreadable_file_opens_with_defaults_and_is_kept_until_ok(qtbot: Any) -> None:
    path = data_paths().ensure().settings
    path.write_text("{broken")
    dialog = dialog_for(qtbot)
    assert dialog.settings() == Settings() and not dialog.notice.isHidden()
    assert "\n" not in dialog.notice.text() and "cannot be read" in dialog.notice.text()
    assert "unreadable" in dialog.notice.toolTip()  # the details, for whoever wants them
    dialog.reject()
    assert path.read_text() == "{broken"
    dialog = dialog_for(qtbot)
    dialog.accept()
    assert json.loads(path.read_text())["offline"] is True


def test_cancel_changes_nothing(qtbot: Any) -> None:
    save_settings(Settings(device="cpu"))
    before = data_paths().settings.read_bytes()
    dialog = dialog_for(qtbot)
    dialog.performance.memory.setValue(3)
    dialog.privacy.offline.setChecked(False)
    with qtbot.assertNotEmitted(dialog.settings_changed):
        dialog.reject()
    assert data_paths().settings.read_bytes() == before


def test_folders_can_be_removed_and_a_saved_missing_one_does_not_block_ok(
    qtbot: Any, tmp_path: Path
) -> None:
    gone = str(tmp_path / "unplugged")
    save_settings(Settings(model_folders=[gone]))
    dialog = dialog_for(qtbot)
    assert dialog.models.folders.item(0).toolTip().startswith("Not found now")
    dialog.interface.language.setCurrentIndex(dialog.interface.language.findData("en"))
    dialog.accept()  # the unplugged drive stays listed; other changes are saved
    assert load_settings() == Settings(model_folders=[gone], language="en")
    dialog = dialog_for(qtbot)
    assert not dialog.models.remove.isEnabled()  # nothing selected yet
    dialog.models.folders.item(0).setSelected(True)
    dialog.models.remove.click()
    dialog.accept()
    assert load_settings().model_folders == []


def test_a_failed_save_is_one_line_and_the_dialog_stays(qtbot: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    dialog = dialog_for(qtbot, path=blocker / "settings.json")  # its folder is a file
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.text().startswith("The settings cannot be saved: cannot create")


@pytest.mark.parametrize("devices", [None, ["cpu"], ["mps"]])
def test_devices_come_from_the_queue_or_a_platform_guess(
    qtbot: Any, devices: list[str] | None
) -> None:
    dialog = dialog_for(qtbot, devices=devices)
    names = [
        dialog.performance.device.itemData(i) for i in range(dialog.performance.device.count())
    ]
    assert names[:2] == ["auto", "cpu"] and names.count("cpu") == 1
    assert dialog.performance.memory.text() == "Automatic"  # 0 GB
