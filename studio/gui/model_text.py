"""How catalog entries read in the Models dock: groups, sizes, details, scan summaries."""

from __future__ import annotations

from studio.models.catalog import CatalogEntry
from studio.models.discovery.scanner import ScanReport

GROUPS = {
    "image": "Image",
    "text": "Text",
    "translate": "Translate",
    "music": "Music",
    "speech": "Speech",
    "image-unconditional": "Unconditional image",
}
ADAPTERS, UNKNOWN = "Adapters", "Unknown"
GROUP_ORDER = (*GROUPS.values(), ADAPTERS, UNKNOWN)
ADAPTER_KINDS = ("lora", "embedding", "vae", "peft")


def group_of(entry: CatalogEntry) -> str:
    if entry.kind in ADAPTER_KINDS:
        return ADAPTERS
    return GROUPS.get(entry.task, UNKNOWN)


def human_size(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def details(entry: CatalogEntry) -> str:
    lines = [f"{entry.name} ({entry.task}/{entry.family}, {entry.kind}, {entry.format})"]
    lines += [f"location: {path}" for path in entry.paths]
    lines.append(f"hash: {entry.short_hash} (sha256 {entry.sha256})" if entry.sha256
                 else "hash: not computed yet (Verify)")  # fmt: skip
    if entry.problem:
        lines.append(f"problem: {entry.problem}")
    elif entry.reason:
        lines.append(f"note: {entry.reason}")
    return "\n".join(lines)


def scan_summary(report: ScanReport, total: int) -> str:
    text = (f"{len(report.added)} new, {len(report.updated)} changed, {report.unchanged} unchanged, "
            f"{report.removed} gone, {len(report.problems)} problem(s); {total} model(s)")  # fmt: skip
    return "\n".join([text, *(f"problem: {p.path.name}: {p.message}" for p in report.problems)])
