"""OutputWriter: names, encodes and atomically writes outputs into the output folder."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studio.core.errors import OutputError
from studio.core.outputs.atomic import ensure_dir, write_atomic
from studio.core.outputs.naming import FilenameTemplate, contained, next_index
from studio.core.outputs.png import png_bytes
from studio.core.outputs.record import GENERATOR, OutputRecord, sidecar_json
from studio.core.outputs.xmp import TRAINED_ALGORITHMIC

if TYPE_CHECKING:
    from PIL import Image

_MAX_NAME_TRIES = 1000


class OutputWriter:
    def __init__(
        self,
        out_dir: Path,
        template: FilenameTemplate | None = None,
        *,
        fixed_index: int | None = None,
        strip_metadata: bool = False,
    ) -> None:
        self.out_dir = ensure_dir(Path(out_dir).expanduser())
        self.template = template or FilenameTemplate()
        # Batches name each item's outputs by its position, so a resumed batch rewrites the
        # same files instead of adding copies; interactive use takes the next free number.
        self.fixed_index = fixed_index
        # The privacy setting: files carry the AI label only (no prompt, no parameters).
        # Code that encodes its own files asks for them through png() and sidecar().
        self.strip_metadata = strip_metadata

    def for_item(self, index: int) -> OutputWriter:
        """A writer whose names use `index` and replace what an interrupted run left."""
        return OutputWriter(
            self.out_dir, self.template, fixed_index=index, strip_metadata=self.strip_metadata
        )

    def png(self, image: Image.Image, record: OutputRecord) -> bytes:
        """The PNG encoding of `image` with the metadata this writer puts in files."""
        return png_bytes(image, record, strip_metadata=self.strip_metadata)

    def sidecar(self, record: OutputRecord) -> bytes:
        """The `<name>.json` beside a file with no metadata of its own: the record and the
        AI label, or the label alone when stripping."""
        text = ai_label_json() if self.strip_metadata else sidecar_json(record)
        return text.encode("utf-8")

    def write_image(self, image: Image.Image, record: OutputRecord) -> tuple[Path, str]:
        """Write a PNG with its metadata; returns (path, sha256 of the file)."""
        data = self.png(image, record)
        return self._write(data, record, ".png"), hashlib.sha256(data).hexdigest()

    def write_bytes(self, data: bytes, record: OutputRecord, suffix: str) -> tuple[Path, str]:
        """Write an already-encoded output (audio with its tags, ...); returns (path, sha256)."""
        return self._write(data, record, suffix), hashlib.sha256(data).hexdigest()

    def write_text(self, text: str, record: OutputRecord, suffix: str = ".txt") -> tuple[Path, str]:
        """Write a text output and, beside it, `<name>.json` with its record and AI label."""
        path, sha256 = self.write_bytes(text.encode("utf-8"), record, suffix)
        write_atomic(path.with_name(path.name + ".json"), self.sidecar(record))
        return path, sha256

    def new_folder(self, record: OutputRecord) -> Path:
        """A fresh folder named by the template, for outputs made of many files (walk frames)."""
        base = self._base_path(record)
        if self.fixed_index is not None:  # a batch item's own folder: a resume reuses it
            try:
                base.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(f"cannot create {base}: {exc.strerror or exc}") from None
            return base
        for attempt in range(_MAX_NAME_TRIES):
            folder = base.with_name(base.name if attempt == 0 else f"{base.name}-{attempt + 1}")
            try:
                folder.mkdir(parents=True)
                return folder
            except FileExistsError:
                continue
            except OSError as exc:
                raise OutputError(f"cannot create {folder}: {exc.strerror or exc}") from None
        raise OutputError(f"no free folder name for {base} after {_MAX_NAME_TRIES} tries")

    def _base_path(self, record: OutputRecord) -> Path:
        values = self._values(record)
        if self.fixed_index is not None:
            values["index"] = self.fixed_index
            return contained(self.out_dir, self.template.render(values))
        probe = contained(self.out_dir, self.template.render({**values, "index": 0}))
        values["index"] = next_index(probe.parent)
        return contained(self.out_dir, self.template.render(values))

    def _write(self, data: bytes, record: OutputRecord, suffix: str) -> Path:
        base = self._base_path(record)
        if self.fixed_index is not None:
            return write_atomic(base.with_name(base.name + suffix), data, overwrite=True)
        for attempt in range(_MAX_NAME_TRIES):
            name = base.name if attempt == 0 else f"{base.name}-{attempt + 1}"
            try:
                return write_atomic(base.with_name(name + suffix), data)
            except FileExistsError:
                continue
        raise FileExistsError(f"no free file name for {base} after {_MAX_NAME_TRIES} tries")

    @staticmethod
    def _values(record: OutputRecord) -> dict[str, object]:
        request = record.request
        now = datetime.now()
        return {
            "date": now.strftime("%Y-%m-%d"),
            "time": now.strftime("%H%M%S"),
            "seed": record.seed,
            "prompt": request.search_text(),
            "negative": getattr(request, "negative_prompt", ""),
            "model": record.model_name,
            "sampler": record.sampler or getattr(request, "sampler", ""),
            "steps": getattr(request, "steps", ""),
            "width": getattr(request, "width", ""),
            "height": getattr(request, "height", ""),
            "guidance": getattr(request, "guidance", ""),
            "task": request.TYPE,
            "mode": getattr(request, "mode", ""),
            "batch": record.index,
        }


def ai_label_json() -> str:
    """The label alone: what a stripped output's sidecar says about how it was made."""
    data = {
        "ai_generated": True,
        "digital_source_type": TRAINED_ALGORITHMIC,
        "generator": GENERATOR,
    }
    return json.dumps(data, indent=2, sort_keys=True)
