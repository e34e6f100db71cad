"""Done-when of the modalities issue: every `studio generate` subcommand writes a correct
file from a tiny saved model, with every network connection blocked, plus a gallery row."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import NETWORK_AUDIT

# One interpreter runs every command (importing torch once); the audit hook blocks sockets.
PROBE = (
    NETWORK_AUDIT
    + r"""
import json, os
from studio.cli.main import main
results = {}
for name, argv in json.loads(sys.argv[1]).items():
    results[name] = main(argv)
print("RESULTS " + json.dumps(results))
print("ATTEMPTS " + json.dumps(attempts))
"""
)


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory, tiny_sd: Path) -> dict[str, Path]:
    from studio.demo_models.audio import build_tiny_musicgen, build_tiny_vits
    from studio.demo_models.text import build_tiny_llama
    from studio.demo_models.translate import build_tiny_marian
    from studio.demo_models.unconditional import build_tiny_ddpm

    root = tmp_path_factory.mktemp("offline-models")
    return {
        "image": tiny_sd,
        "text": build_tiny_llama(root / "llama"),
        "translate": build_tiny_marian(root / "marian", source="pt", target="en"),
        "music": build_tiny_musicgen(root / "musicgen"),
        "speech": build_tiny_vits(root / "vits"),
        "unconditional": build_tiny_ddpm(root / "ddpm"),
    }


def test_every_generate_command_works_with_the_network_unplugged(
    models: dict[str, Path], tmp_path: Path, studio_home: Path
) -> None:
    out = tmp_path / "out"
    commands = {
        "image": ["generate", "image", "--model", str(models["image"]), "--prompt", "a fox",
                  "--steps", "2", "--size", "64", "--seed", "1"],
        "text": ["generate", "text", "--model", str(models["text"]), "--prompt", "hello",
                 "--max-new-tokens", "8", "--seed", "1"],
        "code": ["generate", "code", "--model", str(models["text"]), "--prompt", "write a loop",
                 "--max-new-tokens", "8", "--seed", "1"],
        "translate": ["generate", "translate", "--model", str(models["translate"]), "--from", "pt",
                      "--to", "en", "--text", "Olá mundo. Tudo bem?"],
        "music": ["generate", "music", "--model", str(models["music"]), "--prompt", "calm piano",
                  "--seconds", "1", "--seed", "1", "--format", "flac"],
        "speech": ["generate", "speech", "--model", str(models["speech"]), "--text", "Hello there.",
                   "--format", "wav"],
        "unconditional": ["generate", "unconditional", "--model", str(models["unconditional"]),
                          "--steps", "2", "--seed", "1"],
        "walk": ["generate", "walk", "--model", str(models["unconditional"]), "--seeds", "1,2",
                 "--frames", "1", "--steps", "2"],
    }  # fmt: skip
    commands = {name: [*argv, "--out", str(out / name)] for name, argv in commands.items()}
    env = {"PATH": "/usr/bin:/bin", "STUDIO_HOME": str(studio_home), "HOME": str(tmp_path),
           "OMP_NUM_THREADS": "1"}  # fmt: skip
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(commands)], capture_output=True,
                            text=True, env=env, timeout=600)  # fmt: skip
    lines = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in result.stdout.splitlines()
             if line.startswith(("RESULTS ", "ATTEMPTS "))}  # fmt: skip
    assert "RESULTS" in lines, result.stderr[-3000:]
    assert json.loads(lines["RESULTS"]) == dict.fromkeys(commands, 0), result.stderr[-3000:]
    assert json.loads(lines["ATTEMPTS"]) == []
    expected = {"image": ".png", "text": ".md", "code": ".md", "translate": ".txt", "music": ".flac",
                "speech": ".wav", "unconditional": ".png", "walk": ".gif"}  # fmt: skip
    for name, suffix in expected.items():
        files = [p for p in (out / name).rglob(f"*{suffix}")]
        assert files, f"{name} wrote no {suffix} file"
    import soundfile

    assert abs(soundfile.info(next((out / "music").rglob("*.flac"))).duration - 1.0) < 0.05
    from studio.core.gallery import GalleryStore
    from studio.core.paths import data_paths

    with GalleryStore(data_paths().database) as gallery:
        tasks = {entry.task for entry in gallery.recent(limit=100)}
    assert {"image", "text", "code", "translate", "music", "speech", "unconditional",
            "walk"} <= tasks  # fmt: skip
