"""Which .gguf files in a folder are models: a multimodal projector (mmproj) belongs to the
model beside it, and of a split model (llama.cpp's `-00001-of-00003.gguf`) only the first
part is loaded (llama.cpp finds the rest), so each is one candidate, not several."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

_SPLIT = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)
MODEL_SUFFIXES = (".gguf", ".llamafile")  # a llamafile is an executable holding a GGUF


def is_projector(path: Path) -> bool:
    return path.suffix.lower() == ".gguf" and "mmproj" in path.name.lower()


def gguf_models(files: Iterable[Path]) -> Iterator[tuple[Path, dict[str, str]]]:
    """(model file, facts) for each model among `files` (one folder's): facts name the
    projector (when the folder holds exactly one) and the number of parts of a split model."""
    files = sorted(f for f in files if f.suffix.lower() in MODEL_SUFFIXES)
    projectors = [f for f in files if is_projector(f)]
    for file in files:
        if file in projectors:
            continue
        facts: dict[str, str] = {}
        split = _SPLIT.search(file.name)
        if split:
            if int(split.group(1)) != 1:
                continue
            facts["split_parts"] = str(int(split.group(2)))
        if len(projectors) == 1:
            facts["projector"] = str(projectors[0])
        yield file, facts


def model_stem(path: Path) -> str:
    """The name of a model file: without its suffix, and without the part number of a split."""
    return _SPLIT.sub("", path.name) if _SPLIT.search(path.name) else path.stem
