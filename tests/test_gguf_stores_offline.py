"""Done-when of the GGUF issue: a home holding LM Studio, Ollama (a v2 manifest and its
blob), GPT4All and Jan stores with runnable tiny GGUFs; `studio models detect` names them,
`--add` catalogs them in place as text models with their quantization and context length,
and `studio generate text --model name:tag` streams a reply, every connection blocked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import NETWORK_AUDIT
from tests.models import store_layouts as layouts

PROBE = (
    NETWORK_AUDIT
    + r"""
import contextlib, io, json
from studio.cli.main import main
for argv in json.loads(sys.argv[1]):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    print("RUN " + json.dumps({"argv": argv, "code": code, "out": out.getvalue()}))
print("ATTEMPTS " + json.dumps(attempts))
"""
)


def runnable_stores(home: Path, scratch: Path) -> None:
    """The four apps' layouts, each holding its own tiny Llama (own seed: no duplicates)."""
    from studio.demo_models.gguf import build_tiny_llama_gguf

    def model(seed: int, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        return build_tiny_llama_gguf(path, folder=scratch / f"hf-{seed}", seed=seed)

    ollama = home / ".ollama" / "models"
    digest = layouts.ollama_blob(ollama, model(1, scratch / "ollama.gguf").read_bytes())
    manifest = layouts.ollama_manifest(ollama, [(layouts.MODEL, digest)])
    layouts.ollama_v2(ollama, "registry.ollama.ai", "library", "llama3.2", "1b", manifest)
    lmstudio = home / ".lmstudio" / "models" / "lmstudio-community" / "Tiny-GGUF"
    model(2, lmstudio / "tiny-F32.gguf")
    model(3, home / ".local" / "share" / "nomic.ai" / "GPT4All" / "tiny-gpt4all.gguf")
    jan = home / ".local" / "share" / "Jan" / "data" / "llamacpp" / "models" / "tiny-jan"
    model(4, jan / "model.gguf")
    (jan / "model.yml").write_text(
        "model_path: llamacpp/models/tiny-jan/model.gguf\nname: Tiny Jan\n"
    )


@pytest.mark.slow
def test_stores_are_found_added_and_run_with_the_network_unplugged(tmp_path: Path) -> None:
    home = tmp_path / "home"
    runnable_stores(home, tmp_path / "scratch")
    env = {k: v for k, v in os.environ.items() if k not in layouts.STORE_ENV}
    env.update(HOME=str(home), STUDIO_HOME=str(tmp_path / "studio"), OMP_NUM_THREADS="1")
    commands = [
        ["models", "detect"], ["models", "detect", "--add"], ["models", "list", "--json"],
        ["generate", "text", "--model", "llama3.2:1b", "--prompt", "hello",
         "--max-new-tokens", "8", "--seed", "1", "--out", str(tmp_path / "out")],
    ]  # fmt: skip
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(commands)], env=env,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    runs = [json.loads(line[4:]) for line in result.stdout.splitlines() if line.startswith("RUN ")]
    assert len(runs) == 4, result.stderr[-3000:]
    assert [r["code"] for r in runs] == [0, 0, 0, 0], result.stderr[-3000:]
    detected = runs[0]["out"]
    for store in ("Ollama", "LM Studio", "GPT4All", "Jan"):
        assert store in detected, detected
    entries = {e["name"]: e for e in json.loads(runs[2]["out"])}
    assert "llama3.2:1b" in entries and "Tiny Jan" in entries, sorted(entries)
    texts = [e for e in entries.values() if e["task"] == "text"]
    assert len(texts) == 4
    for entry in texts:
        assert entry["format"] == "gguf" and entry["facts"]["quantization"] == "F32"
        assert entry["facts"]["context_length"] == 256
        assert all(str(home) in p for p in entry["paths"])  # found in place, never copied
    assert runs[3]["out"].strip(), "no reply streamed"
    [reply] = list((tmp_path / "out").rglob("*.md"))
    record = json.loads(reply.with_name(reply.name + ".json").read_text())
    assert record["run"]["backend"] == "llama.cpp" and record["model_name"] == "llama3.2:1b"
    assert json.loads(result.stdout.splitlines()[-1][len("ATTEMPTS ") :]) == []
