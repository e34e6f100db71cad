"""A text job streams its reply as progress previews (the reply so far), through the real
job queue, handlers and engine on a tiny model; the finished reply is the output file."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.core.paths import data_paths
from studio.core.requests.text import TextRequest
from studio.models.demo_text import CODE_EXAMPLE, build_tiny_llama
from studio.runtime.batch.executors import ReplyStream
from studio.runtime.jobs import JobFinished, JobProgress, JobQueue, handlers

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


def run_job(queue: JobQueue, model: Path) -> tuple[list[JobProgress], JobFinished]:
    events: list[object] = []
    queue.subscribe(events.append)
    request = TextRequest(model=str(model), prompt=PROMPT, temperature=0.0, max_new_tokens=60)
    job_id = queue.submit("text", request)
    assert queue.wait([job_id], timeout=60)
    job = queue.get(job_id)
    assert job is not None and job.state == "finished", job and job.error
    progress = [e for e in events if isinstance(e, JobProgress) and e.job_id == job_id]
    finished = next(e for e in events if isinstance(e, JobFinished) and e.job_id == job_id)
    return progress, finished


def test_every_chunk_reaches_the_job_events(queue, tiny_chat, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from studio.runtime.text_generation import load_text_engine

    monkeypatch.setattr(handlers, "PROGRESS_INTERVAL", 0.0)  # no throttle: see every report
    engine = load_text_engine(str(tiny_chat), "cpu", "auto")  # the cached engine jobs use
    monkeypatch.setattr(engine, "chunk_interval", 0.0)  # each decoded piece is a chunk
    progress, finished = run_job(queue, tiny_chat)
    texts = [e.preview for e in progress if isinstance(e.preview, str)]
    assert len(texts) > 5 and texts[-1] == REPLY
    assert all(later.startswith(earlier) for earlier, later in itertools.pairwise(texts))
    assert all(e.preview is None or isinstance(e.preview, str) for e in progress)
    assert Path(finished.paths[0]).read_text(encoding="utf-8") == REPLY


def test_throttled_stream_keeps_the_first_text_and_the_file_has_all(queue, tiny_chat) -> None:  # type: ignore[no-untyped-def]
    progress, finished = run_job(queue, tiny_chat)
    texts = [e for e in progress if isinstance(e.preview, str)]
    assert texts, "no text reached the job events"
    # The first report of the job is its first text, at the first token: the GUI times it.
    assert progress[0] is texts[0] and progress[0].done == 1
    assert all(REPLY.startswith(e.preview) for e in texts)
    assert Path(finished.paths[0]).read_text(encoding="utf-8") == REPLY


def test_reply_stream_sends_the_reply_so_far_and_plain_counts_without_preview() -> None:
    sent: list[tuple[object, int, int]] = []
    counts: list[tuple[int, int]] = []
    stream = ReplyStream(lambda d, t: counts.append((d, t)), lambda p, d, t: sent.append((p, d, t)))
    stream.progress(1, 10)  # left to the text that follows
    stream.on_text("Hel")
    stream.progress(2, 10)
    stream.on_text("lo")
    assert sent == [("Hel", 1, 10), ("Hel", 2, 10), ("Hello", 2, 10)] and counts == []
    quiet = ReplyStream(lambda d, t: counts.append((d, t)), None)  # the CLI batch: no preview
    quiet.progress(1, 4)
    quiet.on_text("x")
    quiet.progress(2, 4)
    assert counts == [(1, 4), (2, 4)] and quiet.text == "x"
    silent = ReplyStream(lambda d, t: counts.append((d, t)), lambda p, d, t: sent.append(p))
    silent.progress(1, 4)
    silent.progress(2, 4)  # tokens that decode to nothing (yet) still count
    assert counts[-1] == (2, 4)
