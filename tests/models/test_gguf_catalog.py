"""A GGUF's header facts travel: identification -> catalog row (migration 7) -> `studio
models list --json` -> ModelSpec, so engines never read the header again."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from studio.core.migrations import MIGRATIONS, SCHEMA_VERSION
from studio.models.catalog import ModelCatalog
from studio.models.identify import identify_path
from studio.models.spec import resolve

LISTED = {"architecture", "parameters", "quantization", "context_length", "chat_template", "fim",
          "vocabulary"}  # fmt: skip


def _record(catalog: ModelCatalog, path: Path) -> int:
    return catalog.record(path, identify_path(path), name=path.stem, source="folder",
                          size=path.stat().st_size, signature="s")  # fmt: skip


def test_the_catalog_keeps_the_facts(tiny_gguf: dict[str, Path], tmp_path: Path) -> None:
    with ModelCatalog(tmp_path / "studio.sqlite3") as catalog:
        model_id = _record(catalog, tiny_gguf["Q8_0"])
        entry = catalog.get(model_id)
        assert entry is not None and (entry.task, entry.family, entry.kind) == (
            "text",
            "llama",
            "gguf",
        )
        assert entry.facts == identify_path(tiny_gguf["Q8_0"]).facts
        listed = json.loads(json.dumps(entry.to_dict()))  # what `studio models list --json` prints
        assert set(listed["facts"]) >= LISTED
        assert (
            listed["facts"]["quantization"] == "Q8_0" and listed["facts"]["chat_template"] is True
        )
        # A rescan that finds something else replaces them; a safetensors file has none.
        other = shutil.copyfile(
            tiny_gguf["hf"] / "model.safetensors", tmp_path / "model.safetensors"
        )
        catalog.record(tiny_gguf["Q8_0"], identify_path(other), name="x", source="folder", size=1,
                       signature="t")  # fmt: skip
        assert catalog.get(model_id).facts == {}  # type: ignore[union-attr]


def test_a_spec_carries_the_facts(tiny_gguf: dict[str, Path], tmp_path: Path) -> None:
    bare = resolve(str(tiny_gguf["F32"]))  # a path in no catalog: identified on the spot
    assert (bare.format, bare.facts["context_length"], bare.facts["vocabulary"]) == (
        "gguf",
        256,
        300,
    )
    with ModelCatalog(tmp_path / "studio.sqlite3") as catalog:
        model_id = _record(catalog, tiny_gguf["F32"])
        spec = resolve(str(model_id), catalog)
        assert spec.catalog_id == model_id and spec.facts == bare.facts


def test_migration_7_adds_facts_and_has_unread_ggufs_read_again(tmp_path: Path) -> None:
    database = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(database)
    for version, script in enumerate(MIGRATIONS[:6]):
        conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version + 1};\nCOMMIT;")
    rows = [("m.gguf", "unknown", "checkpoint", "gguf"), ("sha256-ab", "unknown", "file", "file"),
            ("m.safetensors", "image", "checkpoint", "safetensors")]  # fmt: skip
    for number, (name, task, kind, fmt) in enumerate(rows, 1):
        conn.execute(
            "INSERT INTO models (id, name, source, task, family, kind, format, added)"
            " VALUES (?, ?, 'folder', ?, 'unknown', ?, ?, '2026-01-01')",
            (number, name, task, kind, fmt),
        )
        conn.execute(
            "INSERT INTO model_paths VALUES (?, ?, 'sig', '0')", (f"/models/{name}", number)
        )
    conn.commit()
    conn.close()
    with ModelCatalog(database) as catalog:
        assert [e.facts for e in catalog.entries()] == [{}, {}, {}]
        assert catalog.path_state(Path("/models/m.gguf")) == ("", "")
        assert catalog.path_state(Path("/models/sha256-ab")) == ("", "")
        assert catalog.path_state(Path("/models/m.safetensors")) == ("sig", "")
    conn = sqlite3.connect(database)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
