from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from studio.core.outputs.a1111 import format_parameters, parse_parameters, quote

REAL_A1111 = (
    "masterpiece, (a fox:1.2), snow\n"
    "Negative prompt: blurry, lowres\n"
    "Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 965400086, "
    'Size: 512x768, Model hash: 45dee52b10, Model: dreamshaper_8, Lora hashes: "fox: 1a2b3c", '
    "Version: v1.10.1"
)


def test_parses_a_real_a1111_block() -> None:
    prompt, negative, params = parse_parameters(REAL_A1111)
    assert prompt == "masterpiece, (a fox:1.2), snow"
    assert negative == "blurry, lowres"
    assert params["Steps"] == "20"
    assert params["Seed"] == "965400086"
    assert params["Size"] == "512x768"
    assert params["Lora hashes"] == "fox: 1a2b3c"
    assert params["Schedule type"] == "Karras"


def test_negative_line_is_omitted_when_empty_and_values_are_quoted() -> None:
    text = format_parameters("p", "", {"Steps": 4, "Model": "a, b", "Skip": None})
    assert text == 'p\nSteps: 4, Model: "a, b"'
    assert quote("x:y") == '"x:y"'
    assert quote("plain") == "plain"


def test_text_without_parameter_line_is_all_prompt() -> None:
    assert parse_parameters("just a prompt\nover two lines") == (
        "just a prompt\nover two lines",
        "",
        {},
    )


prompt_text = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=80
).filter(lambda s: s.strip() == s and not s.startswith("Negative prompt:") and s.strip())


@given(prompt_text, st.one_of(st.just(""), prompt_text), st.integers(0, 2**32 - 1),
       st.integers(1, 150), st.text(max_size=30))  # fmt: skip
def test_format_then_parse_round_trips(
    prompt: str, negative: str, seed: int, steps: int, model: str
) -> None:
    text = format_parameters(prompt, negative, {"Steps": steps, "Sampler": "Euler a",
                                                "Seed": seed, "Model": model or None})  # fmt: skip
    got_prompt, got_negative, params = parse_parameters(text)
    assert (got_prompt, got_negative) == (prompt, negative)
    assert params["Seed"] == str(seed) and params["Steps"] == str(steps)
    if model.strip() and model == model.strip():
        assert params["Model"] == model
