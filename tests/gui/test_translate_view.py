"""The Translate view: pickers limited to the model's languages, swap, translating a text
and a file through the job queue (a fake translate handler), and its one-line failures."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from studio.core.errors import StudioError
from studio.core.languages import LANGUAGES
from studio.core.requests import TranslateRequest
from studio.gui.bridge import JobBridge
from studio.gui.translate_view import TranslateView
from studio.models.translate_languages import M2M100_CODES
from studio.runtime.jobs import Job, JobContext, JobQueue

TIMEOUT = 5000


def model_folder(folder: Path, config: dict[str, Any], tokenizer: dict[str, Any]) -> Path:
    """The config files of a model as studio.demo_models.translate saves it, without the
    weights: the view reads only these. (tests/models/test_translate_languages.py checks
    that these files give the languages the loaded engine finds, on real tiny models.)"""
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    (folder / "tokenizer_config.json").write_text(json.dumps(tokenizer), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("translate-models")
    marian = {"tokenizer_class": "MarianTokenizer", "source_lang": "pt", "target_lang": "en"}
    m2m100 = {"tokenizer_class": "M2M100Tokenizer", "language_codes": "m2m100"}
    return {
        "pair": model_folder(root / "opus-mt-pt-en", {"model_type": "marian"}, marian),
        "m2m100": model_folder(root / "m2m100", {"model_type": "m2m_100"}, m2m100),
    }


class FakeTranslator:
    """A translate handler that upper-cases, writes the output file and records requests."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.requests: list[TranslateRequest] = []

    def __call__(self, job: Job, ctx: JobContext) -> list[str]:
        request = job.request
        assert isinstance(request, TranslateRequest)
        self.requests.append(request)
        if request.text == "fail":
            raise StudioError("the model file is broken\nmore details")
        if request.text == "slow":
            for step in range(200):
                ctx.progress(step + 1, 200)  # raises Cancelled once cancelled
                time.sleep(0.01)
        text = Path(request.file).read_text(encoding="utf-8") if request.file else request.text
        ctx.progress(1, 1)
        path = self.out / f"{job.id}{request.suffix}"
        path.write_text(text.upper(), encoding="utf-8")
        return [str(path)]


@pytest.fixture
def fake(queue: JobQueue, tmp_path: Path) -> FakeTranslator:
    translator = FakeTranslator(tmp_path)
    queue.handlers.register("translate", translator)
    return translator


@pytest.fixture
def view(
    qtbot: Any, bridge: JobBridge, queue: JobQueue, fake: FakeTranslator
) -> Iterator[TranslateView]:
    made = TranslateView(bridge, queue.submit)
    made.show()
    qtbot.waitExposed(made)
    yield made
    made.shutdown()
    made.close()
    made.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def use_model(qtbot: Any, view: TranslateView, path: Path | str) -> None:
    view.set_model(str(path))
    qtbot.waitUntil(lambda: not view.worker.busy, timeout=TIMEOUT)


def test_a_pair_model_lists_its_one_pair_and_cannot_swap(
    qtbot: Any, view: TranslateView, models: dict[str, Path]
) -> None:
    assert not view.translate_button.isEnabled()  # no model yet
    use_model(qtbot, view, models["pair"])
    assert (view.languages.sources(), view.languages.targets()) == (["pt"], ["en"])
    assert view.model_label.text() == "Model: opus-mt-pt-en (Portuguese → English)"
    assert not view.languages.swap_button.isEnabled()
    assert "does not translate English into Portuguese" in view.languages.swap_button.toolTip()
    assert view.translate_button.isEnabled()


def test_m2m100_lists_its_hundred_languages_and_swaps(
    qtbot: Any, view: TranslateView, models: dict[str, Path]
) -> None:
    use_model(qtbot, view, models["m2m100"])
    sources = view.languages.sources()
    assert len(sources) == len(M2M100_CODES["m2m100"].split())
    assert view.model_label.text() == f"Model: m2m100 ({len(sources)} languages)"
    assert [view.languages.source_box.itemText(i) for i in range(3)] == sorted(
        LANGUAGES[c].name for c in sources
    )[:3]  # by name, for people
    view.languages.set_pair("pt", "en")
    assert "pt" not in view.languages.targets()  # never into the source language
    view.result.setPlainText("The cat sleeps.")
    view.languages.swap_button.click()
    assert (view.languages.source(), view.languages.target()) == ("en", "pt")
    assert view.text.toPlainText() == "The cat sleeps."  # the translation is the new text
    assert view.result.toPlainText() == ""


def test_translate_goes_through_the_queue(
    qtbot: Any, view: TranslateView, models: dict[str, Path], fake: FakeTranslator
) -> None:
    use_model(qtbot, view, models["m2m100"])
    view.languages.set_pair("pt", "fr")
    view.text.setPlainText("O gato dorme.")
    view.translate_button.click()
    assert not view.translate_button.isEnabled()  # one job at a time
    qtbot.waitUntil(lambda: view.result.toPlainText() == "O GATO DORME.", timeout=TIMEOUT)
    assert fake.requests == [TranslateRequest(model=str(models["m2m100"]), source="pt",
                                              target="fr", text="O gato dorme.")]  # fmt: skip
    assert view.translate_button.isEnabled() and view.progress.isHidden()


def test_translate_a_file_shows_where_it_went(
    qtbot: Any, view: TranslateView, models: dict[str, Path], fake: FakeTranslator, tmp_path: Path
) -> None:
    use_model(qtbot, view, models["pair"])
    subtitles = tmp_path / "film.srt"
    subtitles.write_text("1\n00:00:01,000 --> 00:00:02,000\nOlá!\n", encoding="utf-8")
    view.translate_file(subtitles)
    qtbot.waitUntil(lambda: "Saved to" in view.status.text(), timeout=TIMEOUT)
    request = fake.requests[-1]
    assert (request.file, request.text, request.source, request.target) == (
        str(subtitles), "", "pt", "en")  # fmt: skip
    output = Path(view.status.toolTip())
    assert output.suffix == ".srt" and output.name in view.status.text()
    qtbot.waitUntil(lambda: "OLÁ!" in view.result.toPlainText(), timeout=TIMEOUT)


def test_failures_are_one_line(
    qtbot: Any, view: TranslateView, models: dict[str, Path], fake: FakeTranslator, tmp_path: Path
) -> None:
    use_model(qtbot, view, models["pair"])
    view.translate()  # no text
    assert view.status.text() == "there is no text to translate (the text is empty)"
    view.translate_file(tmp_path / "missing.txt")
    assert view.status.text().startswith("file not found")
    view.translate_file(tmp_path / "slides.pptx")
    assert view.status.text().startswith("file not found")
    (tmp_path / "slides.pptx").write_text("x")
    view.translate_file(tmp_path / "slides.pptx")
    assert "unsupported file type '.pptx'" in view.status.text()
    view.text.setPlainText("fail")
    view.translate()
    qtbot.waitUntil(lambda: view.status.text() == "the model file is broken", timeout=TIMEOUT)
    assert view.translate_button.isEnabled()
    assert fake.requests[-1].text == "fail" and len(fake.requests) == 1


def test_cancel(qtbot: Any, view: TranslateView, models: dict[str, Path]) -> None:
    use_model(qtbot, view, models["pair"])
    view.text.setPlainText("slow")
    view.translate()
    qtbot.waitUntil(lambda: view.progress.maximum() == 200, timeout=TIMEOUT)
    view.cancel_button.click()
    qtbot.waitUntil(lambda: view.status.text() == "Cancelled", timeout=TIMEOUT)
    assert view.translate_button.isEnabled()


def test_a_model_that_cannot_be_read_lists_every_language(
    qtbot: Any, view: TranslateView, tmp_path: Path
) -> None:
    use_model(qtbot, view, tmp_path / "no-such-model")
    assert view.status.text() == f"model not found: {tmp_path / 'no-such-model'}"
    assert len(view.languages.sources()) == len(LANGUAGES)
    assert view.languages.swap_button.isEnabled()


def test_load_request_shows_model_pair_and_text(
    qtbot: Any, view: TranslateView, models: dict[str, Path]
) -> None:
    request = TranslateRequest(model=str(models["m2m100"]), source="de", target="pt",
                               text="Die Katze schläft.")  # fmt: skip
    view.load_request(request)
    qtbot.waitUntil(lambda: not view.worker.busy, timeout=TIMEOUT)
    assert view.request() == request
