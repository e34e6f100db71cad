"""Every engine the registry names keeps one contract: loaded from a ModelSpec on a device,
the same identity fields, and run(request, events) yielding what its recorder writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core.modalities import MODALITIES, modality
from studio.core.requests import (
    CodeRequest,
    ImageRequest,
    LatentWalkRequest,
    MusicRequest,
    SpeechRequest,
    TextRequest,
    TranslateRequest,
    UnconditionalRequest,
)
from studio.engines.contract import Engine, Events
from studio.engines.devices import dtype_name
from studio.models.spec import resolve
from studio.runtime.loaded_models import load_engine

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from studio.demo_models.install import create_demo_models

    return {path.name: path for path in create_demo_models(tmp_path_factory.mktemp("demo"))}


def small_request(task: str, demo: dict[str, Path]):  # type: ignore[no-untyped-def]
    image, text = str(demo["demo-image"]), str(demo["demo-text"])
    return {
        "image": ImageRequest(model=image, prompt="a fox", width=64, height=64, steps=2, seed=1),
        "text": TextRequest(model=text, prompt="Hi", max_new_tokens=4, seed=1),
        "code": CodeRequest(model=text, prompt="add", max_new_tokens=4, seed=1),
        "translate": TranslateRequest(model=str(demo["demo-translate-pt-en"]), source="pt",
                                      target="en", text="Olá."),
        "music": MusicRequest(model=str(demo["demo-music"]), prompt="piano", seconds=0.5, seed=1),
        "speech": SpeechRequest(model=str(demo["demo-speech"]), text="hello", seed=1),
        "unconditional": UnconditionalRequest(model=str(demo["demo-unconditional"]), steps=2, seed=1),
        "walk": LatentWalkRequest(model=image, seeds=(1, 2), prompts=("a fox",), frames_between=0,
                                  width=64, height=64, steps=2),
    }[task]  # fmt: skip


def test_a_request_for_every_task_is_covered() -> None:
    assert {m.name for m in MODALITIES} == {
        "image", "text", "code", "translate", "music", "speech", "unconditional", "walk"}  # fmt: skip


@pytest.mark.parametrize("task", [m.name for m in MODALITIES])
def test_every_engine_keeps_the_contract(task: str, demo: dict[str, Path]) -> None:
    request = small_request(task, demo)
    engine = load_engine(task, request.model, "cpu", "fp32")
    spec = resolve(request.model)
    assert isinstance(engine, Engine)  # load, run, memory_bytes, release, busy, identity
    assert (engine.name, engine.path, engine.family) == (spec.name, spec.path, spec.family)
    assert str(engine.device) == "cpu" and dtype_name(engine.dtype) == "fp32"
    steps: list[tuple[int, int]] = []
    outputs = list(engine.run(request, Events(progress=lambda d, t: steps.append((d, t)))))
    assert outputs and steps and steps[-1][0] <= steps[-1][1]
    assert modality(task).backend_for(spec.task, spec.format, spec.family) is not None
