"""The registry's task and model-task labels in the interface's language.

The registry (studio.core.modalities) holds them in English; the marks below let lupdate
find them (a test fails when a registry label has no mark here). A label without a mark
is shown in English.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from studio.core.errors import ValidationError
from studio.core.modalities import MODEL_TASK_LABELS, canonical_task, modality

CONTEXT = "Tasks"
MARKS = (
    QT_TRANSLATE_NOOP("Tasks", "Image"), QT_TRANSLATE_NOOP("Tasks", "Chat"),
    QT_TRANSLATE_NOOP("Tasks", "Code"), QT_TRANSLATE_NOOP("Tasks", "Translate"),
    QT_TRANSLATE_NOOP("Tasks", "Music"), QT_TRANSLATE_NOOP("Tasks", "Speech"),
    QT_TRANSLATE_NOOP("Tasks", "Unconditional image"), QT_TRANSLATE_NOOP("Tasks", "Latent walk"),
    QT_TRANSLATE_NOOP("Tasks", "Text"),
)  # fmt: skip


def label(english: str) -> str:
    return QCoreApplication.translate(CONTEXT, english)


def task_label(task: str) -> str:
    """A registered task's label ("Chat" for text), translated; other names as they are."""
    try:
        return label(modality(task).label)
    except ValidationError:  # a task this build does not know (a newer database): as stored
        return task


def model_task_label(model_task: str) -> str | None:
    english = MODEL_TASK_LABELS.get(canonical_task(model_task))
    return label(english) if english else None
