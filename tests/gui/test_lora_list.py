"""The image form's LoRA rows over a real catalog: pick, weigh, remove, reload, unknowns."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from studio.core.errors import ValidationError
from studio.core.paths import data_paths
from studio.core.requests.image import ImageRequest
from studio.gui.parameters.image_form import ImageForm
from studio.gui.parameters.lora_list import LoraList
from studio.models.catalog import ModelCatalog
from studio.models.discovery.scanner import scan
from studio.models.hashing import HashCache
from studio.models.identify import Identity
from tests.models import zoo

DOCK_WIDTH = 330  # the Parameters dock's usual width


@pytest.fixture
def loras(tmp_path: Path) -> Path:
    """A scanned catalog with an SD1 and an SDXL LoRA beside a checkpoint."""
    root = tmp_path / "models"
    zoo.lora_sd1(root / "Lora" / "fox.safetensors")
    zoo.lora_sdxl(root / "Lora" / "watercolor-style.safetensors")
    zoo.sd1_checkpoint(root / "dreamy.safetensors")
    with ModelCatalog(data_paths().ensure().database) as catalog:
        report = scan(catalog, [root], HashCache.default(), hf_cache=False)
        assert not report.problems
    return root


@pytest.fixture
def form(qtbot: Any) -> Iterator[ImageForm]:
    made = ImageForm()
    qtbot.addWidget(made)
    made.set_model("dreamy")
    made.prompt.setPlainText("a fox")
    yield made
    made.shutdown()
    made.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def labels(form: ImageForm) -> list[list[str]]:
    return [[row.combo.itemText(i) for i in range(row.combo.count())] for row in form.loras.rows]


def test_rows_of_catalog_loras_build_the_request(form: ImageForm, loras: Path, qtbot: Any) -> None:
    form.show()  # showing the form reads the catalog
    qtbot.waitExposed(form)
    assert [c.label for c in form.loras.choices] == ["fox (sd1)", "watercolor-style (sdxl)"]
    assert form.loras.empty.isHidden() and form.loras.add_button.isEnabled()
    form.loras.add_button.click()
    form.loras.add_button.click()  # the next row takes the LoRA not used yet
    first, second = form.loras.rows
    assert labels(form) == [["fox (sd1)", "watercolor-style (sdxl)"]] * 2
    assert first.combo.toolTip() == str(loras / "Lora" / "fox.safetensors")
    assert first.weight.value() == 1.0
    first.weight.setValue(0.55)
    second.weight.setValue(-0.3)
    assert form.request().loras == (("fox", 0.55), ("watercolor-style", -0.3))
    second.combo.setCurrentIndex(0)  # the user picks the same LoRA twice: left to the engine
    assert form.request().loras == (("fox", 0.55), ("fox", -0.3))


def test_remove_a_row(form: ImageForm, loras: Path) -> None:
    form.load_request(
        ImageRequest(model="dreamy", prompt="a", loras=(("fox", 0.5), ("watercolor-style", 1)))
    )
    form.loras.rows[0].remove_button.click()
    assert form.request().loras == (("watercolor-style", 1.0),)
    form.loras.rows[0].remove_button.click()
    assert form.request().loras == () and form.loras.rows == []


def test_load_request_round_trip_keeps_an_unknown_lora(form: ImageForm, loras: Path) -> None:
    original = ImageRequest(
        model="dreamy",
        prompt="a fox",
        loras=(("watercolor-style", 0.75), ("someone-elses-lora", -1.5)),
        embeddings=("bad-hands",),  # no widget: carried
    )
    form.load_request(original)
    assert form.request() == original
    known, unknown = form.loras.rows
    assert known.combo.currentText() == "watercolor-style (sdxl)"
    assert unknown.combo.currentText() == "someone-elses-lora"
    assert unknown.combo.toolTip() == "someone-elses-lora: not in the catalog"
    assert not unknown.combo.itemIcon(0).isNull()  # the warning mark
    # The unknown stays a choice of its row after the user tries another and comes back.
    unknown.combo.setCurrentIndex(1)
    assert form.request().loras[1] == ("fox", -1.5)
    unknown.combo.setCurrentIndex(0)
    assert form.request() == original
    form.load_request(original.replace(loras=()))  # loading again replaces the rows
    assert form.loras.rows == [] and form.request().loras == ()


def test_a_lora_by_id_or_path_shows_as_its_catalog_entry(form: ImageForm, loras: Path) -> None:
    with ModelCatalog(data_paths().database) as catalog:
        fox = catalog.find("fox")
    path = str(loras / "Lora" / "fox.safetensors")
    form.load_request(ImageRequest(model="d", prompt="", loras=((str(fox.id), 1), (path, 0.5))))
    assert [row.combo.currentText() for row in form.loras.rows] == ["fox (sd1)"] * 2
    assert form.request().loras == (("fox", 1.0), ("fox", 0.5))


def test_empty_state_without_loras_in_the_catalog(form: ImageForm, qtbot: Any) -> None:
    form.show()
    qtbot.waitExposed(form)
    assert form.loras.empty.isVisible()
    assert form.loras.empty.text() == "No LoRAs in your model folders"
    assert not form.loras.add_button.isEnabled()
    assert form.loras.add_row() is None and form.request().loras == ()
    # A reused request still shows (and keeps) its LoRA.
    form.load_request(ImageRequest(model="dreamy", prompt="", loras=(("detail", 0.5),)))
    assert form.request().loras == (("detail", 0.5),)
    assert form.loras.empty.isVisible()


def test_refresh_after_a_scan_keeps_the_rows(form: ImageForm, tmp_path: Path) -> None:
    form.load_request(ImageRequest(model="dreamy", prompt="", loras=(("fox", 0.5),)))
    assert form.loras.rows[0].combo.toolTip() == "fox: not in the catalog"
    root = tmp_path / "later"
    zoo.lora_sd1(root / "fox.safetensors")
    with ModelCatalog(data_paths().database) as catalog:
        scan(catalog, [root], HashCache.default(), hf_cache=False)
        form.loras.refresh_choices(catalog.entries())
    assert form.loras.rows[0].combo.currentText() == "fox (sd1)"
    assert form.loras.rows[0].combo.count() == 1  # the catalog knows it now: no unknown item
    assert form.request().loras == (("fox", 0.5),)


def test_an_unreadable_catalog_is_one_line(qtbot: Any) -> None:
    def broken() -> list[Any]:
        raise OSError("database is locked")

    lora_list = LoraList(broken)
    qtbot.addWidget(lora_list)
    lora_list.refresh()
    assert lora_list.empty.text() == "cannot read the model catalog: database is locked"
    lora_list.set_loras([("fox", 0.5)])
    assert lora_list.loras() == (("fox", 0.5),)


def test_out_of_range_weight_is_refused_in_one_line(form: ImageForm, loras: Path) -> None:
    form.loras.refresh()
    row = form.loras.add_row()
    assert row is not None
    row.weight.setValue(99)  # the spin box stops at the request's limit
    assert form.request().loras == (("fox", 5.0),)
    with pytest.raises(ValidationError, match="weight of LoRA fox must be"):
        ImageRequest(model="d", prompt="", loras=(("fox", 5.5),))


def test_the_image_form_fits_the_dock(form: ImageForm, loras: Path) -> None:
    form.load_request(
        ImageRequest(
            model="dreamy",
            prompt="",
            loras=(("fox", 1), ("a-lora-with-a-very-long-name-from-somewhere-else", 0.5)),
        )
    )
    assert len(form.loras.rows) == 2
    assert form.minimumSizeHint().width() <= DOCK_WIDTH


def test_two_loras_of_one_name_are_told_apart_by_id(form: ImageForm) -> None:
    with ModelCatalog(data_paths().ensure().database) as catalog:
        ids = [
            catalog.record(
                Path(f"/models/{folder}/detail.safetensors"),
                Identity("image", family, "lora", "safetensors"),
                name="detail",
                source="folder",
                size=1,
                signature=folder,
            )
            for folder, family in (("a", "sd1"), ("b", "sdxl"))
        ]
    form.loras.refresh()
    assert [c.label for c in form.loras.choices] == [
        f"detail (sd1, #{ids[0]})",
        f"detail (sdxl, #{ids[1]})",
    ]
    form.loras.add_row()
    form.loras.add_row()
    assert form.request().loras == ((str(ids[0]), 1.0), (str(ids[1]), 1.0))
    # The bare name is ambiguous (the catalog refuses it): kept, marked as unknown.
    form.load_request(ImageRequest(model="d", prompt="", loras=(("detail", 0.5),)))
    assert form.loras.rows[0].combo.toolTip() == "detail: not in the catalog"
