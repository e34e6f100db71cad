"""The one job path through the real queue: each output reaches listeners the moment it is
written (with the sha256 computed while writing), before the job's later work."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from studio.core.paths import data_paths
from studio.runtime.generation_jobs import generation_handlers
from studio.runtime.jobs import JobFinished, JobOutput, JobProgress, JobQueue
from tests.helpers import tiny_request

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def test_outputs_reach_listeners_as_they_are_written(tiny_sd: Path, tmp_path: Path) -> None:
    database = data_paths().ensure().database
    events: list[object] = []
    with JobQueue(database, ["cpu"], generation_handlers(database, tmp_path / "out")) as queue:
        queue.subscribe(events.append)
        job_id = queue.submit("image", tiny_request(tiny_sd, steps=2, batch_count=3, seed=5))
        assert queue.wait([job_id], timeout=120)
    outputs = [i for i, e in enumerate(events) if isinstance(e, JobOutput)]
    progress = [i for i, e in enumerate(events) if isinstance(e, JobProgress)]
    finished = next(e for e in events if isinstance(e, JobFinished))
    assert len(outputs) == 3 and len(finished.paths) == 3
    assert outputs[0] < progress[-1]  # the first image was announced while the last ran
    for index in outputs:
        event = events[index]
        assert isinstance(event, JobOutput)
        assert event.sha256 == hashlib.sha256(Path(event.path).read_bytes()).hexdigest()
