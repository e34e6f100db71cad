"""`studio generate` honours the saved settings (output folder, filename template, stripped
metadata); a flag on the command line wins; a settings file it cannot trust stops it in one
line before anything is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import soundfile as sf

from studio.cli.main import main
from studio.core.settings import Settings, save_settings
from studio.demo_models import audio as demo_audio
from studio.runtime.audio_files import AI_LABEL, SIDECAR_NOTE, read_audio_record

# Long enough that unstripped WAV tags cannot hold the record (it goes to a sidecar).
SECRET = "a secret lighthouse cello " * 60
pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def musicgen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_audio.build_tiny_musicgen(tmp_path_factory.mktemp("audio") / "musicgen")


def music(capsys: pytest.CaptureFixture[str], model: Path, *extra: str) -> tuple[int, str, str]:
    code = main(["generate", "music", "--model", str(model), "--prompt", SECRET,
                 "--seconds", "0.2", "--seed", "21", *extra])  # fmt: skip
    out, err = capsys.readouterr()
    return code, out, err


def files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_saved_folder_template_and_stripping_apply(
    capsys: pytest.CaptureFixture[str], musicgen: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "saved-outputs"
    saved.mkdir()
    save_settings(Settings(output_folder=str(saved), filename_template="{task}-{seed}",
                           strip_metadata=True))  # fmt: skip
    code, out, err = music(capsys, musicgen)
    assert code == 0, err
    assert [Path(line) for line in out.splitlines()] == [saved / "music-21.wav"]
    assert files(saved) == [saved / "music-21.wav"]  # stripped: the label fits, no sidecar
    data = (saved / "music-21.wav").read_bytes()
    assert b"lighthouse" not in data and b'"seed"' not in data
    with sf.SoundFile(saved / "music-21.wav") as audio:
        assert audio.title == "AI-generated music" and audio.comment.startswith(AI_LABEL)
    assert read_audio_record(saved / "music-21.wav") is None


def test_flags_win_over_the_saved_settings(
    capsys: pytest.CaptureFixture[str], musicgen: Path, tmp_path: Path
) -> None:
    saved, other = tmp_path / "saved", tmp_path / "other"
    saved.mkdir()
    save_settings(Settings(output_folder=str(saved), filename_template="{task}-{seed}",
                           strip_metadata=True))  # fmt: skip
    code, out, err = music(capsys, musicgen, "--out", str(other), "--name-template",
                           "kept-{seed}", "--no-strip-metadata")  # fmt: skip
    assert code == 0, err
    path = Path(out.strip())
    assert path == other / "kept-21.wav" and files(saved) == []
    with sf.SoundFile(path) as audio:
        assert audio.comment == SIDECAR_NOTE and "lighthouse" in audio.title
    sidecar = json.loads(path.with_name(path.name + ".json").read_text())
    assert sidecar["request"]["prompt"] == SECRET and sidecar["seed"] == 21

    save_settings(Settings())  # nothing saved: the flag alone strips, into the default folder
    code, out, err = music(capsys, musicgen, "--strip-metadata")
    assert code == 0, err
    path = Path(out.strip())
    assert path.is_relative_to(tmp_path / "studio-home" / "outputs")
    assert "lighthouse" in path.name  # the default template names files by their prompt
    assert files(path.parent) == [path] and b"cello" not in path.read_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{oops", "is unreadable"),
        ('{"strip_metadata": "yes"}', "strip_metadata has a value of the wrong type"),
        ('{"filename_template": "{colour}"}', "(in the settings; pass --name-template or fix it)"),
    ],
)
def test_a_settings_file_it_cannot_use_stops_in_one_line(
    capsys: pytest.CaptureFixture[str], musicgen: Path, tmp_path: Path,
    studio_home: Path, content: str, message: str,
) -> None:  # fmt: skip
    studio_home.mkdir(parents=True, exist_ok=True)
    (studio_home / "settings.json").write_text(content)
    code, out, err = music(capsys, musicgen, "--out", str(tmp_path / "o"))
    assert code == 2 and out == "" and files(tmp_path / "o") == []
    assert message in err and len(err.strip().splitlines()) == 1
