"""`studio generate music|speech`: files and gallery rows, and every bad input as one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from studio.cli.main import main
from studio.demo_models import audio as demo_audio
from studio.runtime.audio_files import read_audio_record
from tests.helpers import NETWORK_AUDIT

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("audio-models")
    return {
        "musicgen": demo_audio.build_tiny_musicgen(root / "musicgen"),
        "vits": demo_audio.build_tiny_vits(root / "vits"),
        "vits22k": demo_audio.build_tiny_vits(root / "vits22k", sampling_rate=22050),
        "speecht5": demo_audio.build_tiny_speecht5(root / "speecht5"),
    }


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def music(model: Path, out: Path, *extra: str) -> list[str]:
    return ["generate", "music", "--model", str(model), "--prompt", "a slow cello, at night",
            "--seconds", "1.5", "--seed", "21", "--out", str(out), *extra]  # fmt: skip


def speech(model: Path, out: Path, *extra: str) -> list[str]:
    return ["generate", "speech", "--model", str(model), "--text",
            "Good morning. The lighthouse keeper waves!", "--seed", "8", "--out", str(out), *extra]  # fmt: skip


def files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_music_writes_a_tagged_file_and_a_gallery_row(
    capsys: pytest.CaptureFixture[str], models: dict[str, Path], tmp_path: Path
) -> None:
    code, out, err = run(capsys, *music(models["musicgen"], tmp_path / "out", "--format", "flac"))
    assert code == 0, err
    [path] = [Path(line) for line in out.splitlines()]
    assert path.suffix == ".flac" and files(tmp_path / "out") == [path]
    assert "done: 1.5 s of music" in err
    info = sf.info(str(path))
    assert (info.samplerate, info.channels) == (16000, 1)
    assert abs(info.frames - 1.5 * 16000) <= 160  # within one codec frame
    with sf.SoundFile(str(path)) as audio:
        assert audio.title == "a slow cello, at night" and audio.date
    record = read_audio_record(path)
    assert record is not None and record["request"]["type"] == "music" and record["seed"] == 21

    code, out, _ = run(capsys, "gallery", "search", "cello", "--json")
    rows = json.loads(out)
    assert code == 0 and [Path(r["path"]) for r in rows] == [path]
    assert rows[0]["task"] == "music" and rows[0]["seed"] == 21
    assert rows[0]["record"]["run"]["duration"] == 1.5


def test_music_continues_a_file(
    capsys: pytest.CaptureFixture[str], models: dict[str, Path], tmp_path: Path
) -> None:
    clip = tmp_path / "start.wav"
    sf.write(
        clip, (0.3 * np.sin(np.arange(8000) / 16000 * 2 * np.pi * 220)).astype(np.float32), 16000
    )
    code, out, err = run(capsys, *music(models["musicgen"], tmp_path / "o", "--continue", str(clip),
                                        "--seconds", "0.5", "--format", "ogg"))  # fmt: skip
    assert code == 0, err
    info = sf.info(out.strip())
    assert abs(info.duration - 1.0) <= 0.07  # the clip, then 0.5 s (Vorbis may pad a little)


def test_speech_writes_mp3_and_a_gallery_row(
    capsys: pytest.CaptureFixture[str], models: dict[str, Path], tmp_path: Path
) -> None:
    for model in ("vits", "speecht5"):
        code, out, err = run(capsys, *speech(models[model], tmp_path / model, "--format", "mp3"))
        assert code == 0, err
        path = Path(out.strip())
        assert path.suffix == ".mp3" and sf.info(str(path)).samplerate == 16000
        record = read_audio_record(path)
        assert record is not None and record["run"]["sentences"] == 2
    code, out, _ = run(capsys, "gallery", "search", "lighthouse")
    assert code == 0 and len(out.splitlines()) == 2 and "seed 8" in out


def bad_inputs(models: dict[str, Path], tiny_sd: Path, tmp: Path) -> list[tuple[list[str], str]]:
    out = tmp / "o"
    return [
        (music(tiny_sd, out), "tiny-sd is an image model, not a music model"),
        (speech(tiny_sd, out), "tiny-sd is an image model, not a speech model"),
        (speech(models["musicgen"], out), "is a music model, not a speech model"),
        (music(models["musicgen"], out, "--seconds", "301"), "seconds must be in (0, 300] (got 301)"),
        (music(models["musicgen"], out, "--prompt", "  "), "prompt is empty"),
        (music(models["musicgen"], out, "--melody", str(tmp / "m.wav")), "takes no melody"),
        (music(models["musicgen"], out, "--continue", str(tmp / "none.wav")), "clip file not found"),
        (["generate", "speech", "--model", str(models["vits"]), "--text", " "], "text is empty"),
        (speech(models["vits22k"], out, "--format", "opus"), "opus files take 8, 12, 16, 24, 48 kHz"),
        (speech(models["speecht5"], out, "--speaker", str(tmp / "none.npy")), "speaker embedding file not found"),
        (speech(models["vits"], out, "--format", "aac"), "invalid choice: 'aac'"),
        (music(models["musicgen"], out, "--seconds", "0"), "seconds must be in (0, 300]"),
    ]  # fmt: skip


def test_bad_inputs_are_one_line_and_write_nothing(
    capsys: pytest.CaptureFixture[str], models: dict[str, Path], tiny_sd: Path, tmp_path: Path
) -> None:
    for argv, expected in bad_inputs(models, tiny_sd, tmp_path):
        code, out, err = run(capsys, *argv)
        lines = err.strip().splitlines()
        assert code == 2 and out == "", (argv, err)
        assert len(lines) == 1 and expected in lines[0], (expected, err)
    assert files(tmp_path / "o") == []


def test_audio_help_imports_no_ml_library() -> None:
    probe = (
        "import contextlib, io, sys, json\nfrom studio.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    for task in ('music', 'speech'):\n"
        "        try:\n            main(['generate', task, '--help'])\n"
        "        except SystemExit:\n            pass\n"
        "print(json.dumps([m for m in ('torch', 'transformers', 'diffusers', 'soundfile')"
        " if m in sys.modules]))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


# A fresh interpreter with an audit hook that records (and blocks) every connection.
OFFLINE_PROBE = (
    NETWORK_AUDIT
    + r"""
import torch
torch.set_num_threads(1)
from studio.cli.main import main
music, speech = sys.argv[1:].index("music"), sys.argv[1:].index("speech")
codes = [main(["generate", *sys.argv[1:][music:speech]]), main(["generate", *sys.argv[1:][speech:]])]
print("RC", codes)
print("ATTEMPTS", attempts)
"""
)


def test_music_and_speech_make_no_network_attempt(
    models: dict[str, Path], tmp_path: Path, studio_home: Path
) -> None:
    env = {"PATH": "/usr/bin:/bin", "STUDIO_HOME": str(studio_home), "HOME": str(tmp_path)}
    argv = [*music(models["musicgen"], tmp_path / "out")[1:], "--seconds", "0.3",
            *speech(models["speecht5"], tmp_path / "out")[1:]]  # fmt: skip
    result = subprocess.run([sys.executable, "-c", OFFLINE_PROBE, *argv], capture_output=True,
                            text=True, env=env, timeout=300)  # fmt: skip
    lines = result.stdout.splitlines()
    assert "RC [0, 0]" in lines, result.stderr[-3000:]
    assert "ATTEMPTS []" in lines
    assert len(files(tmp_path / "out")) == 2
