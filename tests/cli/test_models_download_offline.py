"""`studio models download` asks the settings first: offline mode (the default) refuses in
one line that says how to turn it off, before anything reaches for the network."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.cli.main import main
from studio.core.errors import ModelError
from studio.core.settings import Settings, save_settings
from studio.models import download


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The repos download_model was asked for; it fails, so nothing is cataloged."""
    asked: list[str] = []

    def fake(repo_id: str, *args: object, **kwargs: object) -> Path:
        asked.append(repo_id)
        raise ModelError(f"cannot reach the Hub for {repo_id} (test)")

    monkeypatch.setattr(download, "download_model", fake)
    return asked


def test_offline_mode_refuses_in_one_line_before_any_download(
    capsys: pytest.CaptureFixture[str], calls: list[str], studio_home: Path
) -> None:
    code, out, err = run(capsys, "models", "download", "tiny/sd")  # no settings: offline
    assert code == 2 and out == "" and calls == []
    assert len(err.strip().splitlines()) == 1
    assert "offline mode is on: downloading tiny/sd needs the network" in err
    assert "Settings" in err and str(studio_home / "settings.json") in err


def test_an_unreadable_settings_file_counts_as_offline(
    capsys: pytest.CaptureFixture[str], calls: list[str], studio_home: Path
) -> None:
    studio_home.mkdir(parents=True, exist_ok=True)
    (studio_home / "settings.json").write_text("{oops")
    code, _, err = run(capsys, "models", "download", "tiny/sd")
    assert code == 2 and calls == [] and "offline mode is on" in err


def test_with_offline_mode_off_the_download_goes_ahead(
    capsys: pytest.CaptureFixture[str], calls: list[str]
) -> None:
    save_settings(Settings(offline=False))
    code, _, err = run(capsys, "models", "download", "tiny/sd")
    assert calls == ["tiny/sd"]  # past the check; the (fake) Hub's failure is the error
    assert code == 2 and "cannot reach the Hub for tiny/sd" in err
