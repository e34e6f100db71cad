"""The job queue after a crash, a kill or a stop: no job lost, none run twice."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from studio.core.errors import StudioError
from studio.runtime.jobs import (
    Job,
    JobContext,
    JobQueue,
    JobState,
)
from studio.runtime.jobs.workers import STOP_NOTE
from tests.runtime.job_fakes import (
    REQUEST,
    ROOT,
    TIMEOUT,
    Recorder,
    wait_until,
)


def test_a_job_left_running_by_a_dead_process_is_queued_again_and_runs(
    make_queue, database, fakes
) -> None:
    first = make_queue(start=False)
    job_id = first.submit("quick", REQUEST)
    first.close()
    with sqlite3.connect(database) as conn:  # what a killed process leaves behind
        conn.execute("UPDATE jobs SET state = 'running', device = 'cpu' WHERE id = ?", (job_id,))
    second = make_queue(start=False)
    events = Recorder(second)
    second.start()
    assert second.wait([job_id], timeout=TIMEOUT)
    job = second.get(job_id)
    assert job is not None and job.state == JobState.FINISHED and job.attempts == 2
    assert job.notes == ("interrupted: the studio stopped while this job ran; queued again",)
    assert events.kinds(job_id)[:3] == ["JobNote", "JobQueued", "JobStarted"]


KILLED_WORKER = """
import sys, time
from pathlib import Path
from studio.core.requests import ImageRequest
from studio.runtime.jobs import HandlerRegistry, JobQueue

def forever(job, ctx):
    print("running", flush=True)
    time.sleep(60)

registry = HandlerRegistry()
registry.register("forever", forever)
queue = JobQueue(Path(sys.argv[1]), ["cpu"], registry)
queue.submit("forever", ImageRequest(model="m", prompt="p"))
queue.start()
time.sleep(60)
"""


def test_a_killed_process_loses_no_job_and_a_live_one_is_not_raced(database, registry) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_WORKER, str(database)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "running"
        queue = JobQueue(database, ["cpu"], registry)
        with pytest.raises(StudioError, match="another studio process is running the jobs"):
            queue.start()  # the live process holds the jobs: no second runner
    finally:
        child.kill()
        child.wait(TIMEOUT)
    registry.register("forever", lambda job, ctx: ["/out/again.png"])
    queue.start()
    try:
        assert queue.wait(timeout=TIMEOUT)
        (job,) = queue.jobs()
        assert job.state == JobState.FINISHED and job.attempts == 2
        assert job.results == ("/out/again.png",)
    finally:
        queue.close()


def test_stop_joins_every_thread_and_requeues_the_running_job(make_queue, registry, fakes):
    def long_first_time(job: Job, ctx: JobContext) -> list[str]:
        if job.attempts:
            return ["/out/second-run.png"]
        return fakes.steps(job, ctx)

    registry.register("long", long_first_time)
    before = set(threading.enumerate())
    queue = make_queue(["cuda:0", "cuda:1"])
    assert queue.light(sum, [1, 2, 3]).result(TIMEOUT) == 6
    job_id = queue.submit("long", REQUEST, meta={"steps": 10_000, "step_seconds": 0.002})
    wait_until(lambda: fakes.runs)
    assert len(set(threading.enumerate()) - before) >= 3  # two devices, a light thread
    started = time.monotonic()
    assert queue.stop(wait=True, timeout=TIMEOUT) is True
    assert time.monotonic() - started < 1.0
    assert set(threading.enumerate()) <= before
    job = queue.get(job_id)
    assert job is not None and job.state == JobState.QUEUED and job.attempts == 1
    assert job.notes == (STOP_NOTE,)
    queue.start()  # a stopped queue starts again and finishes what was left
    assert queue.wait([job_id], timeout=TIMEOUT)


def test_one_database_has_one_runner_at_a_time(make_queue) -> None:
    make_queue()
    with pytest.raises(StudioError, match="another studio process"):
        make_queue()


# -- events -----------------------------------------------------------------------------------
