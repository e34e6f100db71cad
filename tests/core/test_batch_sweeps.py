"""Job files with sweeps: TOML and YAML grids, axes, counts and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core.batch import load_job_file
from tests.core.jobfile_helpers import GRID_3X3, error_of, write

# --- sweeps -------------------------------------------------------------------------------


def test_toml_grid_orders_y_then_x_with_labels_and_cells(tmp_path: Path) -> None:
    plan = load_job_file(write(tmp_path, "sweep.toml", GRID_3X3))
    assert len(plan.items) == 9
    assert [i.cell for i in plan.items[:4]] == [(0, 0, 0), (1, 0, 0), (2, 0, 0), (0, 1, 0)]
    assert [(i.request.seed, i.request.guidance) for i in plan.items[3:6]] == [
        (1, 7.0),
        (2, 7.0),
        (3, 7.0),
    ]
    assert plan.items[5].axes == {"x": "seed=3", "y": "guidance=7"}
    assert plan.items[8].axes == {"x": "seed=3", "y": "guidance=9.5"}
    assert plan.grid is not None and plan.grid.z is None
    assert plan.grid.x.field == "seed" and plan.grid.x.labels == ("seed=1", "seed=2", "seed=3")
    assert plan.grid.y is not None and plan.grid.y.labels[2] == "guidance=9.5"
    assert plan.grid.shape == (3, 3, 1)


GRID_YAML = """
base:
  task: image
  model: sd15
  prompt: a lighthouse, {stormy|calm} sea
  width: 64
grid:
  x: {field: sampler, values: [Euler a, DDIM]}
  y: {field: steps, values: [4, 8]}
  z: {field: model, values: [/models/one.safetensors, two]}
"""


def test_yaml_2x2x2_grid_with_model_and_sampler_axes(tmp_path: Path) -> None:
    plan = load_job_file(write(tmp_path, "sweep.yaml", GRID_YAML), model="ignored-by-z-axis")
    assert len(plan.items) == 8
    assert [i.cell for i in plan.items] == [
        (x, y, z) for z in range(2) for y in range(2) for x in range(2)
    ]
    first, last = plan.items[0], plan.items[7]
    assert (first.request.sampler, first.request.steps, first.request.model) == (
        "Euler a",
        4,
        "/models/one.safetensors",
    )
    assert (last.request.sampler, last.request.steps, last.request.model) == ("DDIM", 8, "two")
    assert last.axes == {"x": "sampler=DDIM", "y": "steps=8", "z": "model=two"}
    assert plan.grid is not None and plan.grid.z is not None
    assert plan.grid.z.labels == ("model=one.safetensors", "model=two")
    # One seed and one prompt choice for the whole grid: cells differ by their axes only.
    assert len({i.request.seed for i in plan.items}) == 1
    assert len({i.request.prompt for i in plan.items}) == 1


def test_prompt_search_replace_axis(tmp_path: Path) -> None:
    text = """
[base]
model = "m"
prompt = "a photo of a cat"
negative_prompt = "cat drawing"
[grid]
x = {field = "prompt_sr", values = ["cat", "dog", "red fox"]}
"""
    plan = load_job_file(write(tmp_path, "sr.toml", text))
    assert [i.request.prompt for i in plan.items] == [
        "a photo of a cat",
        "a photo of a dog",
        "a photo of a red fox",
    ]
    assert plan.items[1].request.negative_prompt == "dog drawing"  # as A1111 does
    assert [i.axes["x"] for i in plan.items] == ["cat", "dog", "red fox"]
    assert plan.grid is not None and plan.grid.x.labels == ("cat", "dog", "red fox")


def test_toml_items_with_count_and_model_precedence(tmp_path: Path) -> None:
    text = """
[base]
model = "base-model"
steps = 3
[options]
count = 3
[[items]]
prompt = "first"
[[items]]
prompt = "second"
model = "own-model"
seed = 100
"""
    plan = load_job_file(write(tmp_path, "items.toml", text), model="cli-model")
    requests = [i.request for i in plan.items]
    assert [r.prompt for r in requests] == ["first"] * 3 + ["second"] * 3
    assert [r.model for r in requests] == ["cli-model"] * 3 + ["own-model"] * 3
    assert len({r.seed for r in requests[:3]}) == 3  # repeats get different seeds
    assert [r.seed for r in requests[3:]] == [100, 101, 102]
    assert {r.steps for r in requests} == {3}
    only_base = write(tmp_path, "base.toml", '[base]\nmodel = "m"\nprompt = "solo"\n')
    assert [i.request.prompt for i in load_job_file(only_base).items] == ["solo"]


def test_relative_files_are_read_from_the_job_folder(tmp_path: Path) -> None:
    text = '[base]\nmodel = "m"\nprompt = "p"\nmode = "img2img"\ninit_image = "in/a.png"\n'
    plan = load_job_file(write(tmp_path, "jobs/img.toml", text))
    assert plan.items[0].request.init_image == str(tmp_path / "jobs" / "in" / "a.png")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[base]\nmodel = "m"\nprompt = \n', "3: bad TOML: Invalid value (column 10)"),
        ('model = "m"\n', "1: unknown section 'model'; use base, grid, options, items"),
        ('[base]\nmodel = "m"\nprompt = "p"\nsteps = "many"\n', "4: steps must be a whole"),
        ('[base]\nmodel = "m"\nprompt = "p"\ncfg = 7\n', "4: unknown field 'cfg'"),
        ('[base]\nmodel = "m"\n\nprompt = "p"\nwidth = 100\n', "5: width must be a multiple"),
        (
            '[base]\nmodel = "m"\nprompt = "p"\n[grid]\ny = {field = "seed", values = [1]}\n',
            "4: a grid needs an x axis",
        ),
        (
            '[base]\nmodel = "m"\nprompt = "p"\n[grid]\nx = {field = "cfg", values = [1]}\n',
            "5: axis x: 'cfg' is not a field that can vary",
        ),
        (
            '[base]\nmodel = "m"\nprompt = "p"\n[grid]\nx = {field = "seed", values = []}\n',
            "5: axis x: values must be a non-empty list",
        ),
        (
            '[base]\nmodel="m"\nprompt="p"\n[grid]\nx={field="seed",values=[1]}\n'
            'y={field="seed",values=[2]}\n',
            "6: axis y: seed is already on another axis",
        ),
        (
            '[base]\nmodel = "m"\nprompt = "a cat"\n[grid]\n\n[grid.x]\nfield = "prompt_sr"\n'
            'values = ["dog", "cat"]\n',
            "6: prompt_sr: 'dog' is not in the prompt",
        ),
        (
            '[base]\nmodel = "m"\nprompt = "p"\n[grid]\nx = {field = "steps", values = [2, 0]}\n',
            "5: steps must be between 1 and 500 (got 0)",
        ),
        (
            '[base]\nmodel = "m"\nprompt = "p"\n[options]\ncount = 2\n[grid]\n'
            'x = {field = "seed", values = [1]}\n',
            "5: count repeats items of sweeps without a grid",
        ),
        ('[base]\nmodel = "m"\n[options]\ncolour = 1\n', "4: unknown option 'colour'"),
        (
            '[base]\nmodel = "m"\n[[items]]\nprompt = "a"\n[[items]]\nprompt = "b"\nsteps = 0\n',
            "7: steps must be between 1 and 500",
        ),
        ('[base]\nmodel = "m"\nprompt = "p"\ntask = "video"\n', "4: unknown task 'video'"),
    ],
)
def test_toml_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "sweep.toml", text)
    assert error_of(path).startswith(f"{path}:{message}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("base:\n  model: m\n  prompt: [unclosed\n", "4: bad YAML:"),
        ("base:\n  model: m\n  prompt: p\n  steps: 0\n", "4: steps must be between 1 and 500"),
        ("base:\n  model: m\nitems:\n  - prompt: a\n  - prompt: b\n    cfg: 3\n", "6: unknown"),
        ("- just\n- a list\n", " a sweep must be a table of sections"),
        ("base:\n  model: m\n  task: [image]\n", "3: unknown task ['image']"),
    ],
)
def test_yaml_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "sweep.yml", text)
    assert error_of(path).startswith(f"{path}:{message}")
