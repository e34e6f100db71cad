"""`studio gui --self-check`: the window paints and closes; each failure is one line, exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow

from studio.gui.app import run_self_check


def test_self_check_opens_paints_and_closes_the_real_window(tmp_path: Path) -> None:
    env = {**os.environ, "STUDIO_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-m", "studio", "gui", "--self-check"],
                            capture_output=True, text=True, env=env, timeout=180)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "main window painted" in result.stdout and "platform offscreen" in result.stdout
    assert (
        result.stdout.splitlines()[-1]
        == "self-check ok: the main window painted and closed cleanly"
    )


class Stubborn(QMainWindow):
    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()


def test_a_window_that_will_not_close_fails(qapp, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    window = Stubborn()
    assert run_self_check(qapp, window, time.perf_counter()) == 1
    assert "FAILED: the main window refused to close" in capsys.readouterr().err
    window.deleteLater()


def test_missing_resources_fail(
    qapp,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr("studio.core.resources.resources_dir", lambda: tmp_path)
    window = QMainWindow()
    assert run_self_check(qapp, window, time.perf_counter()) == 1
    assert f"icons/studio.svg is missing from {tmp_path}" in capsys.readouterr().err
