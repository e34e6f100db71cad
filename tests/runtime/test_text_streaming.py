"""A text job streams its reply as JobText events (the reply so far), through the real
job queue, handlers and engine on a tiny model; the finished reply is the output file."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.core.paths import data_paths
from studio.core.requests.text import TextRequest
from studio.demo_models.text import CODE_EXAMPLE, build_tiny_llama
from studio.runtime.jobs import JobContext, JobFinished, JobQueue, JobText, handlers

PROMPT, REPLY = CODE_EXAMPLE
pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def tiny_chat(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Greedy decoding of CODE_EXAMPLE's prompt gives its reply."""
    return build_tiny_llama(tmp_path_factory.mktemp("text") / "chat", memorize=(CODE_EXAMPLE,))


@pytest.fixture
def queue(tmp_path: Path) -> Iterator[JobQueue]:
    from studio.runtime.generation_jobs import generation_handlers

    before = set(threading.enumerate())
    database = data_paths().ensure().database
    made = JobQueue(database, ["cpu"], generation_handlers(database, tmp_path / "out"))
    made.start()
    yield made
    made.close()
    assert set(threading.enumerate()) <= before


def run_job(queue: JobQueue, model: Path) -> tuple[list[JobText], JobFinished]:
    events: list[object] = []
    queue.subscribe(events.append)
    request = TextRequest(model=str(model), prompt=PROMPT, temperature=0.0, max_new_tokens=60)
    job_id = queue.submit("text", request)
    assert queue.wait([job_id], timeout=60)
    job = queue.get(job_id)
    assert job is not None and job.state == "finished", job and job.error
    texts = [e for e in events if isinstance(e, JobText) and e.job_id == job_id]
    finished = next(e for e in events if isinstance(e, JobFinished) and e.job_id == job_id)
    return texts, finished


def test_every_chunk_reaches_the_job_events(queue, tiny_chat, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from studio.runtime.loaded_models import load_engine

    monkeypatch.setattr(handlers, "PROGRESS_INTERVAL", 0.0)  # no throttle: see every report
    engine = load_engine("text", str(tiny_chat), "cpu", "auto")  # the cached engine jobs use
    monkeypatch.setattr(engine, "chunk_interval", 0.0)  # each decoded piece is a chunk
    events, finished = run_job(queue, tiny_chat)
    texts = [e.text for e in events]
    assert len(texts) > 5 and texts[-1] == REPLY
    assert all(later.startswith(earlier) for earlier, later in itertools.pairwise(texts))
    assert Path(finished.paths[0]).read_text(encoding="utf-8") == REPLY


def test_throttled_stream_ends_with_the_whole_reply_and_the_file_has_all(queue, tiny_chat) -> None:  # type: ignore[no-untyped-def]
    events, finished = run_job(queue, tiny_chat)
    assert events, "no text reached the job events"
    assert all(REPLY.startswith(e.text) for e in events)
    assert events[-1].text == REPLY  # what the throttle held back is sent at the end
    assert Path(finished.paths[0]).read_text(encoding="utf-8") == REPLY


def test_job_text_sends_the_reply_so_far_throttled_and_flushes_the_rest() -> None:
    sent: list[str] = []
    ctx = JobContext("cpu", threading.Event(), lambda d, t, p: None, lambda p, h: None,
                     lambda n: None, sent.append)  # fmt: skip
    ctx.text("Hel")  # the first chunk goes at once: the GUI times the first token by it
    ctx.text("lo")  # within the throttle interval: held back
    assert sent == ["Hel"]
    ctx.flush_text()
    ctx.flush_text()  # nothing new: nothing sent
    assert sent == ["Hel", "Hello"]
