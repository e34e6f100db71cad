"""Job queue fixtures: fake handlers registered on a fresh database, queues closed after."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from studio.runtime.jobs import (
    HandlerRegistry,
    JobQueue,
)
from tests.runtime.job_fakes import (
    TIMEOUT,
    Fakes,
)


@pytest.fixture
def fakes() -> Fakes:
    return Fakes()


@pytest.fixture
def registry(fakes: Fakes) -> HandlerRegistry:
    registry = HandlerRegistry()
    for name in ("quick", "steps", "gated", "polls_cancel"):
        registry.register(name, getattr(fakes, name))
    return registry


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "studio.sqlite3"


@pytest.fixture
def make_queue(database: Path, registry: HandlerRegistry) -> Iterator[Callable[..., JobQueue]]:
    """JobQueue factory; every queue is closed afterwards and must leave no thread behind."""
    before = set(threading.enumerate())
    made: list[JobQueue] = []

    def make(devices: list[str] | None = None, start: bool = True) -> JobQueue:
        queue = JobQueue(database, devices or ["cpu"], registry)
        made.append(queue)
        if start:
            queue.start()
        return queue

    yield make
    for queue in made:
        assert queue.stop(wait=True, timeout=TIMEOUT), "a worker did not stop"
        queue.close()
    assert set(threading.enumerate()) <= before
