from __future__ import annotations

from pathlib import Path

from PIL import Image

from studio.core.gallery import GalleryStore
from studio.core.outputs.record import OutputRecord
from studio.core.outputs.writer import OutputWriter
from studio.core.paths import data_paths
from studio.core.requests import ImageRequest
from studio.gui.main_window import EMPTY_HINT, MainWindow


def test_first_window_explains_how_to_start(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "Generative Studio 0.1.0"
    assert window.header.text() == EMPTY_HINT
    assert window.gallery.count() == 0


def test_window_lists_gallery_outputs_with_thumbnails(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = data_paths().ensure()
    writer = OutputWriter(tmp_path / "out")
    with GalleryStore(paths.database) as store:
        for seed, prompt in ((1, "a red fox"), (2, "a lighthouse")):
            record = OutputRecord(ImageRequest(model="m", prompt=prompt, width=64, height=64), seed)
            path, sha = writer.write_image(Image.new("RGB", (64, 64), "orange"), record)
            store.add(path, record, sha)
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.header.text() == "Recent outputs (2)"
    items = [window.gallery.item(i) for i in range(window.gallery.count())]
    assert sorted(i.text() for i in items) == ["a lighthouse", "a red fox"]
    assert all(not i.icon().isNull() for i in items)


def test_unreadable_database_is_shown_not_raised(qtbot) -> None:  # type: ignore[no-untyped-def]
    paths = data_paths().ensure()
    paths.database.write_bytes(b"garbage" * 200)
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.header.text().startswith("The gallery cannot be opened")
