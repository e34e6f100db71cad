"""Names the studio stores in English (task types, job states) and how the interface shows
them: as stored in English, translated in another language.

The marks let lupdate find the names; shown() translates one at display time. A name
without a translation (a task added later) is shown as stored.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

TASKS = (
    QT_TRANSLATE_NOOP("StoredNames", "image"), QT_TRANSLATE_NOOP("StoredNames", "text"),
    QT_TRANSLATE_NOOP("StoredNames", "code"), QT_TRANSLATE_NOOP("StoredNames", "translate"),
    QT_TRANSLATE_NOOP("StoredNames", "music"), QT_TRANSLATE_NOOP("StoredNames", "speech"),
)  # fmt: skip
JOB_STATES = (
    QT_TRANSLATE_NOOP("StoredNames", "queued"), QT_TRANSLATE_NOOP("StoredNames", "held"),
    QT_TRANSLATE_NOOP("StoredNames", "running"), QT_TRANSLATE_NOOP("StoredNames", "finished"),
    QT_TRANSLATE_NOOP("StoredNames", "failed"), QT_TRANSLATE_NOOP("StoredNames", "cancelled"),
)  # fmt: skip


def shown(name: str) -> str:
    """A stored task or job state name in the interface's language."""
    return QCoreApplication.translate("StoredNames", name)
