"""Settings take effect per job: output folder, template, device, precision, stripped
metadata and the model cache's memory budget, without restarting anything."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from studio.core.errors import OutputError, StudioError
from studio.core.outputs.reader import read_parameters
from studio.core.outputs.record import STUDIO_KEY, OutputRecord
from studio.core.outputs.writer import OutputWriter
from studio.core.outputs.xmp import TRAINED_ALGORITHMIC, XMP_KEY, read_source_type
from studio.core.paths import data_paths, default_output_dir
from studio.core.settings import PRECISIONS, Settings, save_settings
from studio.models.cache import GIB
from studio.runtime import generation_jobs
from studio.runtime.generation import RunResult
from studio.runtime.generation_jobs import generation_handlers, job_setup
from studio.runtime.jobs import Job, JobContext
from tests.helpers import tiny_request

pytestmark = pytest.mark.usefixtures("one_torch_thread")


class Run:
    """Runs one job through the studio's handlers, as a device worker would."""

    def __init__(self, database: Path, **kwargs: Any) -> None:
        self.registry = generation_handlers(database, **kwargs)
        self.notes: list[str] = []

    def __call__(self, request: Any, device: str = "cpu") -> list[Path]:
        job = Job(id=1, task=request.TYPE, request_json=request.to_json())
        ctx = JobContext(device, threading.Event(), lambda *a: None, lambda *a: None,
                         self.notes.append)  # fmt: skip
        return [Path(p) for p in self.registry.get(request.TYPE)(job, ctx) or []]


def test_jobs_follow_the_saved_settings_from_one_job_to_the_next(
    tiny_sd: Path, tmp_path: Path
) -> None:
    out = tmp_path / "chosen"
    out.mkdir()
    save_settings(Settings(output_folder=str(out), filename_template="{task}/{seed}-{prompt}"))
    run = Run(tmp_path / "db.sqlite3")
    [first] = run(tiny_request(tiny_sd, prompt="a red fox", seed=11))
    assert first == out / "image" / "11-a_red_fox.png"
    restored = read_parameters(first)  # full metadata by default
    assert restored.source == "studio" and restored.ai_label == TRAINED_ALGORITHMIC
    # The user turns on stripping and changes the template: the next job follows.
    save_settings(Settings(output_folder=str(out), filename_template="{seed}",
                           strip_metadata=True))  # fmt: skip
    [second] = run(tiny_request(tiny_sd, prompt="a secret prompt", seed=12))
    assert second == out / "12.png"
    with Image.open(second) as image:
        info = dict(image.info)
    assert "parameters" not in info and STUDIO_KEY not in info and "Software" not in info
    assert read_source_type(str(info[XMP_KEY])) == TRAINED_ALGORITHMIC  # the AI label stays
    assert "secret" not in second.read_bytes().decode("latin-1")
    assert "CreateDate" not in str(info[XMP_KEY])
    with pytest.raises(StudioError, match="carries no generation parameters"):
        read_parameters(second)
    assert run.notes == []


def test_an_unreadable_settings_file_runs_with_defaults_and_says_so(
    tiny_sd: Path, tmp_path: Path
) -> None:
    data_paths().ensure().settings.write_text("{broken")
    run = Run(tmp_path / "db.sqlite3")
    [made] = run(tiny_request(tiny_sd))
    assert made.is_relative_to(default_output_dir())
    assert len(run.notes) == 1 and "used the default settings" in run.notes[0]


def test_device_and_precision_come_from_the_settings_at_each_job(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[tuple[str, str, OutputWriter]] = []

    def run_request(request: Any, stores: Any, device: str, precision: str, *_: Any,
                    **__: Any) -> Any:  # fmt: skip
        seen.append((device, precision, stores.writer))
        return RunResult()

    monkeypatch.setattr(generation_jobs, "run_request", run_request)
    current = Settings()
    run = Run(tmp_path / "db.sqlite3", settings=lambda: current)
    run(tiny_request(tmp_path), device="cuda:1")
    current = Settings(device="cpu", precision="bf16", strip_metadata=True)
    run(tiny_request(tmp_path), device="cuda:1")
    (d1, p1, w1), (d2, p2, w2) = seen
    assert (d1, p1, w1.strip_metadata) == ("cuda:1", "auto", False)  # auto: the worker's device
    assert (d2, p2, w2.strip_metadata) == ("cpu", "bf16", True)
    assert w1.out_dir == default_output_dir()


def test_explicit_folder_and_template_win_and_a_bad_template_is_one_line(tmp_path: Path) -> None:
    def saved() -> Settings:
        return Settings(output_folder=str(tmp_path / "x"), filename_template="{seed}")

    setup = job_setup(saved, "cpu", tmp_path / "given", "{task}")
    assert setup.writer.out_dir == tmp_path / "given" and setup.writer.template.template == "{task}"
    with pytest.raises(OutputError, match=r"unknown field \{nope\}"):
        job_setup(lambda: Settings(filename_template="{nope}"), "cpu")


def test_stripped_text_sidecars_keep_only_the_label(tmp_path: Path) -> None:
    record = OutputRecord(tiny_request(tmp_path, prompt="private words"), seed=1)
    writer = OutputWriter(tmp_path, strip_metadata=True).for_item(3)  # items keep the option
    path, _sha = writer.write_text("hello", record)
    sidecar = json.loads(path.with_name(path.name + ".json").read_text())
    assert sidecar["ai_generated"] is True and sidecar["digital_source_type"] == TRAINED_ALGORITHMIC
    assert "request" not in sidecar and "private" not in json.dumps(sidecar)


def test_the_memory_budget_follows_the_settings(tiny_sd: Path) -> None:
    from studio.runtime.loaded_models import apply_memory_budget, load_engine, model_cache

    cache = model_cache()
    try:
        save_settings(Settings(memory_budget_gb=64))
        load_engine("image", str(tiny_sd), "cpu", "fp32")
        load_engine("image", str(tiny_sd), "auto", "fp32")  # another key: two models kept
        assert cache.budget == 64 * GIB and len(cache.loaded()) >= 2
        save_settings(Settings(memory_budget_gb=0.5))
        assert apply_memory_budget() == int(0.5 * GIB)  # at once, when the GUI asks
        save_settings(Settings(memory_budget_gb=1e-6))  # about 1 KB: only the newest fits
        load_engine("image", str(tiny_sd), "auto", "fp32")  # the next load applies it too
        assert cache.budget == int(1e-6 * GIB) and len(cache.loaded()) == 1
    finally:
        apply_memory_budget(Settings())
        cache.clear()


def test_the_precision_list_matches_the_engines() -> None:
    from studio.engines.devices import DTYPES

    assert set(PRECISIONS) == {"auto", *DTYPES}
