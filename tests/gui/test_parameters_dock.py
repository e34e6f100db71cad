"""ParametersDock: forms to typed requests, inline validation, seed lock, task switching."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication

from studio.core.requests.audio import MusicRequest, SpeechRequest
from studio.core.requests.image import MAX_SEED, ImageRequest
from studio.core.requests.text import TextRequest
from studio.core.requests.translate import TranslateRequest
from studio.gui.parameters import ParametersDock
from studio.gui.parameters.image_form import SIZE_PRESETS


@pytest.fixture
def dock(qtbot: Any) -> Iterator[ParametersDock]:
    made = ParametersDock()
    made.show()
    qtbot.waitExposed(made)
    yield made
    made.close()
    made.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not [w for w in QApplication.allWidgets() if isinstance(w, ParametersDock)]


def emitted(dock: ParametersDock) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []
    dock.generate_requested.connect(lambda task, request: seen.append((task, request)))
    return seen


def test_image_form_builds_request_with_every_field(dock: ParametersDock) -> None:
    form = dock.forms["image"]
    dock.set_model("sd-tiny", "image")
    form.prompt.setPlainText("a red fox")
    form.negative_prompt.setPlainText("blurry")
    form.size_preset.setCurrentText("Custom")
    form.width_box.setValue(640)
    form.height_box.setValue(384)
    form.steps.setValue(30)
    form.guidance.setValue(5.5)
    form.sampler.setCurrentText("DPM++ 2M Karras")
    form.seed.edit.setText("1234")
    form.seed.lock.setChecked(True)
    form.batch_size.setValue(2)
    form.batch_count.setValue(3)
    seen = emitted(dock)
    dock.generate_button.click()
    assert seen == [
        (
            "image",
            ImageRequest(
                model="sd-tiny",
                prompt="a red fox",
                negative_prompt="blurry",
                width=640,
                height=384,
                steps=30,
                guidance=5.5,
                sampler="DPM++ 2M Karras",
                seed=1234,
                batch_size=2,
                batch_count=3,
            ),
        )
    ]
    assert dock.error.isHidden()


def test_size_preset_sets_and_locks_width_and_height(dock: ParametersDock) -> None:
    form = dock.forms["image"]
    form.size_preset.setCurrentText("832x1216")
    assert (form.width_box.value(), form.height_box.value()) == (832, 1216)
    assert not form.width_box.isEnabled()
    form.size_preset.setCurrentText("Custom")
    assert form.width_box.isEnabled()
    assert form.width_box.singleStep() == 8
    assert form.width_box.minimum() == 64 and form.width_box.maximum() == 4096


def test_typed_custom_size_snaps_to_a_multiple_of_8(dock: ParametersDock) -> None:
    form = dock.forms["image"]
    form.size_preset.setCurrentText("Custom")
    form.width_box.setValue(100)
    form.width_box.editingFinished.emit()
    assert form.width_box.value() == 96


def test_empty_model_shows_one_red_line_and_emits_nothing(dock: ParametersDock) -> None:
    dock.forms["image"].prompt.setPlainText("a fox")
    seen = emitted(dock)
    dock.generate()
    assert seen == []
    assert dock.error.isVisible()
    assert dock.error.text() == "model must name a model (got an empty string)"
    assert "color" in dock.error.styleSheet()
    dock.set_model("sd-tiny", "image")  # fixing it clears the line
    dock.generate()
    assert len(seen) == 1 and dock.error.isHidden()


def test_empty_text_prompt_is_refused_inline(dock: ParametersDock) -> None:
    dock.set_model("tiny-llm", "text")
    seen = emitted(dock)
    dock.generate()
    assert seen == []
    assert dock.error.text().startswith("prompt is empty")
    assert "\n" not in dock.error.text()


def test_seed_lock_and_randomize(dock: ParametersDock) -> None:
    seed = dock.forms["image"].seed
    assert seed.seed() == -1  # unlocked by default: a random seed each run
    seed.edit.setText("42")
    assert seed.seed() == -1
    seed.lock.setChecked(True)
    assert seed.seed() == 42
    assert seed.edit.isEnabled()
    seed.lock.setChecked(False)
    assert not seed.edit.isEnabled()
    seed.randomize_button.click()
    assert seed.lock.isChecked()
    assert 0 <= seed.seed() <= MAX_SEED
    assert seed.seed() == int(seed.edit.text())


def test_set_model_switches_task_and_sets_model(dock: ParametersDock) -> None:
    assert dock.task == "image"
    dock.set_model("tiny-llm", "text")
    assert dock.task == "text"
    assert dock.stack.currentWidget() is dock.forms["text"]
    assert dock.forms["text"].model.text() == "tiny-llm"
    dock.set_model("sd-tiny", "image")
    assert dock.task == "image" and dock.forms["image"].model.text() == "sd-tiny"
    dock.set_model("some-3d", "mesh")  # no form: said inline, nothing changes
    assert dock.task == "image"
    assert "mesh" in dock.error.text()


def test_ctrl_return_generates(dock: ParametersDock, qtbot: Any) -> None:
    form = dock.forms["image"]
    dock.set_model("sd-tiny", "image")
    form.prompt.setPlainText("a fox")
    dock.activateWindow()
    form.prompt.setFocus()
    qtbot.waitUntil(form.prompt.hasFocus, timeout=2000)
    with qtbot.waitSignal(dock.generate_requested, timeout=2000) as blocker:
        qtbot.keyClick(form.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[0] == "image"
    assert blocker.args[1].prompt == "a fox"


def test_image_load_request_round_trip(dock: ParametersDock) -> None:
    original = ImageRequest(
        model="sd-tiny",
        prompt="a castle",
        negative_prompt="fog",
        width=1216,
        height=832,
        steps=12,
        guidance=3.25,
        sampler="Euler a",
        seed=MAX_SEED,
        batch_size=4,
        batch_count=2,
        loras=(("detail", 0.5),),  # no widget for it: carried, not lost
    )
    dock.set_task("text")
    dock.load_request(original)
    assert dock.task == "image"
    assert dock.forms["image"].size_preset.currentIndex() == SIZE_PRESETS.index((1216, 832))
    assert dock.build_request() == original
    custom = original.replace(width=640, height=448, seed=-1)
    dock.load_request(custom)
    assert dock.forms["image"].size_preset.currentText() == "Custom"
    assert dock.build_request() == custom


def test_text_load_request_round_trip(dock: ParametersDock) -> None:
    original = TextRequest(
        model="tiny-llm",
        prompt="Why is the sky blue?",
        system="Answer briefly.",
        temperature=0.3,
        top_p=0.9,
        top_k=20,
        max_new_tokens=64,
        seed=7,
        history=(("user", "hi"), ("assistant", "hello")),
    )
    dock.load_request(original)
    assert dock.task == "text"
    assert dock.build_request() == original
    unseeded = original.replace(seed=-1, system="")
    dock.load_request(unseeded)
    assert dock.build_request() == unseeded


@pytest.mark.parametrize(
    "request_",
    [
        TranslateRequest(model="opus-tiny", source="pt", target="en", text="Olá", beams=3),
        TranslateRequest(model="nllb", source="de", target="zh-Hant", file="talk.srt"),
        MusicRequest(
            model="musicgen",
            prompt="calm piano",
            negative_prompt="drums",
            seconds=12.5,
            guidance=4.0,
            steps=50,
            melody="tune.wav",
            format="flac",
            seed=99,
        ),
        MusicRequest(model="musicgen", continue_from="intro.wav"),
        SpeechRequest(
            model="speecht5", text="Hello.", speaker="voice.npy", pause=0.5, format="ogg"
        ),
    ],
    ids=["translate-text", "translate-file", "music", "music-continue", "speech"],
)
def test_other_tasks_round_trip(dock: ParametersDock, request_: Any) -> None:
    dock.load_request(request_)
    assert dock.task == request_.TYPE
    assert dock.build_request() == request_
    seen = emitted(dock)
    dock.generate()
    assert seen == [(request_.TYPE, request_)]


@pytest.mark.parametrize(
    ("task", "message"),
    [
        ("translate", "there is no text to translate (the text is empty)"),
        ("music", "prompt is empty: describe the music (or give a clip to continue)"),
        ("speech", "text is empty: write what should be said"),
    ],
)
def test_other_tasks_refuse_empty_input_inline(
    dock: ParametersDock, task: str, message: str
) -> None:
    dock.set_model("some-model", task)
    seen = emitted(dock)
    dock.generate()
    assert seen == []
    assert dock.error.text() == message


def test_same_language_both_sides_is_refused_inline(dock: ParametersDock) -> None:
    dock.set_model("opus-tiny", "translate")
    form = dock.forms["translate"]
    form.text.setPlainText("Hallo")
    form.target.setCurrentIndex(form.target.findData("en"))
    dock.generate()
    assert dock.error.text() == "source and target language are both en"


def test_seed_beyond_the_range_is_refused_inline(dock: ParametersDock) -> None:
    dock.set_model("sd-tiny", "image")
    seed = dock.forms["image"].seed
    seed.edit.setText("9999999999")
    seed.lock.setChecked(True)
    seen = emitted(dock)
    dock.generate()
    assert seen == []
    assert dock.error.text().startswith("seed")
    assert "\n" not in dock.error.text()
