"""`studio models demo`: a first run with no models gets a labelled model for every task."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.cli.main import main
from studio.core.paths import data_paths
from studio.demo_models import DEMO_NOTE
from studio.models.catalog import ModelCatalog


def test_demo_models_are_built_cataloged_labelled_and_usable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["models", "demo"]) == 0
    assert "6 demo model(s)" in capsys.readouterr().err
    with ModelCatalog(data_paths().database) as catalog:
        demos = {e.name: e for e in catalog.entries() if e.name.startswith("demo-")}
    assert {e.task for e in demos.values()} == {
        "image", "text", "translate", "music", "speech", "unconditional"}  # fmt: skip
    assert all(e.notes == DEMO_NOTE for e in demos.values())
    assert main(["models", "demo"]) == 0  # idempotent: nothing rebuilt
    assert "building" not in capsys.readouterr().err
    argv = ["generate", "image", "--model", "demo-image", "--prompt", "x", "--steps", "2",
            "--size", "64", "--out", str(tmp_path)]  # fmt: skip
    assert main(argv) == 0
    assert Path(capsys.readouterr().out.strip()).is_file()
