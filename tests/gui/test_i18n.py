"""Interface language: our .qm and Qt's own installed at start-up, English without files."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from studio.gui.i18n import candidates, install_translator

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context><name>SettingsDialog</name>
<message><source>Settings</source><translation>Configurações</translation></message>
</context>
</TS>
"""


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    install_translator(qapp, "en")  # leave no translator behind for other tests


def translated() -> str:
    return QCoreApplication.translate("SettingsDialog", "Settings")


@pytest.fixture(scope="module")
def qm_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("i18n")
    (folder / "studio_pt_BR.ts").write_text(TS, encoding="utf-8")
    # The binary itself: the pyside6-lrelease wrapper fails when PySide6 is split into
    # PySide6-Essentials and -Addons (its package has no __file__).
    import PySide6

    lrelease = next((str(Path(p) / "lrelease") for p in PySide6.__path__
                     if (Path(p) / "lrelease").is_file()), None)  # fmt: skip
    if lrelease is None:
        pytest.skip("Qt's lrelease is not installed")
    subprocess.run([lrelease, str(folder / "studio_pt_BR.ts"), "-qm",
                    str(folder / "studio_pt_BR.qm")], check=True, capture_output=True)  # fmt: skip
    return folder


def test_english_or_a_missing_file_installs_nothing(app: QApplication, tmp_path: Path) -> None:
    assert install_translator(app, "en", tmp_path) == "en"
    assert install_translator(app, "pt_BR", tmp_path) == "en"  # no .qm there
    assert install_translator(app, "", tmp_path) == "en"
    assert translated() == "Settings"


def test_a_translation_is_installed_with_qts_own(app: QApplication, qm_folder: Path) -> None:
    assert install_translator(app, "pt_BR", qm_folder) == "pt_BR"
    assert translated() == "Configurações"
    # Qt's own strings come from qtbase_pt_BR.qm (standard buttons and dialogs).
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancelar"
    assert install_translator(app, "en", qm_folder) == "en"  # a second call replaces the first
    assert translated() == "Settings"


def test_a_broken_qm_file_falls_back_to_english(app: QApplication, tmp_path: Path) -> None:
    (tmp_path / "studio_pt_BR.qm").write_bytes(b"not a translation")
    assert install_translator(app, "pt_BR", tmp_path) == "en"


def test_candidates_go_from_specific_to_general_and_stop_at_english() -> None:
    assert candidates("pt_BR") == ["pt_BR", "pt"]
    assert candidates("pt-Latn-BR") == ["pt_Latn_BR", "pt_BR", "pt"]
    assert candidates("en") == []
