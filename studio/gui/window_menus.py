"""The main window's menus and its window-wide shortcuts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence

from studio.gui.icons import icon

if TYPE_CHECKING:
    from studio.gui.main_window import MainWindow


# Called with literal (context, text) pairs so that lupdate finds them; the context is the
# window's, whose tr() the menus would use if they lived in the class.
translate = QCoreApplication.translate


def _action(window: MainWindow, text: str, slot: object, shortcut: str | None = None,
            icon_name: str | None = None) -> QAction:  # fmt: skip
    action = QAction(text, window)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    if icon_name:
        action.setIcon(icon(icon_name))
    action.triggered.connect(slot)
    return action


def _open_folder(path: object) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def build_menus(window: MainWindow) -> dict[str, QAction]:
    """File, Generate, View and Help menus; returns the actions by name (tests use them)."""
    from studio.core.paths import default_output_dir

    bar = window.menuBar()
    actions: dict[str, QAction] = {}
    preferences = QKeySequence(QKeySequence.StandardKey.Preferences).toString() or "Ctrl+,"
    file_menu = bar.addMenu(translate("MainWindow", "&File"))
    actions["settings"] = _action(
        window, translate("MainWindow", "&Settings…"), window.open_settings, preferences, "settings"
    )
    actions["outputs"] = _action(
        window, translate("MainWindow", "Open &output folder"),
        lambda: _open_folder(default_output_dir()), None, "folder",
    )  # fmt: skip
    actions["data"] = _action(window, translate("MainWindow", "Open &data folder"),
                              lambda: _open_folder(window.paths.home))  # fmt: skip
    actions["quit"] = _action(window, translate("MainWindow", "&Quit"), window.close, "Ctrl+Q")
    for name in ("settings", "outputs", "data"):
        file_menu.addAction(actions[name])
    file_menu.addSeparator()
    file_menu.addAction(actions["quit"])

    generate = bar.addMenu(translate("MainWindow", "&Generate"))
    actions["generate"] = _action(window, translate("MainWindow", "&Generate"), window.generate,
                                  "Ctrl+Return", "generate")  # fmt: skip
    actions["cancel"] = _action(window, translate("MainWindow", "&Cancel running jobs"),
                                window.cancel_running, "Ctrl+.", "stop")  # fmt: skip
    actions["focus-prompt"] = _action(window, translate("MainWindow", "Focus &prompt"),
                                      window.focus_prompt, "Ctrl+L")  # fmt: skip
    for name in ("generate", "cancel", "focus-prompt"):
        generate.addAction(actions[name])
    generate.addSeparator()
    for action in window.task_bar.group.actions():
        generate.addAction(action)

    view = bar.addMenu(translate("MainWindow", "&View"))
    for dock in window.docks:
        view.addAction(dock.toggleViewAction())
    view.addSeparator()
    actions["reset-layout"] = _action(window, translate("MainWindow", "&Reset layout"),
                                      window.reset_layout)  # fmt: skip
    actions["refresh"] = _action(window, translate("MainWindow", "Re&fresh gallery"), window.refresh,
                                 QKeySequence(QKeySequence.StandardKey.Refresh).toString())  # fmt: skip
    view.addAction(actions["reset-layout"])
    view.addAction(actions["refresh"])

    help_menu = bar.addMenu(translate("MainWindow", "&Help"))
    actions["errors"] = _action(window, translate("MainWindow", "Open the &error log"),
                                lambda: _open_folder(window.paths.logs))  # fmt: skip
    actions["about"] = _action(window, translate("MainWindow", "&About Generative Studio"),
                               window.show_about)  # fmt: skip
    help_menu.addAction(actions["errors"])
    help_menu.addAction(actions["about"])
    # One Ctrl+Return for the whole window (two equal shortcuts would be ambiguous to Qt):
    # the window's Generate sends to whichever view is current.
    window.parameters_dock.shortcut.setEnabled(False)
    return actions
