"""Folder-in mode: each job item runs over every matching file of an input folder.

Image items become img2img on each picture (init_image set); translate items
translate each .txt/.md/.srt document (file set). The job file gives the settings.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from studio.core.batch.fields import Draft
from studio.core.batch.items import file_error
from studio.core.modalities import MODALITIES, modality


def input_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Visible files with one of `suffixes`, sorted by name (not recursive)."""
    return sorted(
        (
            p
            for p in folder.iterdir()
            if p.suffix.lower() in suffixes and not p.name.startswith(".")
        ),
        key=lambda p: p.name,
    )


def over_folder(drafts: list[Draft], folder: Path, source: Path) -> list[Draft]:
    """Every draft applied to every matching file, draft by draft, files in name order."""
    folder = folder.expanduser()
    if not folder.is_dir():
        raise file_error(folder, None, "the input folder does not exist or is not a folder")
    out = []
    for draft in drafts:
        inputs = modality(draft.task).batch_input
        if inputs is None:
            takers = " and ".join(m.name for m in MODALITIES if m.batch_input)
            raise file_error(
                source, draft.line,
                f"an input folder works with {takers} items (this one is {draft.task})",
            )  # fmt: skip
        field, suffixes = inputs
        files = [p for p in input_files(folder, suffixes) if p.is_file()]
        if not files:
            raise file_error(folder, None, f"no {' '.join(suffixes)} files for {draft.task} items")
        for path in files:
            fields = dict(draft.fields)
            fields[field] = str(path.resolve())
            if field == "init_image" and fields.get("mode") != "inpaint":  # inpaint keeps its mask
                fields["mode"] = "img2img"
            if field == "file":  # a document replaces the text
                fields.pop("text", None)
            out.append(dataclasses.replace(draft, fields=fields))
    return out
