"""What the job queue holds and tells: Job rows, their states, and the events listeners get."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from studio.core.errors import StudioError, ValidationError
from studio.core.requests import request_from_json  # the package import registers every type
from studio.core.requests.base import Request
from studio.core.requests.checks import check_int

MAX_PRIORITY = 1_000_000


class JobError(StudioError):
    """A queue operation that does not apply to this job (unknown id, wrong state)."""


class JobState(StrEnum):
    QUEUED = "queued"
    HELD = "held"  # paused by the user, one job at a time; the queue-wide pause is not a state
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"


# States a job never leaves on its own: wait() returns once every job is in one.
ENDED = frozenset({JobState.FINISHED, JobState.FAILED, JobState.CANCELLED})


@dataclass(frozen=True)
class Job:
    """A snapshot of one row; the queue hands out fresh copies, never live objects."""

    id: int
    task: str
    request_json: str
    priority: int = 0
    state: JobState = JobState.QUEUED
    done: int = 0
    total: int = 0
    device: str | None = None  # where it runs or last ran
    attempts: int = 0  # runs that ended, an interrupted one (crash, stop) included
    error: str = ""  # one readable line when failed
    results: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    group: str | None = None  # opaque batch id chosen by the submitter
    meta: dict[str, Any] = field(default_factory=dict)
    created: float = 0.0  # unix seconds
    started: float | None = None
    finished: float | None = None

    @property
    def request(self) -> Request:
        return request_from_json(self.request_json)

    @property
    def ended(self) -> bool:
        return self.state in ENDED


def check_submission(
    request: object,
    priority: object,
    group: object,
    meta: dict[str, Any] | None,
    workers: Sequence[str] | None,
) -> tuple[str, dict[str, Any], list[str]]:
    """(request JSON, meta, devices the job may run on) or one ValidationError line.

    `meta["devices"]` (optional) restricts a job to some of the `workers` devices.
    """
    if isinstance(request, str):
        request = request_from_json(request)
    if not isinstance(request, Request):
        raise ValidationError(f"a job needs a request (got {type(request).__name__})")
    check_int("priority", priority, -MAX_PRIORITY, MAX_PRIORITY)
    if group is not None and not isinstance(group, str):
        raise ValidationError(f"job group must be text (got {type(group).__name__})")
    meta = dict(meta or {})
    try:
        json.dumps(meta)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"job meta must be plain JSON data ({exc})") from None
    devices = meta.get("devices", [])
    if not isinstance(devices, list | tuple) or not all(isinstance(d, str) for d in devices):
        raise ValidationError(f"job meta devices must be a list of device names ({devices!r})")
    if devices and workers is not None and not set(devices) & set(workers):
        raise ValidationError(
            f"job meta devices {', '.join(devices)} match no worker ({', '.join(workers)})"
        )
    return request.to_json(), meta, list(devices)


# Events. Every job event carries job_id; listeners match on the class.


@dataclass(frozen=True)
class _JobEvent:
    job_id: int


class JobQueued(_JobEvent):
    """Submitted, or back in line (released, retried, interrupted, out-of-memory retry)."""


class JobHeld(_JobEvent):
    """Held by the user: it keeps its place but does not start."""


class JobCancelled(_JobEvent):
    """Cancelled by the user, before or while it ran."""


@dataclass(frozen=True)
class JobPriorityChanged(_JobEvent):
    priority: int


@dataclass(frozen=True)
class JobStarted(_JobEvent):
    device: str


@dataclass(frozen=True)
class JobProgress(_JobEvent):
    done: int
    total: int
    preview: Any = None  # a step preview image from the handler, or None


@dataclass(frozen=True)
class _JobLine(_JobEvent):
    text: str


class JobText(_JobLine):
    """A text job's reply so far (all of it: a listener that missed one loses nothing)."""


class JobNote(_JobLine):
    """A line the user should see about the job."""


@dataclass(frozen=True)
class JobOutput(_JobEvent):
    path: str
    sha256: str = ""  # computed when the file was written ("" when the handler had none)


@dataclass(frozen=True)
class JobFinished(_JobEvent):
    paths: tuple[str, ...]
    seconds: float


@dataclass(frozen=True)
class JobFailed(_JobEvent):
    error: str


@dataclass(frozen=True)
class _QueueEvent:
    """The whole queue, not one job."""


class QueuePaused(_QueueEvent):
    """No new job starts until resumed."""


class QueueResumed(_QueueEvent):
    """Jobs start again."""


JobEvent = (
    JobQueued
    | JobHeld
    | JobPriorityChanged
    | JobStarted
    | JobProgress
    | JobText
    | JobOutput
    | JobNote
    | JobFinished
    | JobFailed
    | JobCancelled
    | QueuePaused
    | QueueResumed
)
