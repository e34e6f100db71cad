from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.core.errors import OutputError
from studio.core.outputs.naming import FilenameTemplate, contained, next_index, slug

VALUES = {"date": "2026-11-26", "index": 7, "seed": 42, "prompt": "a cat"}


def test_default_template_renders_date_folder_and_padded_index() -> None:
    assert FilenameTemplate().render(VALUES) == PurePosixPath("2026-11-26/00007-42-a_cat")


@pytest.mark.parametrize(
    "prompt",
    ["../../etc/passwd", "/abs/path", "..", "a\\b\\..\\c", "C:\\Windows", "x\x00y\nz", "   "],
)
def test_values_can_never_add_folders_or_escape(prompt: str, tmp_path: Path) -> None:
    rel = FilenameTemplate("{prompt}").render({"prompt": prompt})
    assert len(rel.parts) == 1
    assert ".." not in rel.parts[0]
    assert contained(tmp_path, rel).parent == tmp_path.resolve()


def test_reserved_windows_names_are_escaped() -> None:
    for name in ("CON", "nul", "com1", "LPT9.txt"):
        assert FilenameTemplate("{prompt}").render({"prompt": name}).name.startswith("_")


def test_long_prompts_are_cut_to_a_safe_length_in_bytes() -> None:
    rel = FilenameTemplate("{index:05d}-{prompt}").render({"index": 1, "prompt": "é" * 500})
    assert len(rel.name.encode()) <= 150
    rel.name.encode().decode()  # still valid UTF-8


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{colour}", "unknown field {colour}"),
        ("../{prompt}", "must not contain '..'"),
        ("/tmp/{prompt}", "must be a relative path"),
        ("C:/x/{prompt}", "must be a relative path"),
        ("{prompt", "is malformed"),
        ("", "is empty"),
    ],
)
def test_bad_templates_are_refused(template: str, message: str) -> None:
    with pytest.raises(OutputError, match=message.replace("(", r"\(").replace("{", r"\{")):
        FilenameTemplate(template)


def test_bad_format_spec_gives_one_line() -> None:
    with pytest.raises(OutputError, match="cannot format"):
        FilenameTemplate("{prompt:05d}").render({"prompt": "x"})


def test_next_index_continues_after_the_highest_number(tmp_path: Path) -> None:
    assert next_index(tmp_path / "missing") == 1
    for name in ("00003-a.png", "00010-b.png", "notes.txt"):
        (tmp_path / name).write_text("")
    assert next_index(tmp_path) == 11


def test_slug_keeps_unicode_words() -> None:
    assert slug("Ein Fuchs im Schnee: 雪") == "Ein_Fuchs_im_Schnee_雪"


@given(st.text(max_size=300), st.text(max_size=40))
def test_any_prompt_and_model_stay_inside_the_output_folder(prompt: str, model: str) -> None:
    root = Path("/tmp/studio-naming-root")
    rel = FilenameTemplate("{model}/{date}/{index:05d}-{seed}-{prompt}").render(
        {**VALUES, "prompt": prompt, "model": model}
    )
    assert len(rel.parts) == 3
    assert all(part not in ("", ".", "..") for part in rel.parts)
    assert contained(root, rel).is_relative_to(root)
