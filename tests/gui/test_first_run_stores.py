"""The welcome page offers the model stores of other apps found on this computer, and adds
them (in place, off the GUI thread) only when the user clicks Add."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.core.paths import data_paths
from studio.core.settings import Settings, load_settings, save_settings
from studio.gui.first_run import WelcomePanel
from studio.models.catalog import ModelCatalog
from tests.gui.leaks import os_thread_names
from tests.models import store_layouts as layouts


def shown_panel(qtbot: Any, tmp_path: Path) -> WelcomePanel:
    panel = WelcomePanel(data_paths().ensure().database, tmp_path / "demo")
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_found_stores_are_offered_and_added_only_on_click(
    qtbot: Any, tmp_path: Path, no_real_model_stores: Path
) -> None:
    home = no_real_model_stores
    files = layouts.build_stores(home, tmp_path / "scratch")
    panel = shown_panel(qtbot, tmp_path)
    qtbot.waitUntil(lambda: panel.add_stores_button.isVisible(), timeout=5000)
    assert panel.stores_offer.text() == (
        "Found Ollama with 2 models, LM Studio with 1, GPT4All with 1, Jan with 1: add them? "
        "Their models stay where they are."
    )
    with ModelCatalog(data_paths().database) as catalog:
        assert catalog.entries() == []  # nothing scanned before the click
    assert load_settings().model_folders == []
    threads: list[str] = []
    import studio.models.operations as operations

    real_add = operations.add_model_stores

    def add(*args: Any) -> Any:
        threads.append(next(n for n in os_thread_names() if n.startswith("model-stores")))
        return real_add(*args)

    operations.add_model_stores = add  # type: ignore[assignment]
    try:
        with qtbot.waitSignal(panel.stores_added, timeout=10000) as added:
            panel.add_stores_button.click()
            assert not panel.add_stores_button.isEnabled()  # the click returned at once
    finally:
        operations.add_model_stores = real_add  # type: ignore[assignment]
    assert threads  # the scan ran on the lane's thread, not the GUI's
    result = added.args[0]
    assert result.added == 5 and not result.problems
    assert panel.status.text() == "Added Ollama, LM Studio, GPT4All, Jan. New models: 5."
    assert not panel.add_stores_button.isVisible()
    with ModelCatalog(data_paths().database) as catalog:
        names = {entry.name: entry.path for entry in catalog.entries()}
    assert names == {layouts.NAMES[key]: files[key].resolve() for key in layouts.NAMES}
    assert len(load_settings().model_folders) == 4
    panel.shutdown()


def test_nothing_is_offered_without_stores_or_when_already_added(
    qtbot: Any, tmp_path: Path, no_real_model_stores: Path
) -> None:
    panel = shown_panel(qtbot, tmp_path)
    qtbot.waitUntil(lambda: not panel.stores_lane.busy, timeout=5000)
    assert not panel.add_stores_button.isVisible() and panel.offered == []
    panel.shutdown()

    layouts.build_stores(no_real_model_stores, tmp_path / "scratch")
    gpt4all = no_real_model_stores / ".local" / "share" / "nomic.ai" / "GPT4All"
    save_settings(Settings(model_folders=[str(gpt4all)]))
    again = shown_panel(qtbot, tmp_path)
    qtbot.waitUntil(lambda: again.add_stores_button.isVisible(), timeout=5000)
    assert "GPT4All" not in again.stores_offer.text()
    assert again.stores_offer.text().startswith("Found Ollama with 2 models, LM Studio with 1, Jan")
    again.shutdown()


def test_the_offer_is_translated(qtbot: Any, qapp: Any, tmp_path: Path,
                                 no_real_model_stores: Path) -> None:  # fmt: skip
    from studio.gui.i18n import install_translator

    layouts.build_stores(no_real_model_stores, tmp_path / "scratch")
    assert install_translator(qapp, "pt_BR") == "pt_BR"
    try:
        panel = shown_panel(qtbot, tmp_path)
        qtbot.waitUntil(lambda: panel.add_stores_button.isVisible(), timeout=5000)
        assert panel.stores_offer.text().startswith("Encontrei Ollama com 2 modelos")
        assert panel.add_stores_button.text() == "Adicionar"
        panel.shutdown()
    finally:
        install_translator(qapp, "en")  # the other tests read English


def test_the_window_shows_the_added_stores_models(
    qtbot: Any, tmp_path: Path, no_real_model_stores: Path, queue: Any
) -> None:
    from studio.gui.main_window import MainWindow

    layouts.build_stores(no_real_model_stores, tmp_path / "scratch")
    window = MainWindow(queue)
    qtbot.addWidget(window)
    window.show()
    assert window.pages.currentWidget() is window.welcome
    qtbot.waitUntil(lambda: window.welcome.add_stores_button.isVisible(), timeout=5000)
    window.welcome.add_stores_button.click()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is not window.welcome, timeout=10000)
    assert window.models_dock.has_models()
    window.close()
