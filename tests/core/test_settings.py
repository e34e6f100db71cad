"""Settings: JSON in the data folder, checked types on load, one-line validation errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.core.errors import StudioError
from studio.core.offline import downloads_allowed, require_downloads_allowed
from studio.core.paths import data_paths
from studio.core.settings import Settings, load_settings, save_settings


def test_defaults_are_offline_keep_metadata_and_follow_the_system_language() -> None:
    settings = load_settings()  # no file yet
    assert settings == Settings()
    assert settings.offline and not settings.strip_metadata and settings.language == ""
    assert settings.validate() == []


def test_save_and_load_round_trip_every_field(tmp_path: Path) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    settings = Settings(
        model_folders=[str(folder)], output_folder=str(tmp_path), filename_template="{seed}",
        device="cuda:1", precision="bf16", memory_budget_gb=6.5, offline=False,
        strip_metadata=True, language="pt_BR",
    )  # fmt: skip
    save_settings(settings)
    assert load_settings() == settings
    assert json.loads(data_paths().settings.read_text())["language"] == "pt_BR"


def test_an_older_file_gets_defaults_for_new_fields_and_unknown_keys_are_ignored() -> None:
    path = data_paths().ensure().settings
    path.write_text(json.dumps({"device": "cpu", "from_a_newer_version": 1}))
    assert load_settings() == Settings(device="cpu")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is unreadable"),
        ("[1, 2]", "does not hold a JSON object"),
        ('{"memory_budget_gb": "lots"}', "memory_budget_gb has a value of the wrong type"),
        ('{"memory_budget_gb": true}', "memory_budget_gb has a value of the wrong type"),
        ('{"offline": "no"}', "offline has a value of the wrong type"),
        ('{"model_folders": ["a", 3]}', "model_folders has a value of the wrong type"),
    ],
)
def test_a_broken_file_is_one_line_that_names_the_problem(content: str, message: str) -> None:
    path = data_paths().ensure().settings
    path.write_text(content)
    with pytest.raises(StudioError, match=message) as caught:
        load_settings()
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)


def test_an_integer_budget_loads_as_a_float() -> None:
    data_paths().ensure().settings.write_text('{"memory_budget_gb": 8}')
    assert load_settings().memory_budget_gb == 8.0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"filename_template": "{nope}"}, "filename_template", "unknown field {nope}"),
        ({"filename_template": "../{seed}"}, "filename_template", "must not contain '..'"),
        ({"output_folder": "/no/such/folder"}, "output_folder", "does not exist"),
        ({"model_folders": ["/no/such/models"]}, "model_folders", "does not exist"),
        ({"device": "gpu"}, "device", "unknown device 'gpu'"),
        ({"device": "cuda:x"}, "device", "unknown device"),
        ({"precision": "fp8"}, "precision", "unknown precision 'fp8'"),
        ({"memory_budget_gb": -1.0}, "memory_budget_gb", "between 0 (automatic)"),
        ({"memory_budget_gb": float("nan")}, "memory_budget_gb", "between 0"),
        ({"language": "fr"}, "language", "unknown interface language 'fr'"),
    ],
)
def test_validation_names_the_field_in_one_line(
    changes: dict[str, object], field: str, message: str
) -> None:
    errors = Settings(**changes).errors_by_field()  # type: ignore[arg-type]
    assert list(errors) == [field] and message in errors[field] and "\n" not in errors[field]
    assert Settings(**changes).validate() == [errors[field]]  # type: ignore[arg-type]


def test_known_devices_and_precisions_are_valid() -> None:
    for device in ("auto", "cpu", "cuda", "cuda:0", "cuda:12", "mps"):
        for precision in ("auto", "fp32", "fp16", "bf16"):
            assert Settings(device=device, precision=precision).validate() == []


def test_files_where_folders_belong_are_refused(tmp_path: Path) -> None:
    file = tmp_path / "file.txt"
    file.write_text("x")
    errors = Settings(model_folders=[str(file)], output_folder=str(file)).errors_by_field()
    assert "is a file" in errors["model_folders"] and "is not a folder" in errors["output_folder"]


def test_a_saved_model_folder_may_be_missing_but_a_new_one_may_not(tmp_path: Path) -> None:
    gone = str(tmp_path / "unplugged-drive")
    saved = Settings(model_folders=[gone])
    assert Settings(model_folders=[gone], language="en").validate(previous=saved) == []
    assert Settings(model_folders=[gone]).validate(previous=Settings()) != []


def test_downloads_need_offline_mode_turned_off() -> None:
    assert not downloads_allowed()  # the default
    with pytest.raises(StudioError, match="offline mode is on: downloading models needs"):
        require_downloads_allowed()
    save_settings(Settings(offline=False))
    assert downloads_allowed()
    require_downloads_allowed()
    data_paths().settings.write_text("{broken")
    assert not downloads_allowed()  # unreadable settings: stay offline
