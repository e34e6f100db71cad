"""Other apps' model stores laid out as the apps lay them out, under a temporary home, each
with a tiny GGUF file; and a way to point the stores' lookup at that home only."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

STORE_ENV = ("OLLAMA_MODELS", "LMSTUDIO_HOME", "XDG_DATA_HOME", "LOCALAPPDATA", "APPDATA",
             "INVOKEAI_ROOT")  # fmt: skip
MODEL = "application/vnd.ollama.image.model"
# What each store's model is called once listed.
NAMES = {
    "ollama": "llama3.2:1b",
    "ollama-legacy": "someone/tinyllama:latest",
    "lmstudio": "lmstudio-community/Tiny-GGUF/tiny-Q4_K_M",
    "gpt4all": "tiny-gpt4all.Q4_0",
    "jan": "Tiny Jan",
}


def isolate_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """Every store lookup sees `home` and nothing of the real user's (nor the service's
    /usr/share/ollama)."""
    from studio.models.discovery import ollama

    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: home))
    for name in STORE_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(ollama, "SERVICE_MODELS", home / "no-ollama-service")
    return home


def tiny_gguf(path: Path, name: str, arch: str = "llama") -> Path:
    """A small valid GGUF: an architecture, a context length, a file type and one tensor;
    `name` makes each file's bytes its own (no two are merged as duplicates)."""
    import numpy as np
    from gguf import GGUFWriter

    path.parent.mkdir(parents=True, exist_ok=True)
    writer = GGUFWriter(str(path), arch)
    writer.add_name(name)
    writer.add_context_length(64)
    writer.add_file_type(0)  # all F32
    writer.add_tensor("token_embd.weight", np.zeros((2, 4), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def ollama_blob(models: Path, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    blob = models / "blobs" / f"sha256-{digest}"
    blob.parent.mkdir(parents=True, exist_ok=True)
    blob.write_bytes(data)
    return f"sha256:{digest}"


def ollama_manifest(models: Path, layers: list[tuple[str, str]]) -> bytes:
    return json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                   "digest": ollama_blob(models, b"{}"), "size": 2},
        "layers": [{"mediaType": kind, "digest": digest, "size": 1} for kind, digest in layers],
    }).encode()  # fmt: skip


def ollama_v2(models: Path, host: str, namespace: str, model: str, tag: str,
              manifest: bytes) -> Path:  # fmt: skip
    """A v2 named manifest: a relative symlink to the manifest's own blob, as Ollama links it."""
    blob = models / "blobs" / ollama_blob(models, manifest).replace(":", "-")
    link = models / "manifests-v2" / host / namespace / model / tag
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(os.path.relpath(blob, link.parent))
    return link


def ollama_legacy(models: Path, host: str, namespace: str, model: str, tag: str,
                  manifest: bytes) -> Path:  # fmt: skip
    path = models / "manifests" / host / namespace / model / tag
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(manifest)
    return path


def build_stores(home: Path, scratch: Path) -> dict[str, Path]:
    """Ollama (a v2 manifest linked to its blob, a legacy one), LM Studio (with a projector),
    GPT4All and Jan under `home`; returns each model file."""
    files: dict[str, Path] = {}
    models = home / ".ollama" / "models"
    for key, tag in (("ollama", "1b"), ("ollama-legacy", "legacy")):
        digest = ollama_blob(models, tiny_gguf(scratch / f"{key}.gguf", key).read_bytes())
        files[key] = models / "blobs" / digest.replace(":", "-")
        template = ollama_blob(models, f"{{{{ .Prompt }}}} {tag}".encode())
        manifest = ollama_manifest(
            models, [(MODEL, digest), ("application/vnd.ollama.image.template", template)]
        )
        if key == "ollama":
            ollama_v2(models, "registry.ollama.ai", "library", "llama3.2", "1b", manifest)
        else:
            ollama_legacy(models, "registry.ollama.ai", "someone", "tinyllama", "latest", manifest)
    lmstudio = home / ".lmstudio" / "models" / "lmstudio-community" / "Tiny-GGUF"
    files["lmstudio"] = tiny_gguf(lmstudio / "tiny-Q4_K_M.gguf", "lmstudio")
    tiny_gguf(lmstudio / "mmproj-tiny-f16.gguf", "projector", arch="clip")
    gpt4all = home / ".local" / "share" / "nomic.ai" / "GPT4All"
    files["gpt4all"] = tiny_gguf(gpt4all / "tiny-gpt4all.Q4_0.gguf", "gpt4all")
    jan = home / ".local" / "share" / "Jan" / "data"
    folder = jan / "llamacpp" / "models" / "tiny-jan"
    files["jan"] = tiny_gguf(folder / "model.gguf", "jan")
    (folder / "model.yml").write_text(
        "model_path: llamacpp/models/tiny-jan/model.gguf\nname: Tiny Jan\nsize_bytes: 1\n"
    )
    return files
