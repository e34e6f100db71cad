"""Model packs: export, verified import into a fresh studio, and every way a pack can be bad."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from studio.cli.main import main
from studio.core.errors import ModelError
from studio.core.paths import data_paths
from studio.core.settings import load_settings
from studio.models.catalog import ModelCatalog
from studio.models.discovery.scanner import scan
from studio.models.hashing import HashCache
from studio.models.packs import export_pack, import_pack
from tests.models import zoo

UNET = "models/1-tiny-sd/unet/diffusion_pytorch_model.safetensors"


@pytest.fixture
def source(tmp_path: Path, tiny_sd: Path) -> Path:
    """A model folder with the tiny SD pipeline and a LoRA file."""
    folder = tmp_path / "source-models"
    zoo.copy(tiny_sd, folder / "tiny-sd")
    zoo.lora_sd1(folder / "Lora" / "fox.safetensors")
    return folder


@pytest.fixture
def pack(tmp_path: Path, source: Path) -> Path:
    """A pack of both models, exported with the functions from a scanned catalog."""
    hashes = HashCache(tmp_path / "h.json")
    with ModelCatalog(tmp_path / "source.sqlite3") as catalog:
        scan(catalog, [source], hashes, hf_cache=False)
        entries = [catalog.find("tiny-sd"), catalog.find("fox")]
        return export_pack(entries, tmp_path / "out" / "models.gspack", hashes)


def fresh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str = "air-gapped") -> Path:
    home = tmp_path / name
    monkeypatch.setenv("STUDIO_HOME", str(home))
    return home


def catalog_rows() -> list[tuple[str, str, str, str, str | None]]:
    with ModelCatalog(data_paths().ensure().database) as catalog:
        return sorted((e.name, e.task, e.family, e.source, e.sha256) for e in catalog.entries())


def files_of(root: Path) -> dict[str, bytes]:
    if root.is_file():
        return {root.name: root.read_bytes()}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def rewrite(pack: Path, out: Path, *, edit=None, extra=(), flip: str = "", cut: float = 0) -> Path:  # type: ignore[no-untyped-def]
    """Copy `pack`, changing its manifest, adding members, flipping a byte or truncating it."""
    with tarfile.open(pack) as src, tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "manifest.json" and edit:
                manifest = json.loads(data)
                edit(manifest)
                data = json.dumps(manifest).encode()
            if member.name == flip:
                at = len(data) // 2  # in the tensor data, past the header
                data = data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
        for member, data in extra:
            dst.addfile(member, io.BytesIO(data) if data is not None else None)
    if cut:
        out.write_bytes(out.read_bytes()[: int(out.stat().st_size * cut)])
    return out


def test_cli_round_trip_into_a_fresh_studio_is_verified_and_byte_identical(
    source: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["models", "scan", str(source), "--no-hf-cache"]) == 0
    assert main(["models", "verify", "tiny-sd"]) == main(["models", "verify", "fox"]) == 0
    exported = catalog_rows()
    pack = tmp_path / "usb" / "models.gspack"
    capsys.readouterr()
    assert main(["models", "export", "tiny-sd", "fox", "--to", str(pack)]) == 0
    assert "exported 2 model(s)" in capsys.readouterr().out
    with tarfile.open(pack) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert names[0] == "manifest.json" and UNET in names and "models/2-fox/fox.safetensors" in names
    assert (manifest["format"], manifest["version"]) == ("generative-studio-pack", 1)
    assert [(m["name"], m["root"]) for m in manifest["models"]] == [
        ("tiny-sd", "models/1-tiny-sd"), ("fox", "models/2-fox")]  # fmt: skip

    home = fresh_home(tmp_path, monkeypatch)
    assert main(["models", "import", str(pack)]) == 0
    assert "2 model(s) imported" in capsys.readouterr().out
    rows = catalog_rows()
    assert [r[:3] for r in rows] == [r[:3] for r in exported]  # names, tasks, families
    assert [r[4] for r in rows] == [r[4] for r in exported] and all(r[4] for r in rows)
    assert {r[3] for r in rows} == {"pack"}
    target = home / "models"
    assert files_of(target / "tiny-sd") == files_of(source / "tiny-sd")
    assert files_of(target / "fox.safetensors") == files_of(source / "Lora" / "fox.safetensors")
    assert str(target) in load_settings().model_folders
    assert not [p for p in target.iterdir() if p.name.startswith(".")]  # no staging left

    assert main(["models", "import", str(pack)]) == 0  # twice: no copy, no new entry
    assert "0 model(s) imported" in capsys.readouterr().out
    assert catalog_rows() == rows and sorted(p.name for p in target.iterdir()) == [
        "fox.safetensors", "tiny-sd"]  # fmt: skip
    assert main(["models", "scan", "--no-hf-cache"]) == 0  # the folder is remembered
    assert "0 new" in capsys.readouterr().out and catalog_rows() == rows


def test_a_model_already_present_elsewhere_is_not_copied(
    pack: Path, source: Path, tmp_path: Path
) -> None:
    hashes = HashCache(tmp_path / "h2.json")
    with ModelCatalog(tmp_path / "other.sqlite3") as catalog:
        scan(catalog, [source / "Lora"], hashes, hf_cache=False)  # fox, never hashed
        fox = catalog.find("fox").id
        ids = import_pack(pack, tmp_path / "target", catalog, hashes)
        assert ids[1] == fox and len(catalog.entries()) == 2
        assert catalog.get(fox).sha256 and catalog.get(ids[0]).name == "tiny-sd"  # type: ignore[union-attr]
    assert [p.name for p in (tmp_path / "target").iterdir()] == ["tiny-sd"]


def test_hf_cache_snapshot_travels_as_plain_files_with_progress(
    tiny_sd: Path, tmp_path: Path
) -> None:
    hub, hashes = tmp_path / "hf" / "hub", HashCache(tmp_path / "h.json")
    snapshot = zoo.hf_cache_repo(hub, "tiny/sd", tiny_sd)  # symlinks into blobs/
    calls: list[tuple[int, int]] = []
    with ModelCatalog(tmp_path / "a.sqlite3") as catalog:
        scan(catalog, [], hashes, hf_cache=hub)
        sha = hashes.model_sha256(snapshot)
        pack = export_pack([catalog.find("tiny/sd")], tmp_path / "hf.gspack", hashes)
    with tarfile.open(pack) as tar:
        assert all(m.isreg() for m in tar.getmembers())
    with ModelCatalog(tmp_path / "b.sqlite3") as catalog:
        [model_id] = import_pack(
            pack, tmp_path / "target", catalog, hashes, lambda *a: calls.append(a)
        )
        entry = catalog.get(model_id)
        assert entry and (entry.name, entry.task, entry.family, entry.sha256) == (
            "tiny/sd", "image", "sd1", sha)  # fmt: skip
        assert entry.path == tmp_path / "target" / "tiny-sd"
    assert files_of(tmp_path / "target" / "tiny-sd") == files_of(tiny_sd)
    assert calls[-1][0] == calls[-1][1] == sum(len(b) for b in files_of(tiny_sd).values())


def test_a_failure_while_registering_rolls_everything_back(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studio.models import packs

    real, calls = packs.scan_candidate, []

    def flaky(*args):  # type: ignore[no-untyped-def]
        calls.append(args)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(*args)

    monkeypatch.setattr(packs, "scan_candidate", flaky)
    assert_refused(pack, tmp_path / "target", "No space left on device", "nothing was imported")


def assert_refused(pack: Path, target: Path, *words: str) -> str:
    with ModelCatalog(data_paths().ensure().database) as catalog:
        with pytest.raises(ModelError) as caught:
            import_pack(pack, target, catalog, HashCache(data_paths().cache / "h.json"))
        assert catalog.entries() == []
    message = str(caught.value)
    assert "\n" not in message and all(w in message for w in words), message
    assert not target.exists() or list(target.iterdir()) == []  # nothing imported, no staging
    return message


def test_one_flipped_byte_names_the_file_and_imports_nothing(pack: Path, tmp_path: Path) -> None:
    bad = rewrite(pack, tmp_path / "flipped.gspack", flip=UNET)
    assert_refused(bad, tmp_path / "target", UNET, "sha256", "nothing was imported")


def test_a_truncated_pack_is_one_line_error(
    pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = rewrite(pack, tmp_path / "cut.gspack", cut=0.6)
    assert_refused(cut, tmp_path / "target", "nothing was imported")
    assert main(["models", "import", str(cut), "--to", str(tmp_path / "t2")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cut.gspack" in err


def link(name: str, kind: bytes = tarfile.SYMTYPE) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, "/etc/passwd"
    return info, None


def regular(name: str, data: bytes = b"evil") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def add_file(path: str, root: int = 0):  # type: ignore[no-untyped-def]
    def edit(manifest: dict) -> None:  # type: ignore[type-arg]
        manifest["models"][root]["files"].append({"path": path, "size": 4, "sha256": "0" * 64})

    return edit


@pytest.mark.parametrize(
    ("edit", "extra", "words"),
    [
        (None, [regular("../evil")], ["'../evil' is not in the manifest"]),
        (add_file("../evil"), [regular("models/1-tiny-sd/../evil")], ["unsafe path '../evil'"]),
        (add_file("/tmp/evil"), [], ["unsafe path '/tmp/evil'"]),
        (None, [link("models/2-fox/evil")], ["is a link"]),
        (None, [link("models/1-tiny-sd/hard", tarfile.LNKTYPE)], ["is a link"]),
        (add_file("weights.ckpt"), [], ["pickle"]),
        (add_file("missing.safetensors"), [], ["incomplete", "missing.safetensors"]),
        (lambda m: m.update(version=2), [], ["version 2"]),
    ],
    ids=[
        "traversal-member",
        "traversal-manifest",
        "absolute",
        "symlink",
        "hardlink",
        "pickle",
        "missing",
        "version",
    ],
)
def test_unsafe_or_inconsistent_packs_are_refused(
    pack: Path,
    tmp_path: Path,
    edit,
    extra,
    words: list[str],  # type: ignore[no-untyped-def]
) -> None:
    bad = rewrite(pack, tmp_path / "bad.gspack", edit=edit, extra=extra)
    assert_refused(bad, tmp_path / "target", *words)
    assert not (tmp_path / "evil").exists()


def test_not_a_pack(tmp_path: Path) -> None:
    junk = tmp_path / "junk.gspack"
    junk.write_bytes(b"not a tar at all" * 100)
    assert_refused(junk, tmp_path / "target", "not a model pack")


def test_export_refuses_problems_pickle_and_an_existing_file(
    tmp_path: Path, source: Path, pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zoo.truncated(source / "broken.safetensors")
    zoo.plain_ckpt(source / "old.ckpt")
    (source / "tiny-sd" / "unet" / "diffusion_pytorch_model.bin").write_bytes(b"pickle bytes")
    assert main(["models", "scan", str(source), "--no-hf-cache"]) == 0
    dest = tmp_path / "refused.gspack"
    for model, words in (("broken", "truncated"), ("old", "pickle")):
        capsys.readouterr()
        assert main(["models", "export", "fox", model, "--to", str(dest)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"cannot export {model}" in err and words in err
        assert not dest.exists() and not list(tmp_path.glob(".refused*"))
    assert main(["models", "export", "tiny-sd", "--to", str(pack)]) == 2  # never overwrites
    assert "already exists" in capsys.readouterr().err
    assert main(["models", "export", "tiny-sd", "--to", str(dest)]) == 0  # .bin beside safetensors
    with tarfile.open(dest) as tar:
        assert UNET in tar.getnames() and not [n for n in tar.getnames() if n.endswith(".bin")]
