"""Interface language: the studio's Qt translation (resources/i18n/studio_<lang>.qm) and
Qt's own (qtbase_<lang>.qm: standard buttons, file dialogs), installed at start-up.

The source strings are English, so English needs no file. A language without a .qm
falls back to English as a whole rather than mixing Qt's translation with ours.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from studio.core.resources import resources_dir

SOURCE_LANGUAGE = "en"
_installed: list[QTranslator] = []  # kept referenced, and removed on a second install


def translations_dir() -> Path:
    return resources_dir() / "i18n"


def candidates(language: str) -> list[str]:
    """File suffixes to try for `language` ("" = the system's preferred languages, in order),
    most specific first: pt_BR, then pt. Stops at English, the source language."""
    wanted = [language] if language else QLocale.system().uiLanguages()
    found: list[str] = []
    for name in wanted:
        parts = name.replace("-", "_").split("_")  # "pt-Latn-BR" -> pt_Latn_BR, pt_BR, pt
        if parts[0] == SOURCE_LANGUAGE:
            break
        for option in ("_".join(parts), f"{parts[0]}_{parts[-1]}", parts[0]):
            if option not in found:
                found.append(option)
    return found


def install_translator(
    app: QCoreApplication, language: str = "", folder: Path | None = None
) -> str:
    """Install the translation for `language` ("" = the system's) and return the language
    now in use: its file suffix ("pt_BR"), or "en" when no translation file matches."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    folder = folder or translations_dir()
    for option in candidates(language):
        path = folder / f"studio_{option}.qm"
        if not path.is_file():
            continue
        ours = QTranslator(app)
        if not ours.load(str(path)):  # not a .qm file: try the next language
            ours.deleteLater()
            continue
        _install(app, ours)
        qt = QTranslator(app)
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if any(qt.load(f"qtbase_{name}", qt_folder) for name in (option, option.split("_")[0])):
            _install(app, qt)
        return option
    return SOURCE_LANGUAGE


def _install(app: QCoreApplication, translator: QTranslator) -> None:
    app.installTranslator(translator)
    _installed.append(translator)
