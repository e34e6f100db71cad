"""Demo models for a first run with no models: tiny, untrained, built offline in seconds.

Every view of the studio can then be tried at once. They are labelled everywhere as
untrained: their outputs are noise (or gibberish text), by design.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from studio.demo_models import DEMO_NOTE
from studio.models.catalog import ModelCatalog
from studio.models.operations import remember_folder, scan_folders


class DemoModel(NamedTuple):
    """A cataloged demo model (a tuple, so a Qt signal carries it as is)."""

    id: int
    task: str
    name: str


# folder name -> builder(folder) -> folder
def _builders() -> dict[str, Callable[[Path], Path]]:
    from studio.demo_models.audio import build_tiny_musicgen, build_tiny_vits
    from studio.demo_models.image import build_tiny_sd
    from studio.demo_models.text import build_tiny_llama
    from studio.demo_models.translate import build_tiny_marian
    from studio.demo_models.unconditional import build_tiny_ddpm

    return {
        "demo-image": build_tiny_sd,
        "demo-text": lambda folder: build_tiny_llama(folder, context=2048),  # room for chats
        "demo-translate-pt-en": lambda folder: build_tiny_marian(folder, source="pt", target="en"),
        "demo-music": build_tiny_musicgen,
        "demo-speech": build_tiny_vits,
        "demo-unconditional": build_tiny_ddpm,
    }


def create_demo_models(
    folder: Path, progress: Callable[[str], None] = lambda name: None
) -> list[Path]:
    """Build every demo model missing from `folder` (each appears whole or not at all)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "README.txt").write_text(
        DEMO_NOTE + "\nDelete this folder to remove them.\n", encoding="utf-8"
    )
    made = []
    for name, build in _builders().items():
        target = folder / name
        if not target.exists():
            progress(name)
            with tempfile.TemporaryDirectory(dir=folder, prefix=".building-") as scratch:
                built = build(Path(scratch) / name)
                shutil.move(str(built), target)
        made.append(target)
    return made


def install_demo_models(
    database: Path, folder: Path, progress: Callable[[str], None] = lambda name: None
) -> list[DemoModel]:
    """Build the demo models into `folder`, add it to the model folders, catalog them labelled
    as untrained. The same for the CLI and the GUI."""
    made = create_demo_models(folder, progress)
    remember_folder(folder)
    rows = []
    with ModelCatalog(database) as catalog:
        scan_folders(catalog, [folder], hf_cache=False)
        for path in made:
            entry = catalog.find(str(path))
            catalog.update(entry.id, notes=DEMO_NOTE)
            rows.append(DemoModel(entry.id, entry.task, entry.name))
    return rows
