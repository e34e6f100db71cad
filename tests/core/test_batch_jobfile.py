"""Job files to plans: every format, sweeps, prompts, seeds, input folders, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.core.batch import derive_seed, load_job_file
from studio.core.requests import (
    ImageRequest,
    MusicRequest,
    SpeechRequest,
    TextRequest,
    TranslateRequest,
)
from tests.core.jobfile_helpers import GRID_3X3, error_of, write

# --- .txt -------------------------------------------------------------------------------


def test_txt_one_image_item_per_prompt_line(tmp_path: Path) -> None:
    path = write(tmp_path, "jobs.txt", "# my prompts\na red fox\n\n  a blue bird  \n")
    plan = load_job_file(path, model="sd15")
    assert [i.request.prompt for i in plan.items] == ["a red fox", "a blue bird"]
    assert all(isinstance(i.request, ImageRequest) for i in plan.items)
    assert {i.request.model for i in plan.items} == {"sd15"}
    assert [i.index for i in plan.items] == [0, 1]
    assert plan.items[1].id.startswith("00001-") and len(plan.items[1].id) == 16
    assert plan.grid is None and plan.items[0].cell is None and plan.items[0].axes == {}
    assert plan.source == path


def test_txt_needs_a_model(tmp_path: Path) -> None:
    path = write(tmp_path, "jobs.txt", "a fox\n")
    assert error_of(path) == f"{path}: a .txt job file needs --model (the model for every line)"


# --- seeds --------------------------------------------------------------------------------


def test_seeds_derive_from_the_file_and_index(tmp_path: Path) -> None:
    path = write(tmp_path, "jobs.txt", "".join(f"prompt {n}\n" for n in range(20)))
    first, again = load_job_file(path, model="m"), load_job_file(path, model="m")
    seeds = [i.request.seed for i in first.items]
    assert seeds == [i.request.seed for i in again.items]
    assert [i.id for i in first.items] == [i.id for i in again.items]
    assert len(set(seeds)) == 20 and all(0 <= s <= 2**32 - 1 for s in seeds)
    assert seeds[3] == derive_seed(first.fingerprint, 3)
    other = load_job_file(path, model="other")  # the model override is part of the fingerprint
    assert other.fingerprint != first.fingerprint
    assert [i.request.seed for i in other.items] != seeds


def test_derive_seed_is_stable_and_in_range() -> None:
    values = {derive_seed("f" * 64, n) for n in range(1000)}
    assert len(values) == 1000 and min(values) >= 0 and max(values) <= 2**32 - 1
    assert derive_seed("abc", 7) == derive_seed("abc", 7) != derive_seed("abd", 7)


def test_explicit_seeds_are_kept_and_minus_one_is_derived(tmp_path: Path) -> None:
    path = write(tmp_path, "jobs.csv", "prompt,seed\na,42\nb,-1\nc,\n")
    plan = load_job_file(path, model="m")
    assert plan.items[0].request.seed == 42
    assert plan.items[1].request.seed == derive_seed(plan.fingerprint, 1)
    assert plan.items[2].request.seed == derive_seed(plan.fingerprint, 2)


# --- .csv ---------------------------------------------------------------------------------


CSV = """task,model,prompt,steps,guidance,loras,text,source,target
,,"a cat, sitting",12,5.5,style:0.8;C:\\loras\\detail.safetensors:0.3,,,
music,musicgen,calm piano,,,,,,
speech,tts,,,,,hello there,,
translate,opus,,,,,good morning,en,de
text,,"a poem, please",,,,,,
"""


def test_csv_rows_with_per_row_task_and_model(tmp_path: Path) -> None:
    plan = load_job_file(write(tmp_path, "jobs.csv", CSV), model="sd15")
    image, music, speech, translate, text = (i.request for i in plan.items)
    assert isinstance(image, ImageRequest) and image.model == "sd15"
    assert (image.prompt, image.steps, image.guidance) == ("a cat, sitting", 12, 5.5)
    assert image.loras == (("style", 0.8), ("C:\\loras\\detail.safetensors", 0.3))
    assert isinstance(music, MusicRequest) and music.model == "musicgen"
    assert music.prompt == "calm piano" and music.steps == 100  # empty cells: defaults
    assert isinstance(speech, SpeechRequest) and speech.text == "hello there"
    assert isinstance(translate, TranslateRequest) and (translate.source, translate.target) == (
        "en",
        "de",
    )
    assert isinstance(text, TextRequest) and text.model == "sd15"


def test_csv_without_any_model_names_the_row(tmp_path: Path) -> None:
    path = write(tmp_path, "jobs.csv", "prompt\na cat\n")
    assert error_of(path) == f"{path}:2: an image item needs model (give --model or a model field)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("prompt,colour\na,red\n", "1: column 'colour' is not a request field"),
        ("prompt,prompt\na,b\n", "1: column 'prompt' is twice in the header"),
        ("prompt,steps\na,10\nb,0\n", "3: steps must be between 1 and 500 (got 0)"),
        ("prompt,steps\na,ten\n", "2: steps must be a whole number (got 'ten')"),
        ("prompt,guidance\na,high\n", "2: guidance must be a number (got 'high')"),
        ("prompt,sampler\na,Fast\n", "2: unknown sampler 'Fast'; known samplers:"),
        ("task,prompt\nvideo,a\n", "2: unknown task 'video'; tasks: image, text, code"),
        ("task,text,guidance\nspeech,hi,3\n", "2: unknown field 'guidance' for a speech item"),
        ("task,text\ntranslate,hi\n", "2: a translate item needs source, target"),
        ("prompt,steps\na,1,2\n", "2: 3 cells, but the header has 2 columns"),
        ('prompt\na\n"open\n', "3: bad CSV: unexpected end of data"),
        ('prompt\n"a" b\n', "2: bad CSV: ',' expected after '\"'"),
        ('prompt,steps\n"two\nlines",0\n', "2: steps must be between 1 and 500"),
        ("", "the CSV file is empty (it needs a header row)"),
    ],
)
def test_csv_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "jobs.csv", text)
    got = error_of(path, model="m")
    assert got.startswith(f"{path}:{message}" if message[0].isdigit() else f"{path}: {message}")


def test_non_utf8_file_is_one_line_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "jobs.csv", b"prompt\ncaf\xe9\n")
    assert error_of(path, model="m") == (f"{path}:2: not UTF-8 text (byte 0xe9); save it as UTF-8")


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "jobs.csv", "\ufeffprompt,steps\na,3\n".encode())
    assert load_job_file(path, model="m").items[0].request.steps == 3


# --- .jsonl -------------------------------------------------------------------------------


def test_jsonl_rows_and_replayed_requests(tmp_path: Path) -> None:
    saved = TextRequest(model="llm", prompt="hi", seed=5, stop=("\n",)).to_json()
    lines = [
        json.dumps({"prompt": "a cat", "loras": [["style", 0.5]], "width": 640, "seed": None}),
        json.dumps({"task": "code", "model": "coder", "prompt": "fizzbuzz {in python}"}),
        saved,  # a request's own JSON ("type", "schema") runs as it is
        "",
    ]
    plan = load_job_file(write(tmp_path, "jobs.jsonl", "\n".join(lines)), model="sd")
    image, code, text = (i.request for i in plan.items)
    assert image.loras == (("style", 0.5),) and image.width == 640 and image.model == "sd"
    assert code.TYPE == "code" and code.prompt == "fizzbuzz {in python}"  # code: no templates
    assert text == TextRequest(model="llm", prompt="hi", seed=5, stop=("\n",))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"prompt": "a"}\n{"prompt": "b",}\n', "2: bad JSON: Expecting property name"),
        ('{"prompt": "a"}\n["b"]\n', "2: each line must be a JSON object {...}"),
        ('{"prompt": "a", "cfg": 7}\n', "1: unknown field 'cfg' for an image item"),
        ('\n{"prompt": "a", "width": 100}\n', "2: width must be a multiple of 8 (got 100)"),
        ('{"prompt": "a", "loras": [["x", 9]]}\n', "1: weight of LoRA x must be in [-5, 5]"),
    ],
)
def test_jsonl_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "jobs.jsonl", text)
    assert error_of(path, model="m").startswith(f"{path}:{message}")


# --- prompts: wildcards and alternatives ------------------------------------------------


def test_wildcards_and_alternatives_are_deterministic_per_item(tmp_path: Path) -> None:
    write(tmp_path, "wildcards/animal.txt", "# animals\nfox\n\nowl\ncat\n__colour__ hare\n")
    write(tmp_path, "wildcards/colour.txt", "red\n{pale|dark} blue\n")
    lines = "".join(f"a __animal__ in a {{forest|{{snowy|misty}} field|town}} \\{{{n}\\}}\n"
                    for n in range(30))  # fmt: skip
    path = write(tmp_path, "jobs.txt", lines)
    first = [i.request.prompt for i in load_job_file(path, model="m").items]
    assert first == [i.request.prompt for i in load_job_file(path, model="m").items]
    assert len(set(first)) > 5  # items choose differently
    assert all("__" not in p and "|" not in p and "{" not in p.rsplit(" ", 1)[0] for p in first)
    assert first[7].endswith("{7}")  # \{ and \} are literal braces
    places = {p.split(" in a ")[1].rsplit(" ", 1)[0] for p in first}
    assert places <= {"forest", "snowy field", "misty field", "town"} and len(places) > 2


def test_wildcard_folder_option_and_errors(tmp_path: Path) -> None:
    write(tmp_path, "words/style/art.txt", "ink\n")
    ok = '[base]\nmodel = "m"\nprompt = "__style/art__"\n[options]\nwildcards = "words"\n'
    assert load_job_file(write(tmp_path, "ok.toml", ok)).items[0].request.prompt == "ink"
    missing = write(tmp_path, "missing.txt", "fine\na __nothing__ here\n")
    assert error_of(missing, model="m") == (
        f"{missing}:2: prompt: wildcard __nothing__ has no file "
        f"{tmp_path / 'wildcards' / 'nothing.txt'}"
    )
    unclosed = write(tmp_path, "unclosed.txt", "a {b|c\n")
    assert error_of(unclosed, model="m") == (
        f"{unclosed}:1: prompt: unclosed '{{' in prompt (write \\{{ for a literal brace)"
    )
    write(tmp_path, "wildcards/loop.txt", "again __loop__\n")
    looping = write(tmp_path, "loop.txt", "__loop__\n")
    assert "wildcard __loop__ nests too deeply" in error_of(looping, model="m")


# --- input folders ------------------------------------------------------------------------


def test_input_folder_makes_img2img_and_translate_items(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    for name in ("b.png", "a.JPG", "c.webp", "notes.txt", ".hidden.png"):
        write(photos, name, b"x")
    plan = load_job_file(
        write(tmp_path, "style.txt", "oil painting\nwatercolour\n"), model="m", input_dir=photos
    )
    assert [(Path(i.request.init_image).name, i.request.prompt) for i in plan.items] == [
        ("a.JPG", "oil painting"),
        ("b.png", "oil painting"),
        ("c.webp", "oil painting"),
        ("a.JPG", "watercolour"),
        ("b.png", "watercolour"),
        ("c.webp", "watercolour"),
    ]
    assert {i.request.mode for i in plan.items} == {"img2img"}
    docs = tmp_path / "docs"
    for name in ("one.md", "two.srt", "three.txt", "skip.png"):
        write(docs, name, "text")
    job = write(tmp_path, "tr.toml", '[base]\ntask = "translate"\nsource = "en"\ntarget = "fr"\n')
    plan = load_job_file(job, model="opus", input_dir=docs)
    assert [Path(i.request.file).name for i in plan.items] == ["one.md", "three.txt", "two.srt"]
    assert all(isinstance(i.request, TranslateRequest) for i in plan.items)


def test_input_folder_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    job = write(tmp_path, "jobs.txt", "a\n")
    assert error_of(job, model="m", input_dir=empty) == (
        f"{empty}: no .png .jpg .jpeg .webp files for image items"
    )
    assert error_of(job, model="m", input_dir=tmp_path / "nope").endswith(
        "the input folder does not exist or is not a folder"
    )
    music = write(tmp_path, "music.toml", '[base]\ntask = "music"\nmodel = "m"\nprompt = "p"\n')
    assert "works with image and translate items (this one is music)" in error_of(
        music, input_dir=empty
    )
    grid = write(tmp_path, "grid.toml", GRID_3X3)
    assert error_of(grid, input_dir=empty) == f"{grid}: a grid cannot run over an input folder"


# --- the file itself ----------------------------------------------------------------------


def test_unreadable_job_files(tmp_path: Path) -> None:
    assert (
        error_of(tmp_path / "gone.csv", model="m") == f"{tmp_path / 'gone.csv'}: no such job file"
    )
    odd = write(tmp_path, "jobs.xlsx", "x")
    assert "unknown job file type '.xlsx'" in error_of(odd)
    empty = write(tmp_path, "empty.txt", "# nothing yet\n")
    assert error_of(empty, model="m") == f"{empty}: the job file has no items"
