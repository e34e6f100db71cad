"""Fixtures shared by the GUI tests: a job queue on fake handlers and its Qt bridge."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from studio.gui.bridge import JobBridge
from studio.runtime.jobs import JobQueue
from tests.gui.test_bridge import Fakes, bridge_for_test, queue_for_test


@pytest.fixture
def fakes() -> Fakes:
    return Fakes()


@pytest.fixture
def queue(tmp_path: Path, fakes: Fakes) -> Iterator[JobQueue]:
    yield from queue_for_test(tmp_path, fakes)


@pytest.fixture
def bridge(queue: JobQueue, qtbot: Any) -> Iterator[JobBridge]:
    yield from bridge_for_test(queue, qtbot)
