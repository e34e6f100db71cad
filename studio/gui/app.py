"""Start the desktop application."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from studio.core.offline import enable_offline_mode


def run_gui(argv: Sequence[str] | None = None) -> int:
    enable_offline_mode()
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
    window = MainWindow()
    window.show()
    return app.exec()
