"""Folder-in mode: each job item runs over every matching file of an input folder.

Image items become img2img on each picture (init_image set); translate items
translate each .txt/.md/.srt document (file set). The job file gives the settings.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from studio.core.batch.fields import Draft
from studio.core.batch.items import file_error

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
DOCUMENT_SUFFIXES = (".txt", ".md", ".srt")
_SUFFIXES = {"image": IMAGE_SUFFIXES, "translate": DOCUMENT_SUFFIXES}


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
        suffixes = _SUFFIXES.get(draft.task)
        if suffixes is None:
            raise file_error(
                source, draft.line,
                f"an input folder works with image and translate items (this one is {draft.task})",
            )  # fmt: skip
        files = [p for p in input_files(folder, suffixes) if p.is_file()]
        if not files:
            raise file_error(folder, None, f"no {' '.join(suffixes)} files for {draft.task} items")
        for path in files:
            fields = dict(draft.fields)
            if draft.task == "image":
                fields["init_image"] = str(path.resolve())
                if fields.get("mode") != "inpaint":  # inpaint keeps its mask
                    fields["mode"] = "img2img"
            else:
                fields.pop("text", None)
                fields["file"] = str(path.resolve())
            out.append(dataclasses.replace(draft, fields=fields))
    return out
