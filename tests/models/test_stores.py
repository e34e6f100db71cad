"""Other apps' model stores: found where the apps keep them, listed in place, counted
without reading a model file, and scanned only through a model folder the user keeps."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from studio.models.catalog import ModelCatalog
from studio.models.discovery import hf_cache as hf_cache_module
from studio.models.discovery import stores
from studio.models.discovery.candidates import Candidate, Problem
from studio.models.discovery.folders import walk_models
from studio.models.discovery.stores import detect_stores, store_at, walk_folder
from studio.models.hashing import HashCache
from tests.models import store_layouts as layouts
from tests.models import zoo


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return layouts.isolate_home(monkeypatch, tmp_path / "home")


@pytest.fixture
def files(home: Path, tmp_path: Path) -> dict[str, Path]:
    return layouts.build_stores(home, tmp_path / "scratch")


def listed(root: Path) -> tuple[dict[str, Candidate], list[Problem]]:
    items = list(walk_folder(root))
    found = {c.name: c for c in items if isinstance(c, Candidate)}
    return found, [p for p in items if isinstance(p, Problem)]


def test_detection_names_each_store_with_its_count_and_reads_no_model(
    home: Path, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    zoo.lora_sd1(home / "ComfyUI" / "models" / "loras" / "fox.safetensors")
    opened: list[str] = []
    real_open = Path.open

    def watching(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        opened.append(str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", watching)
    found = {store.kind: store for store in detect_stores()}
    assert {kind: (store.name, store.models) for kind, store in found.items()} == {
        "ollama": ("Ollama", 2), "lmstudio": ("LM Studio", 1), "gpt4all": ("GPT4All", 1),
        "jan": ("Jan", 1), "comfyui": ("ComfyUI", 1),
    }  # fmt: skip
    assert found["ollama"].root == home / ".ollama" / "models"
    assert found["lmstudio"].root == home / ".lmstudio" / "models"
    assert found["jan"].root == home / ".local" / "share" / "Jan" / "data"
    model_files = {str(path) for path in files.values()}
    assert opened and not model_files & set(opened)  # manifests and model.yml only
    assert all(name.endswith(("model.yml", "/1b", "/latest", ".lmstudio-home-pointer"))
               for name in opened)  # fmt: skip


def test_nothing_found_is_an_empty_list(home: Path) -> None:
    assert detect_stores() == []


def test_env_overrides_are_honoured(tmp_path: Path, home: Path) -> None:
    elsewhere = tmp_path / "disk" / "ollama"
    layouts.build_stores(tmp_path / "other-home", tmp_path / "scratch")
    elsewhere.parent.mkdir()
    (tmp_path / "other-home" / ".ollama" / "models").rename(elsewhere)
    lms = tmp_path / "lms-home"
    layouts.tiny_gguf(lms / "models" / "pub" / "m" / "x.gguf", "x")
    (home / ".lmstudio-home-pointer").write_text(str(lms))
    found = {s.kind: s for s in detect_stores(env={"OLLAMA_MODELS": str(elsewhere)})}
    assert (found["ollama"].root, found["ollama"].models) == (elsewhere, 2)
    assert (found["lmstudio"].root, found["lmstudio"].models) == (lms / "models", 1)


def test_ollama_lists_v2_and_legacy_manifests_by_name_and_tag(
    home: Path, files: dict[str, Path]
) -> None:
    models = home / ".ollama" / "models"
    link = models / "manifests-v2" / "registry.ollama.ai" / "library" / "llama3.2" / "1b"
    assert link.is_symlink()  # the v2 layout: the named manifest links to its blob
    for root in (models, home / ".ollama"):  # the store, or the folder above it
        found, problems = listed(root)
        assert set(found) == {"llama3.2:1b", "someone/tinyllama:latest"} and not problems
        assert found["llama3.2:1b"].path == files["ollama"]
        assert found["someone/tinyllama:latest"].path == files["ollama-legacy"]
        assert {c.source for c in found.values()} == {"ollama"}
        assert Path(found["llama3.2:1b"].facts["template"]).is_file()


def test_ollama_tags_of_one_blob_are_one_candidate_and_v2_wins(
    home: Path, files: dict[str, Path]
) -> None:
    models = home / ".ollama" / "models"
    v2 = models / "manifests-v2" / "registry.ollama.ai" / "library" / "llama3.2" / "1b"
    manifest = v2.read_bytes()
    layouts.ollama_v2(models, "ollama.com", "library", "llama3.2", "latest", manifest)
    # The same name in the legacy tree (Ollama's other public host): the v2 one counts.
    layouts.ollama_legacy(models, "ollama.com", "library", "llama3.2", "1b", b"not json")
    found, problems = listed(models)
    assert not problems
    assert found["llama3.2:1b"].facts["ollama_names"] == "llama3.2:1b, llama3.2:latest"
    assert "llama3.2:latest" not in found


def test_ollama_manifest_list_is_read_through_its_gguf_child(
    home: Path, files: dict[str, Path]
) -> None:
    models = home / ".ollama" / "models"
    child = layouts.ollama_manifest(models, [(layouts.MODEL, layouts.ollama_blob(
        models, files["ollama"].read_bytes()))])  # fmt: skip
    listing = json.dumps({"schemaVersion": 2,
                          "mediaType": "application/vnd.ollama.manifest.list.v2+json",
                          "manifests": [
                              {"mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                               "runner": "mlx", "format": "safetensors",
                               "digest": layouts.ollama_blob(models, b"{}")},
                              {"mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                               "runner": "ollama", "format": "gguf",
                               "digest": layouts.ollama_blob(models, child)}]}).encode()  # fmt: skip
    layouts.ollama_v2(models, "ollama.com", "library", "qwen3", "4b", listing)
    found, problems = listed(models)
    assert not problems and found["llama3.2:1b"].facts["ollama_names"] == "llama3.2:1b, qwen3:4b"


def test_a_broken_ollama_manifest_is_one_line_each(home: Path, files: dict[str, Path]) -> None:
    models = home / ".ollama" / "models"
    missing = layouts.ollama_manifest(models, [(layouts.MODEL, "sha256:" + "ab" * 32)])
    layouts.ollama_legacy(models, "registry.ollama.ai", "library", "gone", "7b", missing)
    layouts.ollama_legacy(models, "registry.ollama.ai", "library", "broken", "1b", b"{nope")
    dangling = models / "manifests-v2" / "ollama.com" / "library" / "dangling" / "2b"
    dangling.parent.mkdir(parents=True)
    dangling.symlink_to("../../../../blobs/sha256-" + "cd" * 32)
    found, problems = listed(models)
    assert set(found) == {"llama3.2:1b", "someone/tinyllama:latest"}  # the rest still listed
    lines = {p.path.parts[-2] + ":" + p.path.name: p.message for p in problems}
    assert lines == {
        "gone:7b": f"Ollama model gone:7b: its model blob sha256-{'ab' * 32} is missing",
        "broken:1b": lines["broken:1b"],
        "dangling:2b": "Ollama model dangling:2b: cannot read its manifest (No such file or directory)",
    }
    assert lines["broken:1b"].startswith("Ollama model broken:1b: broken manifest (")
    assert all("\n" not in line for line in lines.values())


def test_lmstudio_projectors_and_split_parts_are_not_models_of_their_own(
    home: Path, files: dict[str, Path]
) -> None:
    folder = home / ".lmstudio" / "models" / "pub" / "Big-GGUF"
    for part in (1, 2):
        layouts.tiny_gguf(folder / f"big-Q8_0-0000{part}-of-00002.gguf", f"big-{part}")
    layouts.tiny_gguf(home / ".lmstudio" / "models" / "loose.gguf", "loose")
    found, problems = listed(home / ".lmstudio")
    assert not problems
    assert set(found) == {"lmstudio-community/Tiny-GGUF/tiny-Q4_K_M", "pub/Big-GGUF/big-Q8_0",
                          "loose"}  # fmt: skip
    assert found["pub/Big-GGUF/big-Q8_0"].facts == {"split_parts": "2"}
    assert (
        found["lmstudio-community/Tiny-GGUF/tiny-Q4_K_M"]
        .facts["projector"]
        .endswith("mmproj-tiny-f16.gguf")
    )


def test_jan_names_come_from_model_yml_and_a_broken_one_is_one_line(
    home: Path, files: dict[str, Path]
) -> None:
    data = home / ".local" / "share" / "Jan" / "data"
    nested = data / "llamacpp" / "models" / "org" / "model" / "q4"
    layouts.tiny_gguf(nested / "weights.gguf", "nested")
    (nested / "model.yml").write_text("model_path: llamacpp/models/org/model/q4/weights.gguf\n")
    broken = data / "llamacpp" / "models" / "broken"
    broken.mkdir(parents=True)
    (broken / "model.yml").write_text("name: [unclosed\n")
    missing = data / "llamacpp" / "models" / "missing"
    missing.mkdir(parents=True)
    (missing / "model.yml").write_text("name: Missing\n")
    layouts.tiny_gguf(data / "models" / "old-model" / "old-model.gguf", "old")  # older Jan
    found, problems = listed(data)
    assert set(found) == {"Tiny Jan", "org/model/q4", "old-model"}
    assert {c.source for c in found.values()} == {"jan"}
    messages = sorted(p.message for p in problems)
    assert messages[0].startswith("Jan model broken: broken model.yml (")
    assert messages[1] == "Jan model missing: its file model.gguf is missing"
    assert all("\n" not in m for m in messages)


def test_gpt4all_folder_and_llamafiles(home: Path, files: dict[str, Path], tmp_path: Path) -> None:
    found, _ = listed(home / ".local" / "share" / "nomic.ai" / "GPT4All")
    assert [(c.name, c.source) for c in found.values()] == [("tiny-gpt4all.Q4_0", "gpt4all")]
    llamafile = tmp_path / "mine" / "tiny.llamafile"
    llamafile.parent.mkdir()
    llamafile.write_bytes(b"MZ not really")
    assert [c.name for c in walk_models(llamafile.parent) if isinstance(c, Candidate)] == ["tiny"]


def test_store_at_knows_stores_and_leaves_other_folders_to_the_walker(
    home: Path, files: dict[str, Path], tmp_path: Path
) -> None:
    kinds = {
        home / ".ollama": ("ollama", home / ".ollama" / "models"),
        home / ".lmstudio" / "models": ("lmstudio", home / ".lmstudio" / "models"),
        home / ".local" / "share" / "Jan" / "data": ("jan", home / ".local/share/Jan/data"),
        home / ".local" / "share" / "nomic.ai" / "GPT4All": (
            "gpt4all", home / ".local/share/nomic.ai/GPT4All"),
    }  # fmt: skip
    for folder, (kind, root) in kinds.items():
        found = store_at(folder)
        assert found is not None and (found[0].kind, found[1]) == (kind, root)
    assert store_at(tmp_path) is None
    assert stores.KINDS[0] is stores.OLLAMA


def test_hf_cache_gguf_repos_give_one_candidate_per_model_file(tmp_path: Path) -> None:
    source = tmp_path / "src"
    layouts.tiny_gguf(source / "tiny-Q4_K_M.gguf", "q4")
    layouts.tiny_gguf(source / "tiny-Q8_0.gguf", "q8")
    layouts.tiny_gguf(source / "mmproj-tiny.gguf", "projector", arch="clip")
    (source / "README.md").write_text("a GGUF repo")
    hub = tmp_path / "hub"
    snapshot = zoo.hf_cache_repo(hub, "someone/Tiny-GGUF", source)
    single = tmp_path / "single"
    layouts.tiny_gguf(single / "only.gguf", "only")
    zoo.hf_cache_repo(hub, "someone/Only-GGUF", single)
    found = {c.name: c for c in hf_cache_module.walk_hf_cache(hub) if isinstance(c, Candidate)}
    assert set(found) == {"someone/Tiny-GGUF/tiny-Q4_K_M", "someone/Tiny-GGUF/tiny-Q8_0",
                          "someone/Only-GGUF"}  # fmt: skip
    q4 = found["someone/Tiny-GGUF/tiny-Q4_K_M"]
    assert q4.path == snapshot / "tiny-Q4_K_M.gguf" and q4.source == "hf-cache"
    assert q4.facts["projector"] == str(snapshot / "mmproj-tiny.gguf")


def test_a_store_added_as_a_model_folder_scans_in_place_and_rescans_incrementally(
    home: Path, files: dict[str, Path], tmp_path: Path
) -> None:
    from studio.models.discovery.scanner import scan

    roots = [home / ".ollama" / "models", home / ".lmstudio", home / ".local/share/Jan/data",
             home / ".local/share/nomic.ai/GPT4All"]  # fmt: skip
    with ModelCatalog(tmp_path / "db.sqlite") as catalog:
        hashes = HashCache(tmp_path / "hashes.json")
        first = scan(catalog, roots, hashes, hf_cache=False)
        entries = {e.name: e for e in catalog.entries()}
        assert set(entries) == {*layouts.NAMES.values()}
        assert len(first.added) == 5 and not first.merged
        assert entries["llama3.2:1b"].path == files["ollama"].resolve()
        assert {e.source for e in entries.values()} == {"ollama", "lmstudio", "jan", "gpt4all"}
        again = scan(catalog, roots, hashes, hf_cache=False)
        assert again.unchanged == 5 and not again.added and not again.updated
        # Ollama removes a model: manifest and blob go; the rescan lets it go too.
        os.unlink(home / ".ollama/models/manifests/registry.ollama.ai/someone/tinyllama/latest")
        files["ollama-legacy"].unlink()
        third = scan(catalog, roots, hashes, hf_cache=False)
        assert third.removed == 1 and "someone/tinyllama:latest" not in {
            e.name for e in catalog.entries()
        }
    # The files are where the apps keep them: nothing was copied or moved.
    assert all(path.is_file() for key, path in files.items() if key != "ollama-legacy")
