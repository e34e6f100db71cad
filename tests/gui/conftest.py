"""Fixtures shared by the GUI tests: a job queue on fake handlers and its Qt bridge,
real gallery outputs of every kind for the viewers, and the check, after every GUI test,
that it left nothing running (tests/gui/leaks.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QDesktopServices

from studio.core.gallery.store import GalleryEntry
from studio.gui.bridge import JobBridge
from studio.runtime.jobs import JobQueue
from tests.gui.helpers import Fakes, bridge_for_test, queue_for_test
from tests.gui.leaks import LeakWatch
from tests.gui.viewer_helpers import Opened, seed_outputs


@pytest.fixture(autouse=True)
def nothing_left_running(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[LeakWatch]:
    """Fails a test that leaves a thread, pool work, timer, animation or window behind.
    Autouse, so it is set up before (and checks after) the test's own fixtures."""
    watch = LeakWatch(monkeypatch)
    yield watch
    watch.check()


@pytest.fixture(autouse=True)
def no_real_model_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The welcome page looks for other apps' model stores when shown: under a temporary
    home, never the real user's."""
    from tests.models.store_layouts import isolate_home

    return isolate_home(monkeypatch, tmp_path / "home")


@pytest.fixture
def fakes() -> Fakes:
    return Fakes()


@pytest.fixture
def queue(tmp_path: Path, fakes: Fakes) -> Iterator[JobQueue]:
    yield from queue_for_test(tmp_path, fakes)


@pytest.fixture
def bridge(queue: JobQueue, qtbot: Any) -> Iterator[JobBridge]:
    yield from bridge_for_test(queue, qtbot)


@pytest.fixture
def outputs(tmp_path: Path) -> dict[str, GalleryEntry]:
    return seed_outputs(tmp_path)


@pytest.fixture
def opened() -> Any:
    catcher = Opened()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    yield catcher
    QDesktopServices.unsetUrlHandler("file")
