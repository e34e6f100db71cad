"""Names the studio stores in English (task types, job states) and how the interface shows
them: a task by its registry label, a job state translated.

The marks let lupdate find the job states; shown() translates one at display time. A name
without a translation (a task added later) is shown as stored.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from studio.core.modalities import task_names
from studio.gui.task_labels import task_label

JOB_STATES = (
    QT_TRANSLATE_NOOP("StoredNames", "queued"), QT_TRANSLATE_NOOP("StoredNames", "held"),
    QT_TRANSLATE_NOOP("StoredNames", "running"), QT_TRANSLATE_NOOP("StoredNames", "finished"),
    QT_TRANSLATE_NOOP("StoredNames", "failed"), QT_TRANSLATE_NOOP("StoredNames", "cancelled"),
)  # fmt: skip


def shown(name: str) -> str:
    """A stored task or job state name in the interface's language."""
    if name in task_names():
        return task_label(name)
    return QCoreApplication.translate("StoredNames", name)
