from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.core.errors import ValidationError
from studio.core.requests import SAMPLER_NAMES, ImageRequest, request_from_json


def make(**changes: object) -> ImageRequest:
    return ImageRequest(**{"model": "/models/sd", "prompt": "a cat", **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"width": 500}, "width must be a multiple of 8 (got 500)"),
        ({"height": 8}, "height must be between 64 and 4096 (got 8)"),
        ({"width": 8192}, "width must be between 64 and 4096 (got 8192)"),
        ({"steps": 0}, "steps must be between 1 and 500 (got 0)"),
        ({"steps": 2.5}, "steps must be a whole number (got 2.5)"),
        ({"steps": True}, "steps must be a whole number (got True)"),
        ({"guidance": -1}, "guidance must be in [0, 100] (got -1)"),
        ({"guidance": float("nan")}, "guidance must be a number (got nan)"),
        (
            {"strength": 0, "mode": "img2img", "init_image": "a.png"},
            "strength must be in (0, 1] (got 0)",
        ),
        ({"strength": 1.5}, "strength must be in (0, 1] (got 1.5)"),
        ({"seed": -2}, "seed must be between -1 and 4294967295 (got -2)"),
        ({"seed": 2**32}, "seed must be between -1 and 4294967295"),
        ({"batch_size": 0}, "batch_size must be between 1 and 64 (got 0)"),
        ({"batch_count": 0}, "batch_count must be between 1 and 10000 (got 0)"),
        ({"sampler": "Euler b"}, "unknown sampler 'Euler b'; known samplers: Default, Euler"),
        ({"mode": "outpaint"}, "mode must be one of txt2img, img2img, inpaint (got 'outpaint')"),
        ({"mode": "img2img"}, "img2img needs an init image"),
        ({"mode": "inpaint", "init_image": "a.png"}, "inpaint needs a mask image"),
        ({"init_image": "a.png"}, "txt2img takes no init image or mask"),
        ({"model": "  "}, "model must name a model"),
        ({"prompt": None}, "prompt must be text (got NoneType)"),
    ],
)
def test_invalid_values_are_refused_with_one_clear_line(changes: dict, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        make(**changes)
    text = str(info.value)
    assert message in text
    assert "\n" not in text


def test_defaults_are_valid_and_sampler_names_are_canonicalised() -> None:
    request = make(sampler="dpm++ 2m  karras")
    assert request.sampler == "DPM++ 2M Karras"
    assert (request.width, request.height, request.steps) == (512, 512, 25)
    assert request.image_count == 1


def test_every_known_sampler_is_accepted() -> None:
    for name in SAMPLER_NAMES:
        assert make(sampler=name).sampler == name


def test_per_image_seeds_follow_a1111_and_wrap() -> None:
    request = make(seed=10, batch_size=2, batch_count=2)
    assert [request.seed_for(i, 10) for i in range(4)] == [10, 11, 12, 13]
    assert request.seed_for(1, 2**32 - 1) == 0


def test_json_has_type_and_schema_and_round_trips() -> None:
    request = make(mode="inpaint", init_image="i.png", mask_image="m.png", strength=0.5)
    data = json.loads(request.to_json())
    assert data["type"] == "image" and data["schema"] == 1
    assert request_from_json(request.to_json()) == request


def test_unknown_fields_and_future_schemas_are_refused() -> None:
    data = json.loads(make().to_json())
    with pytest.raises(ValidationError, match=r"unknown field.*colour"):
        request_from_json(json.dumps({**data, "colour": "red"}))
    with pytest.raises(ValidationError, match="schema 99 is not supported"):
        request_from_json(json.dumps({**data, "schema": 99}))
    with pytest.raises(ValidationError, match="unknown request type 'hologram'"):
        request_from_json(json.dumps({**data, "type": "hologram"}))
    with pytest.raises(ValidationError, match="not valid JSON"):
        request_from_json("{nope")


def test_old_schemas_are_migrated(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend schema 2 renamed `guidance` to `cfg`: a saved schema-1 request still loads.
    monkeypatch.setattr(ImageRequest, "SCHEMA", 2)
    monkeypatch.setattr(
        ImageRequest,
        "MIGRATIONS",
        {
            1: lambda d: (
                {k: v for k, v in d.items() if k != "cfg_scale"} | {"guidance": d["cfg_scale"] * 2}
            )
        },
    )
    saved = {"type": "image", "schema": 1, "model": "m", "prompt": "p", "cfg_scale": 3.0}
    assert ImageRequest.from_dict(saved).guidance == 6.0


sizes = st.integers(8, 512).map(lambda n: n * 8)
requests = st.builds(
    ImageRequest,
    model=st.text(min_size=1, max_size=50).filter(str.strip),
    prompt=st.text(max_size=200),
    negative_prompt=st.text(max_size=100),
    width=sizes,
    height=sizes,
    steps=st.integers(1, 500),
    guidance=st.floats(0, 100, allow_nan=False),
    sampler=st.sampled_from(SAMPLER_NAMES),
    seed=st.integers(-1, 2**32 - 1),
    batch_size=st.integers(1, 64),
    batch_count=st.integers(1, 10_000),
)


@given(requests)
def test_any_valid_request_round_trips_through_json(request: ImageRequest) -> None:
    assert request_from_json(request.to_json()) == request
