"""How catalog entries read in the Models dock: groups, sizes, details, scan summaries.

Texts are translated in the "ModelsDock" context; scan summaries are made on the dock's
worker thread, where QCoreApplication.translate is safe to call.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from studio.core.modalities import MODEL_TASK_LABELS
from studio.gui.task_labels import label
from studio.models.catalog import CatalogEntry
from studio.models.operations import ScanResult

# Group keys are the English titles: the registry's model-task labels (translated in
# task_labels), then adapters and unknown models; group_label() translates.
GROUPS = dict(MODEL_TASK_LABELS)
ADAPTERS = QT_TRANSLATE_NOOP("ModelsDock", "Adapters")
UNKNOWN = QT_TRANSLATE_NOOP("ModelsDock", "Unknown")
GROUP_ORDER = (*GROUPS.values(), ADAPTERS, UNKNOWN)
ADAPTER_KINDS = ("lora", "embedding", "vae", "peft")


def group_of(entry: CatalogEntry) -> str:
    if entry.kind in ADAPTER_KINDS:
        return ADAPTERS
    return GROUPS.get(entry.task, UNKNOWN)


def group_label(group: str) -> str:
    """A group key of group_of(), in the interface's language."""
    if group in GROUPS.values():
        return label(group)
    return QCoreApplication.translate("ModelsDock", group)


def human_size(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def details(entry: CatalogEntry) -> str:
    lines = [f"{entry.name} ({entry.task}/{entry.family}, {entry.kind}, {entry.format})"]
    facts = header_facts(entry.facts)
    if facts:
        lines.append(facts)
    location = QCoreApplication.translate("ModelsDock", "location: {0}")
    lines += [location.format(path) for path in entry.paths]
    if entry.sha256:
        hashed = QCoreApplication.translate("ModelsDock", "hash: {0} (sha256 {1})")
        lines.append(hashed.format(entry.short_hash, entry.sha256))
    else:
        lines.append(QCoreApplication.translate("ModelsDock", "hash: not computed yet (Verify)"))
    if entry.problem:
        lines.append(QCoreApplication.translate("ModelsDock", "problem: {0}").format(entry.problem))
    elif entry.reason:
        lines.append(QCoreApplication.translate("ModelsDock", "note: {0}").format(entry.reason))
    return "\n".join(lines)


def header_facts(facts: dict[str, object]) -> str:
    """What a GGUF's header says: quantization, context, size, template, FIM."""
    translate = QCoreApplication.translate
    parts = []
    if facts.get("quantization"):
        parts.append(translate("ModelsDock", "quantization {0}").format(facts["quantization"]))
    if isinstance(facts.get("context_length"), int):
        parts.append(translate("ModelsDock", "context {0} tokens").format(facts["context_length"]))
    parameters = facts.get("parameters")
    if isinstance(parameters, int) and parameters > 0:
        parts.append(translate("ModelsDock", "{0} parameters").format(_count(parameters)))
    if facts.get("chat_template"):
        parts.append(translate("ModelsDock", "chat template"))
    if facts.get("fim"):
        parts.append(translate("ModelsDock", "fill-in-the-middle"))
    return " · ".join(parts)


def _count(number: int) -> str:
    for unit, scale in (("B", 10**9), ("M", 10**6), ("K", 10**3)):
        if number >= scale:
            return f"{number / scale:.1f} {unit}"
    return str(number)


def scan_summary(result: ScanResult) -> str:
    text = QCoreApplication.translate(
        "ModelsDock",
        "{0} new, {1} changed, {2} unchanged, {3} gone, {4} problem(s); {5} model(s)",
    ).format(result.added, result.updated, result.unchanged, result.removed,
             len(result.problems), result.total)  # fmt: skip
    problem = QCoreApplication.translate("ModelsDock", "problem: {0}: {1}")
    return "\n".join([text, *(problem.format(p.path.name, p.message) for p in result.problems)])
