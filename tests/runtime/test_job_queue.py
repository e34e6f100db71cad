"""The job queue with fake handlers on a real SQLite database: order, devices, control, events."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from typing import Any

import pytest

from studio.core.errors import StudioError, ValidationError
from studio.runtime.jobs import (
    Job,
    JobCancelled,
    JobContext,
    JobError,
    JobFailed,
    JobFinished,
    JobHeld,
    JobNote,
    JobOutput,
    JobProgress,
    JobQueue,
    JobQueued,
    JobStarted,
    JobState,
    QueuePaused,
    QueueResumed,
    workers,
)
from studio.runtime.jobs.workers import OOM_NOTE
from tests.runtime.job_fakes import (
    REQUEST,
    TIMEOUT,
    OutOfMemoryError,
    Recorder,
    state,
    wait_until,
)

# -- order and devices ------------------------------------------------------------------------


def test_higher_priority_runs_first_and_fifo_within_a_priority(make_queue, fakes) -> None:
    queue = make_queue(start=False)
    ids = [queue.submit("quick", REQUEST, priority=p) for p in (0, 5, 0, 5, -1, 0)]
    queue.start()
    assert queue.wait(timeout=TIMEOUT)
    a, b, c, d, e, f = ids
    assert [job_id for job_id, _ in fakes.runs] == [b, d, a, c, f, e]


def test_a_submitted_job_is_in_the_database_before_submit_returns(make_queue, database) -> None:
    queue = make_queue(start=False)
    job_id = queue.submit("quick", REQUEST.to_json(), priority=3, group="batch-1", meta={"k": 1})
    with sqlite3.connect(database) as conn:
        row = conn.execute("SELECT state, priority, batch FROM jobs WHERE id = ?", (job_id,))
        assert row.fetchone() == ("queued", 3, "batch-1")
    job = queue.get(job_id)
    assert job is not None and job.request == REQUEST and job.meta == {"k": 1}
    assert job.group == "batch-1" and job.created > 0 and job.started is None
    assert [j.id for j in queue.jobs(group="batch-1", states=["queued"])] == [job_id]
    assert queue.jobs(group="other") == [] and queue.get(job_id + 1) is None


def test_two_devices_run_two_jobs_at_once_and_never_the_same_job(make_queue, registry, fakes):
    both = threading.Barrier(2, timeout=TIMEOUT)

    def meet(job: Job, ctx: JobContext) -> list[str]:
        fakes.quick(job, ctx)
        both.wait()  # only passes when the other device runs a job at the same time
        return []

    registry.register("meet", meet)
    queue = make_queue(["cuda:0", "cuda:1"], start=False)
    first = [queue.submit("meet", REQUEST) for _ in range(2)]
    rest = [queue.submit("quick", REQUEST) for _ in range(30)]
    queue.start()
    assert queue.wait(timeout=TIMEOUT)
    ran = [job_id for job_id, _ in fakes.runs]
    assert sorted(ran) == sorted(first + rest)  # each exactly once
    assert {device for job_id, device in fakes.runs if job_id in first} == {"cuda:0", "cuda:1"}
    assert all(state(queue, j) == JobState.FINISHED for j in ran)


def test_a_job_can_be_kept_to_some_devices(make_queue, fakes) -> None:
    queue = make_queue(["cuda:0", "cuda:1"])
    ids = [queue.submit("quick", REQUEST, meta={"devices": ["cuda:1"]}) for _ in range(4)]
    assert queue.wait(ids, timeout=TIMEOUT)
    assert {device for _, device in fakes.runs} == {"cuda:1"}
    with pytest.raises(ValidationError, match="match no worker"):
        queue.submit("quick", REQUEST, meta={"devices": ["cuda:7"]})


def test_devices_default_to_what_the_machine_has(database, registry, monkeypatch) -> None:
    monkeypatch.setattr(workers, "visible_devices", lambda: ["cuda:0", "cuda:1"])
    before = set(threading.enumerate())
    with JobQueue(database, handlers=registry) as queue:
        assert queue.devices == ["cuda:0", "cuda:1"]
        names = {t.name for t in threading.enumerate()} - {t.name for t in before}
        assert names == {"studio-jobs-cuda:0", "studio-jobs-cuda:1"}
    assert set(threading.enumerate()) <= before


# -- control ----------------------------------------------------------------------------------


def test_cancel_a_queued_job(make_queue, fakes) -> None:
    queue = make_queue(start=False)
    events = Recorder(queue)
    job_id = queue.submit("quick", REQUEST)
    assert queue.cancel(job_id) is True
    assert state(queue, job_id) == JobState.CANCELLED
    queue.start()
    assert queue.wait(timeout=TIMEOUT) and fakes.runs == []
    assert events.kinds(job_id) == ["JobQueued", "JobCancelled"]
    assert queue.cancel(job_id) is False  # already ended: nothing to do
    with pytest.raises(JobError, match="there is no job 99"):
        queue.cancel(99)


@pytest.mark.parametrize("task", ["steps", "polls_cancel"])
def test_cancel_a_running_job_stops_it_within_one_step(make_queue, task) -> None:
    queue = make_queue()
    events = Recorder(queue)
    job_id = queue.submit(task, REQUEST, meta={"steps": 10_000, "step_seconds": 0.002})
    wait_until(lambda: "JobStarted" in events.kinds(job_id))
    started = time.monotonic()
    assert queue.cancel(job_id) is True
    assert queue.wait([job_id], timeout=TIMEOUT)
    assert time.monotonic() - started < 0.5
    job = queue.get(job_id)
    assert job is not None and job.state == JobState.CANCELLED and job.attempts == 1
    assert events.kinds(job_id)[-1] == "JobCancelled"


def test_retry_a_failed_job_keeps_its_attempts(make_queue, registry) -> None:
    calls: list[int] = []

    def flaky(job: Job, ctx: JobContext) -> list[str]:
        calls.append(job.id)
        if len(calls) == 1:
            raise StudioError("the model file is missing\nsecond line")
        return ["/out/ok.png"]

    registry.register("flaky", flaky)
    queue = make_queue()
    job_id = queue.submit("flaky", REQUEST)
    assert queue.wait([job_id], timeout=TIMEOUT)
    failed = queue.get(job_id)
    assert failed is not None and failed.state == JobState.FAILED
    assert failed.error == "the model file is missing" and failed.attempts == 1
    queue.retry(job_id)
    assert queue.wait([job_id], timeout=TIMEOUT)
    done = queue.get(job_id)
    assert done is not None and done.state == JobState.FINISHED
    assert done.attempts == 2 and done.error == "" and done.results == ("/out/ok.png",)
    with pytest.raises(JobError, match=f"job {job_id} is finished: only failed or cancelled"):
        queue.retry(job_id)


def test_hold_keeps_a_job_waiting_until_release(make_queue, fakes) -> None:
    queue = make_queue(start=False)
    events = Recorder(queue)
    held, other = queue.submit("quick", REQUEST), queue.submit("quick", REQUEST)
    queue.hold(held)
    queue.hold(held)  # holding a held job changes nothing
    queue.start()
    assert queue.wait([other], timeout=TIMEOUT)
    assert state(queue, held) == JobState.HELD
    assert not queue.wait([held], timeout=0.05)  # a held job does not end by itself
    queue.set_priority(held, 9)
    queue.release(held)
    assert queue.wait([held], timeout=TIMEOUT)
    assert [job_id for job_id, _ in fakes.runs] == [other, held]
    assert events.kinds(held) == [
        "JobQueued", "JobHeld", "JobPriorityChanged", "JobQueued", "JobStarted", "JobOutput",
        "JobFinished",
    ]  # fmt: skip
    with pytest.raises(JobError, match="only a queued job can be held"):
        queue.hold(held)
    with pytest.raises(JobError, match="only a waiting job can change priority"):
        queue.set_priority(held, 1)


def test_pause_lets_running_jobs_finish_and_starts_no_new_one(make_queue, fakes) -> None:
    queue = make_queue()
    events = Recorder(queue)
    running = queue.submit("gated", REQUEST)
    wait_until(lambda: fakes.runs)
    queue.pause()
    waiting = queue.submit("quick", REQUEST)
    fakes.gate.set()
    assert queue.wait([running], timeout=TIMEOUT)
    time.sleep(0.1)
    assert queue.paused and state(queue, waiting) == JobState.QUEUED
    queue.resume()
    assert queue.wait([waiting], timeout=TIMEOUT)
    kinds = [type(e).__name__ for e in events.events]
    assert kinds.index("QueuePaused") < kinds.index("QueueResumed")
    assert isinstance(events.events[-1], JobFinished) and events.events[-1].job_id == waiting
    assert QueuePaused() in events.events and QueueResumed() in events.events


# -- restarts ---------------------------------------------------------------------------------


def test_events_of_a_job_come_in_order_and_progress_is_throttled(make_queue) -> None:
    queue = make_queue()
    events = Recorder(queue)
    job_id = queue.submit("steps", REQUEST, meta={"steps": 3000, "step_seconds": 0})
    assert queue.wait([job_id], timeout=TIMEOUT)
    seen = events.of(job_id)
    assert seen[0] == JobQueued(job_id) and seen[1] == JobStarted(job_id, "cpu")
    progress = [e for e in seen if isinstance(e, JobProgress)]
    assert seen[2 : 2 + len(progress)] == progress
    assert progress[0].done == 1 and progress[-1] == JobProgress(job_id, 3000, 3000, "step 3000")
    assert len(progress) < 50  # 3000 steps, at most ~20 reports a second
    tail = seen[2 + len(progress) :]
    paths = (f"/out/{job_id}-a.png", f"/out/{job_id}-b.png")
    assert tail[:2] == [JobOutput(job_id, paths[0]), JobOutput(job_id, paths[1])]
    assert isinstance(tail[2], JobFinished) and tail[2].paths == paths and len(tail) == 3
    job = queue.get(job_id)
    assert job is not None and job.results == paths and (job.done, job.total) == (3000, 3000)


def test_failures_end_with_one_line(make_queue, registry, caplog) -> None:
    def crash(job: Job, ctx: JobContext) -> list[str]:
        ctx.note("about to crash")
        raise ValueError("boom\nlong details")

    def refuse(job: Job, ctx: JobContext) -> list[str]:
        raise ValidationError("steps must be between 1 and 500 (got 0)")

    registry.register("crash", crash)
    registry.register("refuse", refuse)
    queue = make_queue()
    events = Recorder(queue)
    with caplog.at_level(logging.ERROR, logger="studio.runtime.jobs"):
        crashed, refused = queue.submit("crash", REQUEST), queue.submit("refuse", REQUEST)
        assert queue.wait(timeout=TIMEOUT)
    assert events.of(crashed) == [
        JobQueued(crashed), JobStarted(crashed, "cpu"), JobNote(crashed, "about to crash"),
        JobFailed(crashed, "ValueError: boom"),
    ]  # fmt: skip
    assert events.of(refused)[-1] == JobFailed(refused, "steps must be between 1 and 500 (got 0)")
    crashed_job = queue.get(crashed)
    assert crashed_job is not None and crashed_job.notes == ("about to crash",)
    assert "Traceback" in caplog.text and "ValueError: boom" in caplog.text  # the log has it all
    assert "steps must be" not in caplog.text  # a StudioError is the user's, not a bug


def test_a_broken_listener_does_not_stop_the_worker(make_queue, caplog) -> None:
    queue = make_queue()

    def broken(event: Any) -> None:
        raise RuntimeError("listener bug")

    queue.subscribe(broken)
    events = Recorder(queue)
    unsubscribe = queue.subscribe(broken)
    with caplog.at_level(logging.ERROR, logger="studio.runtime.jobs"):
        ids = [queue.submit("quick", REQUEST) for _ in range(3)]
        assert queue.wait(ids, timeout=TIMEOUT)
    assert all(events.kinds(j)[-1] == "JobFinished" for j in ids)
    assert "a job event listener failed" in caplog.text
    unsubscribe()
    unsubscribe()  # twice is harmless


def test_out_of_memory_retries_once_with_low_memory_then_fails(make_queue, registry) -> None:
    seen: list[dict[str, Any]] = []

    def oom_once(job: Job, ctx: JobContext) -> list[str]:
        seen.append(dict(job.meta))
        if not job.meta.get("low_memory"):
            raise OutOfMemoryError("CUDA error: tried to allocate 2.00 GiB")
        return ["/out/small.png"]

    def oom_always(job: Job, ctx: JobContext) -> list[str]:
        raise RuntimeError("CUDA out of memory. Tried to allocate 20.00 GiB")

    registry.register("oom_once", oom_once)
    registry.register("oom_always", oom_always)
    queue = make_queue()
    events = Recorder(queue)
    once = queue.submit("oom_once", REQUEST, meta={"seed": 1})
    always = queue.submit("oom_always", REQUEST)
    assert queue.wait(timeout=TIMEOUT)
    job = queue.get(once)
    assert job is not None and job.state == JobState.FINISHED and job.attempts == 2
    assert seen == [{"seed": 1}, {"seed": 1, "low_memory": True}]
    assert job.notes == (OOM_NOTE,) and job.meta["low_memory"] is True
    assert events.kinds(once) == [
        "JobQueued", "JobStarted", "JobNote", "JobQueued", "JobStarted", "JobOutput",
        "JobFinished",
    ]  # fmt: skip
    failed = queue.get(always)
    assert failed is not None and failed.state == JobState.FAILED and failed.attempts == 2
    assert failed.error == "RuntimeError: CUDA out of memory. Tried to allocate 20.00 GiB"


# -- light work and bad input -----------------------------------------------------------------


def test_light_pool_runs_short_work_off_the_workers(make_queue) -> None:
    queue = make_queue()
    names = [queue.light(lambda: threading.current_thread().name) for _ in range(4)]
    assert all(f.result(TIMEOUT).startswith("studio-light") for f in names)
    failing = queue.light(int, "not a number")
    with pytest.raises(ValueError):
        failing.result(TIMEOUT)


@pytest.mark.parametrize(
    ("task", "request_", "kwargs", "message"),
    [
        ("nope", REQUEST, {}, "no handler for job task 'nope' .known: gated, polls_cancel"),
        ("quick", "{not json", {}, "request is not valid JSON"),
        ("quick", '{"type": "hologram"}', {}, "unknown request type 'hologram'"),
        ("quick", {"prompt": "x"}, {}, "a job needs a request .got dict."),
        ("quick", REQUEST, {"priority": 1.5}, "priority must be a whole number"),
        ("quick", REQUEST, {"group": 7}, "job group must be text"),
        ("quick", REQUEST, {"meta": {"when": object()}}, "job meta must be plain JSON data"),
        ("quick", REQUEST, {"meta": {"devices": "cpu"}}, "job meta devices must be a list"),
    ],
)
def test_bad_submissions_are_refused_in_one_line(make_queue, task, request_, kwargs, message):
    queue = make_queue(start=False)
    with pytest.raises(ValidationError, match=message) as caught:
        queue.submit(task, request_, **kwargs)
    assert "\n" not in str(caught.value)
    assert queue.jobs() == []


def test_events_are_plain_dataclasses() -> None:
    assert JobCancelled(1) == JobCancelled(1) and JobHeld(2) != JobHeld(3)
