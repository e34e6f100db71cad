"""Scanning folders and the HF cache into the catalog: layouts, problems, duplicates, rescans."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from studio.cli.main import main
from studio.models.catalog import ModelCatalog
from studio.models.discovery import scanner
from studio.models.discovery.scanner import scan
from studio.models.hashing import HashCache
from tests.models import zoo


@pytest.fixture
def collection(tmp_path: Path, tiny_sd: Path, tiny_sdxl: Path) -> dict[str, Path]:
    """A fake HF cache and an A1111 install with tiny models, adapters and bad files."""
    hub = tmp_path / "hf" / "hub"
    zoo.hf_cache_repo(hub, "tiny/sd", tiny_sd)
    zoo.hf_cache_repo(hub, "tiny/gpt2", zoo.tiny_gpt2(tmp_path / "src" / "gpt2"))
    zoo.hf_cache_repo(hub, "tiny/marian", zoo.config_folder(
        tmp_path / "src" / "marian", {"model_type": "marian", "architectures": ["MarianMTModel"]}))  # fmt: skip
    webui = tmp_path / "stable-diffusion-webui"
    models = webui / "models"
    zoo.sd1_checkpoint(models / "Stable-diffusion" / "dreamy.safetensors")
    zoo.copy(tiny_sdxl, models / "Stable-diffusion" / "tiny-sdxl")
    zoo.lora_sd1(models / "Lora" / "fox.safetensors")
    zoo.lora_sdxl(models / "Lora" / "xl-style.safetensors")
    zoo.embedding_sd1(webui / "embeddings" / "hands.safetensors")
    zoo.vae(models / "VAE" / "vae-ft-mse.safetensors")
    zoo.truncated(models / "Stable-diffusion" / "broken.safetensors")
    marker = tmp_path / "pwned"
    zoo.malicious_ckpt(models / "Stable-diffusion" / "evil.ckpt", marker)
    zoo.plain_ckpt(models / "Stable-diffusion" / "old.ckpt")
    (models / "Stable-diffusion" / "loop").symlink_to(models)  # a symlink loop
    return {"hub": hub, "webui": webui, "marker": marker}


def by_name(catalog: ModelCatalog) -> dict[str, tuple[str, str, str, str]]:
    return {e.name: (e.task, e.family, e.kind, e.problem[:30]) for e in catalog.entries()}


def test_done_when_scan_lists_identifies_and_refuses(
    collection: dict[str, Path], tmp_path: Path
) -> None:
    with ModelCatalog(tmp_path / "db.sqlite3") as catalog:
        report = scan(
            catalog,
            [collection["webui"]],
            HashCache(tmp_path / "h.json"),
            hf_cache=collection["hub"],
        )
        found = by_name(catalog)
        assert found["tiny/sd"] == ("image", "sd1", "pipeline", "")
        assert found["tiny/gpt2"] == ("text", "gpt2", "transformers", "")
        assert found["tiny/marian"] == ("translate", "marian", "transformers", "")
        assert found["tiny-sdxl"] == ("image", "sdxl", "pipeline", "")
        assert found["dreamy"] == ("image", "sd1", "checkpoint", "")
        assert found["fox"] == ("image", "sd1", "lora", "")
        assert found["xl-style"] == ("image", "sdxl", "lora", "")
        assert found["hands"] == ("image", "sd1", "embedding", "")
        assert found["vae-ft-mse"] == ("image", "sd", "vae", "")
        assert found["old"][:3] == ("image", "sd1", "checkpoint")
        assert found["broken"][3].startswith("broken.safetensors is truncat")
        assert found["evil"][3].startswith("evil.ckpt contains code")
        sources = {e.name: e.source for e in catalog.entries()}
        assert sources["fox"] == "a1111" and sources["tiny/sd"] == "hf-cache"
        problems = {p.path.name: p.message for p in report.problems}
        assert set(problems) == {"broken.safetensors", "evil.ckpt"}
        assert len(report.added) == len(found) == 12
    assert not collection["marker"].exists()  # the payload never ran


def test_rescan_reads_nothing_unchanged_and_notices_changes(
    collection: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashes = HashCache(tmp_path / "h.json")
    with ModelCatalog(tmp_path / "db.sqlite3") as catalog:
        scan(catalog, [collection["webui"]], hashes, hf_cache=collection["hub"])
        calls: list[Path] = []
        real = scanner.identify_path
        monkeypatch.setattr(scanner, "identify_path", lambda p: calls.append(p) or real(p))
        again = scan(catalog, [collection["webui"]], hashes, hf_cache=collection["hub"])
        assert calls == [] and again.unchanged == 12 and not again.added
        assert {p.path.name for p in again.problems} == {"broken.safetensors", "evil.ckpt"}
        lora = collection["webui"] / "models" / "Lora" / "fox.safetensors"
        zoo.tensors(
            lora, {"lora_te2_x.lora_down.weight": (8, 1280)}
        )  # new content, now an SDXL LoRA
        (collection["webui"] / "models" / "VAE" / "vae-ft-mse.safetensors").unlink()
        third = scan(catalog, [collection["webui"]], hashes, hf_cache=collection["hub"])
        assert calls == [lora] and len(third.updated) == 1 and third.removed == 1
        assert by_name(catalog)["fox"][1] == "sdxl" and "vae-ft-mse" not in by_name(catalog)


def test_duplicates_are_one_entry_with_both_paths(tmp_path: Path) -> None:
    a1111 = zoo.lora_sd1(tmp_path / "webui" / "models" / "Lora" / "fox.safetensors")
    comfy = zoo.copy(a1111, tmp_path / "ComfyUI" / "models" / "loras" / "fox-copy.safetensors")
    zoo.lora_sdxl(tmp_path / "ComfyUI" / "models" / "loras" / "other.safetensors")
    with ModelCatalog(tmp_path / "db.sqlite3") as catalog:
        report = scan(catalog, [tmp_path / "webui", tmp_path / "ComfyUI"], HashCache(tmp_path / "h.json"),
                      hf_cache=False)  # fmt: skip
        entries = [e for e in catalog.entries() if e.kind == "lora" and e.family == "sd1"]
        assert len(entries) == 1 and set(entries[0].paths) == {a1111.resolve(), comfy.resolve()}
        assert entries[0].short_hash and report.merged == [(comfy.resolve(), entries[0].id)]
        assert len(catalog.entries()) == 2


def test_unreadable_folders_are_reported_and_the_scan_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    zoo.lora_sd1(tmp_path / "models" / "good" / "a.safetensors")
    locked = tmp_path / "models" / "locked"
    zoo.lora_sd1(locked / "b.safetensors")
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with ModelCatalog(tmp_path / "db.sqlite3") as catalog:
        report = scan(catalog, [tmp_path / "models", tmp_path / "missing"], HashCache(tmp_path / "h.json"),
                      hf_cache=False)  # fmt: skip
        assert [e.name for e in catalog.entries()] == ["a"]
    assert {(p.path.name, p.message) for p in report.problems} == {
        ("locked", "permission denied"), ("missing", "folder does not exist")}  # fmt: skip


def test_models_cli_scan_list_info_verify_set_remove(
    collection: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(collection["hub"]))
    assert main(["models", "scan", str(collection["webui"])]) == 0
    out, err = capsys.readouterr()
    assert "12 new" in out and "2 problem(s)" in out
    assert "problem: " in err and "evil.ckpt contains code" in err
    assert main(["models", "list", "--json"]) == 0
    listed = {e["name"]: e for e in json.loads(capsys.readouterr().out)}
    fox = listed["fox"]
    assert (fox["task"], fox["family"], fox["kind"]) == ("image", "sd1", "lora")
    assert main(["models", "verify", "fox"]) == 0
    assert "A1111 hash" in capsys.readouterr().out
    assert main(["models", "set", "fox", "--family", "sd2", "--tags", "animals"]) == 0
    capsys.readouterr()
    assert main(["models", "info", str(fox["id"])]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (
        info["family"] == "sd2" and info["detected_family"] == "sd1" and info["tags"] == "animals"
    )
    assert info["sha256"] and info["short_hash"] == info["sha256"][:10]
    assert main(["models", "verify", "broken"]) == 2
    assert "is truncated" in capsys.readouterr().err
    assert main(["models", "remove", "fox"]) == 0
    assert (collection["webui"] / "models" / "Lora" / "fox.safetensors").exists()  # files stay
    capsys.readouterr()
    assert main(["models", "info", "fox"]) == 2
    assert "no model 'fox' in the catalog" in capsys.readouterr().err
    assert main(["models", "scan"]) == 0  # folders remembered in settings
    assert "1 new" in capsys.readouterr().out  # fox comes back


def test_scanning_a_model_folder_itself_catalogs_it(tiny_sd: Path, tmp_path: Path) -> None:
    with ModelCatalog(tmp_path / "db.sqlite3") as catalog:
        report = scan(catalog, [tiny_sd], HashCache(tmp_path / "h.json"), hf_cache=False)
        assert len(report.added) == 1 and catalog.find(str(tiny_sd)).kind == "pipeline"
