"""The job runtime: a persistent queue of generation jobs, one worker thread per device.

No Qt and no torch here: the GUI bridges events to its thread, handlers call engines.
"""

from studio.runtime.jobs.handlers import Handler, HandlerRegistry, JobContext
from studio.runtime.jobs.model import (
    ENDED,
    Job,
    JobCancelled,
    JobError,
    JobEvent,
    JobFailed,
    JobFinished,
    JobHeld,
    JobNote,
    JobOutput,
    JobPriorityChanged,
    JobProgress,
    JobQueued,
    JobStarted,
    JobState,
    JobText,
    QueuePaused,
    QueueResumed,
)
from studio.runtime.jobs.queue import JobQueue

__all__ = [
    "ENDED",
    "Handler",
    "HandlerRegistry",
    "Job",
    "JobCancelled",
    "JobContext",
    "JobError",
    "JobEvent",
    "JobFailed",
    "JobFinished",
    "JobHeld",
    "JobNote",
    "JobOutput",
    "JobPriorityChanged",
    "JobProgress",
    "JobQueue",
    "JobQueued",
    "JobStarted",
    "JobState",
    "JobText",
    "QueuePaused",
    "QueueResumed",
]
