"""The main window's parts: crash guard, welcome page, theme and icons, menus."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from studio.core.paths import data_paths
from studio.gui import first_run, icons, theme
from studio.gui.crash_guard import CrashGuard
from studio.gui.first_run import WelcomePanel
from studio.gui.notifications import NotificationArea
from tests.gui.leaks import os_thread_name


def test_unhandled_exceptions_are_logged_and_shown(qtbot: Any, tmp_path: Path) -> None:
    area = NotificationArea()
    qtbot.addWidget(area)
    area.show()
    log = tmp_path / "logs" / "errors.log"
    guard = CrashGuard(log, lambda line, details: area.notify(line, details)).install()
    try:
        try:
            raise ValueError("the bad thing\nsecond line")
        except ValueError as exc:
            import sys

            sys.excepthook(type(exc), exc, exc.__traceback__)
        worker = threading.Thread(target=lambda: 1 / 0, name="worker-7")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(area.notices()) == 2, timeout=2000)
    finally:
        guard.uninstall()
    first, second = (n.message.text() for n in area.notices())
    assert first == "Unexpected error: ValueError: the bad thing"
    assert second == "Unexpected error in thread worker-7: ZeroDivisionError: division by zero"
    text = log.read_text()
    assert "Traceback" in text and "ValueError" in text and "worker-7" in text
    assert str(log) in area.notices()[0].details.toPlainText()


def test_a_full_disk_does_not_turn_one_error_into_two(qtbot: Any, tmp_path: Path) -> None:
    shown: list[str] = []
    blocker = tmp_path / "file"
    blocker.write_text("x")  # the log's folder cannot be made under a file
    guard = CrashGuard(blocker / "logs" / "errors.log", lambda line, d: shown.append(d))
    guard.handle(RuntimeError, RuntimeError("boom"), None)
    qtbot.waitUntil(lambda: bool(shown), timeout=2000)
    assert "could not be written" in shown[0]


def test_welcome_panel_builds_demo_models_off_the_ui_thread(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    threads: list[str] = []

    def fake_install(database: Path, folder: Path, progress: Any) -> list[tuple[int, str, str]]:
        threads.append(os_thread_name())
        progress("demo-image")
        return [(1, "image", "demo-image"), (2, "text", "demo-text")]

    import studio.demo_models.install as demo_install

    monkeypatch.setattr(demo_install, "install_demo_models", fake_install)
    panel = WelcomePanel(data_paths().ensure().database, tmp_path / "demo")
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.demo_models_ready, timeout=5000) as ready:
        panel.demo_button.click()
        assert not panel.demo_button.isEnabled()
    assert ready.args == [[(1, "image", "demo-image"), (2, "text", "demo-text")]]
    assert threads and threads[0].startswith("demo-models")
    assert panel.status.text() == "2 demo models ready." and panel.demo_button.isEnabled()
    panel.shutdown()


def test_welcome_panel_reports_a_failed_build_in_one_line(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import studio.demo_models.install as demo_install

    def broken(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(demo_install, "install_demo_models", broken)
    panel = WelcomePanel(data_paths().ensure().database, tmp_path / "demo")
    qtbot.addWidget(panel)
    panel.demo_button.click()
    qtbot.waitUntil(lambda: panel.demo_button.isEnabled(), timeout=5000)
    assert panel.status.text() == "Could not create demo models: [Errno 28] No space left on device"
    panel.shutdown()


def test_welcome_panel_lists_the_model_folders(qtbot: Any, tmp_path: Path) -> None:
    from studio.core.settings import Settings, save_settings

    save_settings(Settings(model_folders=[str(tmp_path / "sd-models")]))
    panel = WelcomePanel(data_paths().ensure().database, tmp_path / "demo")
    qtbot.addWidget(panel)
    assert str(tmp_path / "sd-models") in panel.where.text()
    assert first_run.WelcomePanel is WelcomePanel


def test_dark_palette_and_icons_follow_it(qtbot: Any) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    try:
        assert theme.apply_theme(app, "dark") == "dark"
        assert app.palette().color(QPalette.ColorRole.Window).name() == "#2b2d31"
        dark_icon = icons.icon("image").pixmap(24, 24).toImage()
        assert theme.apply_theme(app, "light") == "light"
        light_icon = icons.icon("image").pixmap(24, 24).toImage()
        assert dark_icon != light_icon  # drawn in each palette's text colour
    finally:
        app.setPalette(before)
        icons.clear_cache()
    assert not icons.icon("image").isNull() and icons.icon("no-such-icon").isNull()
    sizes = icons.icon("image").availableSizes()
    assert max(s.width() for s in sizes) >= 64  # sharp at 2x and 3x
