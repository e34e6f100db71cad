"""Every registered task is reachable from the window: its page in the task bar, its form
in the Parameters dock (which builds that task's request), and the viewer its outputs open in."""

from __future__ import annotations

from typing import Any

import pytest

from studio.core.modalities import MODALITIES, pages
from studio.gui.parameters import ParametersDock
from studio.gui.task_bar import TaskBar
from studio.gui.task_labels import MARKS
from studio.gui.viewers import viewer_kind


def test_the_task_bar_has_a_page_for_every_page_of_the_registry(qtbot: Any) -> None:
    bar = TaskBar()
    qtbot.addWidget(bar)
    assert tuple(bar.actions_by_task) == pages()
    assert {m.page for m in MODALITIES} <= set(bar.actions_by_task)


@pytest.mark.parametrize("entry", MODALITIES, ids=lambda m: m.name)
def test_every_task_has_a_form_that_builds_its_request(entry, qtbot: Any, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dock = ParametersDock()
    qtbot.addWidget(dock)
    dock.set_model("tiny-model", entry.name)
    form = dock.forms[dock.form_tasks[entry.name]]
    if hasattr(form, "text") and hasattr(form.text, "setPlainText"):  # translate, speech
        form.text.setPlainText("Hello.")
    if hasattr(form, "prompt") and hasattr(form.prompt, "setPlainText"):
        form.prompt.setPlainText("a lighthouse")
    request = dock.build_request()
    assert request is not None, dock.error.text()
    assert isinstance(request, entry.request) or entry.name == "code"  # code: the text form
    assert request.model == "tiny-model"
    dock.load_request(request)  # and fills back from one (reuse parameters, drops)
    assert dock.build_request() == request


def test_every_task_has_a_viewer_and_a_translated_label(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for entry in MODALITIES:
        assert viewer_kind(tmp_path / "x.out", entry.name) == entry.viewer
        assert entry.label in MARKS  # lupdate sees it, so it gets translated
