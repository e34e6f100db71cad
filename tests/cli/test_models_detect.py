"""`studio models detect [--add]`: other apps' model stores, one line each, added in place
only when asked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.cli.main import main
from studio.core.settings import load_settings
from tests.models import store_layouts as layouts


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return layouts.isolate_home(monkeypatch, tmp_path / "home")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_nothing_found_is_one_line(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    code, out, err = run(capsys, "models", "detect")
    assert code == 0 and not err
    assert out.splitlines() == ["no model stores found (looked for Ollama, LM Studio, GPT4All, "
                                "Jan, AUTOMATIC1111, ComfyUI and InvokeAI in their usual places)"]  # fmt: skip


def test_detect_names_every_store_and_adds_nothing(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    layouts.build_stores(home, tmp_path / "scratch")
    code, out, err = run(capsys, "models", "detect")
    assert code == 0
    assert out.splitlines() == [
        f"Ollama: 2 models in {home / '.ollama' / 'models'}",
        f"LM Studio: 1 model in {home / '.lmstudio' / 'models'}",
        f"GPT4All: 1 model in {home / '.local' / 'share' / 'nomic.ai' / 'GPT4All'}",
        f"Jan: 1 model in {home / '.local' / 'share' / 'Jan' / 'data'}",
    ]
    assert "studio models detect --add" in err
    assert load_settings().model_folders == []  # nothing joined the folders
    code, listing, _ = run(capsys, "models", "list", "--json")
    assert json.loads(listing) == []  # and nothing was scanned


def test_add_scans_the_stores_in_place(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    files = layouts.build_stores(home, tmp_path / "scratch")
    code, out, err = run(capsys, "models", "detect", "--add")
    assert code == 0, err
    assert out.splitlines()[-1].startswith(
        "added 4 store(s) as model folders and scanned them: 5 new, 0 changed, 0 unchanged, "
        "0 problem(s); 5 model(s) in the catalog"
    )
    assert len(load_settings().model_folders) == 4
    code, listing, _ = run(capsys, "models", "list", "--json")
    entries = {entry["name"]: entry for entry in json.loads(listing)}
    assert set(entries) == set(layouts.NAMES.values())
    for key, name in layouts.NAMES.items():
        assert entries[name]["paths"] == [str(files[key].resolve())]  # where the app keeps it
    assert entries["llama3.2:1b"]["source"] == "ollama"
    code, out, _ = run(capsys, "models", "detect")
    assert "Ollama: 2 models in" in out and "(already a model folder)" in out
    code, out, err = run(capsys, "models", "detect", "--add")  # again: nothing new
    assert "0 new, 0 changed, 5 unchanged" in out


def test_broken_store_entries_are_one_line_each(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    layouts.build_stores(home, tmp_path / "scratch")
    models = home / ".ollama" / "models"
    missing = layouts.ollama_manifest(models, [(layouts.MODEL, "sha256:" + "ab" * 32)])
    layouts.ollama_legacy(models, "registry.ollama.ai", "library", "gone", "7b", missing)
    broken = home / ".local" / "share" / "Jan" / "data" / "llamacpp" / "models" / "broken"
    broken.mkdir(parents=True)
    (broken / "model.yml").write_text("name: [unclosed\n")
    code, out, err = run(capsys, "models", "detect", "--add")
    assert code == 0
    problems = [line for line in err.splitlines() if line.startswith("problem: ")]
    assert len(problems) == 2
    assert any(line.endswith(f"Ollama model gone:7b: its model blob sha256-{'ab' * 32} is missing")
               for line in problems)  # fmt: skip
    assert any("Jan model broken: broken model.yml (" in line for line in problems)
    assert "5 new" in out and "2 problem(s)" in out


def test_a_folder_holding_a_store_counts_as_added(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    from studio.core.settings import Settings, save_settings

    layouts.build_stores(home, tmp_path / "scratch")
    save_settings(Settings(model_folders=[str(home / ".ollama")]))  # the folder above the store
    code, out, _ = run(capsys, "models", "detect")
    assert code == 0
    assert out.splitlines()[0] == (
        f"Ollama: 2 models in {home / '.ollama' / 'models'}  (already a model folder)"
    )
    assert "(already a model folder)" not in out.splitlines()[1]
