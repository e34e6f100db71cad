"""Ollama's model store, listed in place: named manifests that point at content-addressed blobs.

The layout is Ollama's own (its manifest package): `<models>/manifests-v2/<host>/<namespace>/
<model>/<tag>`, in newer versions a symlink to the manifest's blob, and the legacy
`<models>/manifests/<host>/...`, a JSON file; a name found in both is the v2 one. The layer
of media type application/vnd.ollama.image.model names the GGUF file, `blobs/sha256-<hex>`
(no suffix). A manifest list (one child manifest per runner) is read through its GGUF child.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from studio.models.discovery.candidates import Candidate, Problem, read_small

MODEL_LAYER = "application/vnd.ollama.image.model"
_OTHER_LAYERS = {
    "application/vnd.ollama.image.projector": "projector",
    "application/vnd.ollama.image.adapter": "adapter",
    "application/vnd.ollama.image.template": "template",
    "application/vnd.ollama.image.system": "system",
    "application/vnd.ollama.image.params": "params",
}
_MANIFEST_LIST = "application/vnd.ollama.manifest.list.v2+json"
_PUBLIC_HOSTS = ("registry.ollama.ai", "ollama.com")  # one registry under two names
_DEFAULT_NAMESPACE = "library"
_DIGEST = re.compile(r"sha256[:-]([0-9a-fA-F]{64})")
_MAX_MANIFEST = 1 << 20  # manifests are a few hundred bytes: anything bigger is not one
SERVICE_MODELS = Path("/usr/share/ollama/.ollama/models")  # the Linux install's service user


def ollama_roots(home: Path, env: Mapping[str, str]) -> list[Path]:
    """Where Ollama keeps models: $OLLAMA_MODELS, the user's, and the Linux service's."""
    roots = [Path(env["OLLAMA_MODELS"]).expanduser()] if env.get("OLLAMA_MODELS") else []
    return [*roots, home / ".ollama" / "models", SERVICE_MODELS]


def is_ollama_store(folder: Path) -> bool:
    manifests = (folder / "manifests-v2").is_dir() or (folder / "manifests").is_dir()
    return manifests and (folder / "blobs").is_dir()


def display_name(host: str, namespace: str, model: str, tag: str) -> str:
    """The name `ollama list` shows: `model:tag`, with the namespace when it is not the
    library's and the host when it is not Ollama's registry."""
    if host.lower() not in _PUBLIC_HOSTS:
        return f"{host}/{namespace}/{model}:{tag}"
    if namespace.lower() != _DEFAULT_NAMESPACE:
        return f"{namespace}/{model}:{tag}"
    return f"{model}:{tag}"


def walk_ollama(root: Path) -> Iterator[Candidate | Problem]:
    """One Candidate per model blob, named after one of its tags (all of them in facts when
    there are several), and one Problem per manifest that cannot be used."""
    found: dict[Path, tuple[list[str], dict[str, str]]] = {}
    seen: set[tuple[str, ...]] = set()
    for tree in ("manifests-v2", "manifests"):
        for manifest, (host, namespace, model, tag) in _named_manifests(root / tree):
            key = ("registry.ollama.ai" if host.lower() in _PUBLIC_HOSTS else host.lower(),
                   namespace.lower(), model.lower(), tag.lower())  # fmt: skip
            if key in seen:
                continue
            seen.add(key)
            name = display_name(host, namespace, model, tag)
            result = _model_of(root, manifest, name)
            if isinstance(result, Problem):
                yield result
            elif result is not None:
                names, _facts = found.setdefault(result[0], ([], result[1]))
                names.append(name)
    for blob, (names, facts) in found.items():
        names.sort(key=lambda n: (n.endswith(":latest"), n))  # "latest" is the alias, if any
        if len(names) > 1:
            facts = {**facts, "ollama_names": ", ".join(names)}
        yield Candidate(blob, "ollama", names[0], facts=facts)


def _named_manifests(base: Path) -> Iterator[tuple[Path, tuple[str, str, str, str]]]:
    """Files exactly four levels down (host/namespace/model/tag), as Ollama globs them."""
    if not base.is_dir():
        return
    for path in sorted(base.glob("*/*/*/*")):
        parts = path.relative_to(base).parts
        if any(part.startswith(".") for part in parts) or path.is_dir():
            continue
        yield path, (parts[0], parts[1], parts[2], parts[3])


def _model_of(
    root: Path, manifest: Path, name: str
) -> tuple[Path, dict[str, str]] | Problem | None:
    """(model blob, facts) of one named manifest; None when it holds no GGUF model (Ollama's
    safetensors models), a Problem when it is broken or names a missing blob."""
    data = _read_manifest(manifest)
    if isinstance(data, str):
        return Problem(manifest, f"Ollama model {name}: {data}")
    if data.get("mediaType") == _MANIFEST_LIST:
        child = _gguf_child(root, data)
        if isinstance(child, str):
            return Problem(manifest, f"Ollama model {name}: {child}")
        if child is None:
            return None
        data = child
    layers = data.get("layers")
    if not isinstance(layers, list):
        return Problem(manifest, f"Ollama model {name}: broken manifest (no layers)")
    model = next((layer for layer in layers if isinstance(layer, dict)
                  and layer.get("mediaType") == MODEL_LAYER), None)  # fmt: skip
    if model is None:
        return None
    blob = _blob(root, model.get("digest"))
    if blob is None:
        return Problem(manifest, f"Ollama model {name}: its model layer has no valid digest")
    if not blob.is_file():
        return Problem(manifest, f"Ollama model {name}: its model blob {blob.name} is missing")
    facts: dict[str, str] = {}
    for layer in layers:
        kind = _OTHER_LAYERS.get(layer.get("mediaType", "")) if isinstance(layer, dict) else None
        path = _blob(root, layer.get("digest")) if kind else None
        if kind and path is not None and path.is_file():
            facts[kind] = f"{facts[kind]}, {path}" if kind in facts else str(path)
    return blob, facts


def _gguf_child(root: Path, listing: dict[str, Any]) -> dict[str, Any] | str | None:
    """The child of a manifest list that runs GGUF weights (inline, or a manifest blob)."""
    children = [c for c in listing.get("manifests") or [] if isinstance(c, dict)]
    for child in children:
        fmt, runner = str(child.get("format", "")).lower(), str(child.get("runner", "")).lower()
        if fmt not in ("", "gguf") or runner not in ("", "ollama", "llamacpp"):
            continue
        if isinstance(child.get("layers"), list):
            return child
        blob = _blob(root, child.get("digest"))
        if blob is None:
            continue
        data = _read_manifest(blob)
        if isinstance(data, str):
            return f"its manifest blob {blob.name}: {data}"
        return data
    return None


def _read_manifest(path: Path) -> dict[str, Any] | str:
    """The manifest's JSON object (a v2 symlink is followed to its blob), or why not."""
    raw = read_small(path, _MAX_MANIFEST, "its manifest")
    if isinstance(raw, str):
        return raw
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        return f"broken manifest ({str(exc).splitlines()[0]})"
    return data if isinstance(data, dict) else "broken manifest (not a JSON object)"


def _blob(root: Path, digest: object) -> Path | None:
    match = _DIGEST.fullmatch(digest) if isinstance(digest, str) else None
    return root / "blobs" / f"sha256-{match.group(1).lower()}" if match else None
