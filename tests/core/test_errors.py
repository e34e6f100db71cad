"""core.errors.one_line: the one line a user sees for an exception or an error text."""

from __future__ import annotations

import pytest

from studio.core.errors import MAX_LINE, ModelError, one_line


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (ValueError("boom\nlong details"), "boom"),
        (ValueError("\n  \n  first real line  \nmore"), "first real line"),
        (ValueError(), "ValueError"),  # no message: the type says what happened
        (KeyError("steps"), "'steps'"),
        ("  text\nrest", "text"),
        ("", ""),
    ],
)
def test_the_first_non_blank_line(error: BaseException | str, line: str) -> None:
    assert one_line(error) == line


def test_typed_names_the_type_except_for_a_studio_error() -> None:
    assert one_line(ValueError("boom\nx"), typed=True) == "ValueError: boom"
    assert one_line(RuntimeError(), typed=True) == "RuntimeError"
    assert one_line(ModelError("model x not found"), typed=True) == "model x not found"


def test_long_lines_are_cut_with_an_ellipsis() -> None:
    long = "x" * 1000
    assert one_line(long) == "x" * (MAX_LINE - 1) + "…"
    assert one_line(ValueError(long), 10, typed=True) == "ValueErro…"
    assert one_line(long, None) == long
    assert one_line("x" * 10, 10) == "x" * 10
