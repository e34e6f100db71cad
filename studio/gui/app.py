"""Start the desktop application (or check, headless, that it can start: `--self-check`)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from typing import Any

from studio.core.offline import enable_offline_mode

SELF_CHECK_TIMEOUT_S = 120.0


def run_gui(argv: Sequence[str] | None = None, *, self_check: bool = False) -> int:
    enable_offline_mode()
    if self_check and _no_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before QApplication exists
    started = time.perf_counter()
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from studio.core.resources import resource
    from studio.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    app.setApplicationName("Generative Studio")
    app.setOrganizationName("GenerativeStudio")
    icon = resource("icons/studio.svg")
    if icon:
        app.setWindowIcon(QIcon(str(icon)))
    prepare_app(app)
    window = MainWindow()
    guard = install_crash_guard(window)
    if self_check:
        return run_self_check(app, window, started)
    window.show()
    try:
        return app.exec()
    finally:
        guard.uninstall()


def prepare_app(app: Any) -> str:
    """The interface language from the settings (system when unset or unreadable) and the
    palette that follows the system's light or dark scheme; returns the language used."""
    from studio.core.errors import StudioError
    from studio.core.settings import load_settings
    from studio.gui.i18n import install_translator
    from studio.gui.theme import apply_theme

    try:
        language = load_settings().language
    except StudioError:
        language = ""  # the window says what is wrong with the file; start in any case
    apply_theme(app)
    return install_translator(app, language)


def install_crash_guard(window: Any) -> Any:
    """Unhandled exceptions: logged under the data folder's logs, shown in the window."""
    from studio.gui.crash_guard import CrashGuard

    return CrashGuard(window.paths.logs / "errors.log", window.notify).install()


def run_self_check(
    app: Any, window: Any, started: float, timeout_s: float = SELF_CHECK_TIMEOUT_S
) -> int:
    """Show `window`, wait for its first paint, close it the normal way; 0 if all went well.

    Proves what a frozen bundle can get wrong: Qt's platform and image plugins, the
    shipped resources, and a clean shutdown of the window's workers.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    problems = _resource_problems()
    painted: list[float] = []

    def finish() -> None:
        if not window.close():  # closeEvent stops the job queue and waits for it
            problems.append("the main window refused to close")
        app.exit(0)

    def give_up() -> None:
        problems.append(f"the main window did not paint within {timeout_s:.0f} s")
        finish()

    class PaintWatch(QObject):
        def eventFilter(self, obj: Any, event: Any) -> bool:
            is_ours = obj.isWidgetType() and obj.window() is window
            if event.type() == QEvent.Type.Paint and is_ours and not painted:
                painted.append(time.perf_counter() - started)
                print(f"self-check: main window painted {painted[0]:.2f} s after the GUI "
                      f"started (platform {app.platformName()})", flush=True)  # fmt: skip
                QTimer.singleShot(0, finish)  # after this paint has been drawn and flushed
            return False

    watch, deadline = PaintWatch(), QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(give_up)
    app.installEventFilter(watch)
    deadline.start(int(timeout_s * 1000))
    window.show()
    app.exec()
    deadline.stop()  # never fires later, in whatever the application does next
    app.removeEventFilter(watch)
    for problem in problems:
        print(f"self-check: FAILED: {problem}", file=sys.stderr)
    if problems or not painted:
        return 1
    print("self-check ok: the main window painted and closed cleanly")
    return 0


def _resource_problems() -> list[str]:
    """The shipped icon exists and renders (Qt's SVG plugin is present)."""
    from PySide6.QtGui import QIcon

    from studio.core.resources import resource, resources_dir

    icon = resource("icons/studio.svg")
    if icon is None:
        return [f"icons/studio.svg is missing from {resources_dir()}"]
    if QIcon(str(icon)).pixmap(32, 32).isNull():
        return [f"{icon} cannot be rendered: Qt's SVG support is missing"]
    return []


def _no_display() -> bool:
    """Linux with no X11 or Wayland display: the check then runs offscreen."""
    on_linux = sys.platform.startswith("linux")
    return on_linux and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
