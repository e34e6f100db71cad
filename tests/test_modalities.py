"""The modality registry is the one list of tasks: every registered task is reachable from
`studio generate`, a batch job file, preload and (tests/gui/test_registry_gui.py) the GUI,
and no other module keeps a tuple, list, set or dict of task names of its own."""

from __future__ import annotations

import argparse
import ast
import inspect
from pathlib import Path

import pytest

from studio.core.batch.fields import make_draft, task_of
from studio.core.errors import ValidationError
from studio.core.modalities import MODALITIES, canonical_task, load_ref, modality, task_names
from studio.core.requests import request_from_dict
from studio.runtime.preload import preload_task

STUDIO = Path(__file__).resolve().parents[1] / "studio"
REGISTRY = STUDIO / "core" / "modalities.py"
NAMES = {*task_names(), *(old for m in MODALITIES for old in m.old_names)}


def generate_subcommands() -> set[str]:
    from studio.cli import generate_command

    parser = argparse.ArgumentParser()
    generate_command.register(parser.add_subparsers())
    [generate] = [
        a for a in parser._subparsers._actions if isinstance(a, argparse._SubParsersAction)
    ]  # type: ignore[union-attr]
    [tasks] = [a for a in generate.choices["generate"]._actions
               if isinstance(a, argparse._SubParsersAction)]  # fmt: skip
    return set(tasks.choices)


def test_every_task_has_a_studio_generate_subcommand_and_nothing_else_does() -> None:
    assert generate_subcommands() == set(task_names())


@pytest.mark.parametrize("entry", MODALITIES, ids=lambda m: m.name)
def test_every_task_is_a_batch_job_file_task(entry, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert task_of({"task": entry.name}) == entry.name
    assert task_of({"type": entry.request.TYPE}) == entry.name  # a saved request replays
    for old in entry.old_names:
        assert task_of({"task": old}) == entry.name  # old job files stay readable
    draft = make_draft({"task": entry.name, "model": "m"}, source=tmp_path / "jobs.jsonl",
                       line=1, base_dir=tmp_path)  # fmt: skip
    assert draft.request_class is entry.request
    for alias, field in entry.batch_aliases.items():
        assert field in inspect.signature(entry.request).parameters, alias


@pytest.mark.parametrize("entry", MODALITIES, ids=lambda m: m.name)
def test_every_task_loads_through_preload_and_its_backends(entry) -> None:  # type: ignore[no-untyped-def]
    assert entry.name == entry.request.TYPE  # one name: request type, job, gallery, CLI
    for model_task in entry.model_tasks:
        if model_task != "unknown":
            assert preload_task(model_task) is not None
            assert entry.backend_for(model_task, "", (entry.backends[0].families[:1] and
                                     entry.backends[0].families[0]) or "") is not None  # fmt: skip
    for backend in entry.backends:
        engine = load_ref(backend.engine)
        assert callable(engine.load) and callable(engine.run), backend.engine
        loads = inspect.signature(engine.load).parameters
        assert all(name in loads for name in backend.load_options), backend.engine
    assert load_ref(entry.recorder).add
    assert callable(load_ref(entry.cli))
    for ref in entry.warm:
        load_ref(ref)
    assert entry.viewer in ("image", "audio", "text")


def test_old_names_still_read_in_requests_and_unknown_tasks_are_one_line() -> None:
    old = request_from_dict({"type": "image-unconditional", "model": "m", "steps": 3})
    assert old.TYPE == "unconditional" and canonical_task("latent-walk") == "walk"
    with pytest.raises(ValidationError, match=r"^unknown task 'video'; tasks: image, text"):
        modality("video")


def literal_task_lists(tree: ast.AST) -> list[tuple[int, list[str]]]:
    """Collections written out with two or more task names in them (elements or keys)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None] + list(node.values)
        else:
            continue
        names = sorted({i.value for i in items if isinstance(i, ast.Constant) and i.value in NAMES})
        if len(names) >= 2:
            found.append((node.lineno, names))
    return found


def test_no_module_but_the_registry_keeps_its_own_list_of_tasks() -> None:
    offenders = []
    for path in sorted(STUDIO.rglob("*.py")):
        if path == REGISTRY:
            continue
        for line, names in literal_task_lists(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{path.relative_to(STUDIO.parent)}:{line}: {', '.join(names)}")
    assert offenders == []


def test_the_scan_finds_a_planted_task_table() -> None:
    planted = 'RUNNERS = {"image": 1, "text": 2}\nTASKS = ("music", "speech")\n'
    assert [names for _, names in literal_task_lists(ast.parse(planted))] == [
        ["image", "text"], ["music", "speech"]]  # fmt: skip
