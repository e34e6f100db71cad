"""The shipped Portuguese (Brasil) translation: complete for the current code, compiled,
faithful to placeholders and accelerators, and what a translated main window shows.

English is the source language (the strings in the code): it has no .ts file.
"""

from __future__ import annotations

import importlib.util
import re
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from studio.core.paths import data_paths
from studio.gui.i18n import install_translator, translations_dir
from studio.gui.main_window import MainWindow
from studio.gui.model_text import GROUPS, group_label
from studio.gui.stored_names import shown
from studio.runtime.jobs import HandlerRegistry, JobQueue

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "studio_pt_BR.ts"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"</?(?:a|b|i|p|ul|li|span|br)\b[^>]*>")  # rich text; not "<model>" in a hint


def _tool_script() -> ModuleType:
    path = ROOT / "packaging" / "tools" / "update_translations.py"
    spec = importlib.util.spec_from_file_location("update_translations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOLS = _tool_script()


def messages() -> list[tuple[str, str, str]]:
    """(context, source, translation) of every entry of the shipped .ts."""
    found = []
    for context in ET.parse(TS).getroot().iter("context"):
        for message in context.iter("message"):
            found.append((context.findtext("name") or "", message.findtext("source") or "",
                          message.findtext("translation") or ""))  # fmt: skip
    return found


def mnemonics(text: str) -> int:
    return len(re.findall(r"&(?!&)[^\s&]", text.replace("&&", "")))


def test_every_string_of_the_code_has_a_translation() -> None:
    if TOOLS.find_tool("lupdate") is None:
        pytest.skip("Qt's lupdate is not installed (it comes with PySide6)")
    left = TOOLS.check(TS)  # lupdate over studio/gui into a copy of the shipped file
    assert not left, (
        "run `.venv/bin/python packaging/tools/update_translations.py` and translate:\n"
        + "\n".join(left)
    )
    assert len(messages()) > 400


def test_the_shipped_qm_is_compiled_from_the_shipped_ts(tmp_path: Path) -> None:
    if TOOLS.find_tool("lrelease") is None:
        pytest.skip("Qt's lrelease is not installed (it comes with PySide6)")
    TOOLS.lrelease(TS, tmp_path / "fresh.qm")
    shipped = translations_dir() / "studio_pt_BR.qm"
    assert shipped.read_bytes() == (tmp_path / "fresh.qm").read_bytes(), (
        "the .qm is stale: run packaging/tools/update_translations.py"
    )


def test_translations_keep_placeholders_tags_accelerators_and_edges() -> None:
    wrong = []
    for context, source, translation in messages():
        where = f"{context}: {source!r} -> {translation!r}"
        if not translation.strip():
            wrong.append(f"empty: {where}")
        if Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(translation)):
            wrong.append(f"placeholders differ: {where}")
        if Counter(TAG.findall(source)) != Counter(TAG.findall(translation)):
            wrong.append(f"markup differs: {where}")
        if mnemonics(source) != mnemonics(translation):
            wrong.append(f"accelerator (&) count differs: {where}")
        if (source[:1].isspace(), source[-1:].isspace()) != (
            translation[:1].isspace(),
            translation[-1:].isspace(),
        ):
            wrong.append(f"leading/trailing space differs: {where}")
        if source.endswith("…") != translation.endswith("…"):
            wrong.append(f"ellipsis differs: {where}")
    assert not wrong, "\n".join(wrong)


@pytest.fixture
def portuguese(qapp: QApplication) -> Iterator[QApplication]:
    assert install_translator(qapp, "pt_BR") == "pt_BR"
    yield qapp
    install_translator(qapp, "en")  # the other tests read English


@pytest.fixture
def window(qtbot, portuguese):  # type: ignore[no-untyped-def]
    """A main window, built after the translator is installed, on a fake image queue."""
    before = set(threading.enumerate())
    registry = HandlerRegistry()
    registry.register("image", lambda job, ctx: [])
    queue = JobQueue(data_paths().ensure().database, devices=["cpu"], handlers=registry)
    queue.start()
    made = MainWindow(queue)
    qtbot.addWidget(made)
    yield made
    queue.stop(wait=True, timeout=10)
    qtbot.waitUntil(lambda: set(threading.enumerate()) <= before, timeout=5000)


def test_a_window_built_in_portuguese_shows_portuguese(window: MainWindow) -> None:
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&Arquivo", "&Gerar", "&Exibir", "Aj&uda"]
    assert window.menu_actions["generate"].text() == "&Gerar"
    assert window.menu_actions["settings"].text() == "&Configurações…"
    tasks = [action.text() for action in window.task_bar.group.actions()]
    assert tasks == ["Imagem", "Conversa", "Código", "Tradução", "Música", "Fala"]
    titles = [dock.windowTitle() for dock in window.docks]
    assert titles == ["Modelos", "Parâmetros", "Fila", "Registro"]
    assert window.parameters_dock.generate_button.text() == "Gerar"
    assert window.parameters_dock.task_box.itemText(0) == "Imagem"
    jobs = window.queue_dock.model
    assert jobs.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == "Tipo"
    assert window.welcome.where.text().startswith("Nenhum modelo ainda")
    # Names marked at module level are translated where they are shown.
    assert group_label(GROUPS["image"]) == "Imagem" and shown("running") == "em execução"


def test_a_new_language_starts_with_every_string_unfinished(tmp_path: Path) -> None:
    if TOOLS.find_tool("lupdate") is None:
        pytest.skip("Qt's lupdate is not installed (it comes with PySide6)")
    ts = tmp_path / "studio_de.ts"
    TOOLS.lupdate(ts, "de")
    left = TOOLS.problems(ts)
    assert len(left) == len(messages()) and all(line.startswith("unfinished") for line in left)
