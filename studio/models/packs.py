"""Model packs: verified, air-gapped transfer of catalog models as one uncompressed tar.

The first member is manifest.json (every file's size and SHA-256); the rest are the
models' files under `models/<n>-<name>/`. Import trusts nothing in the pack: names are
checked before anything is written, files land in a hidden staging folder and are
hashed as they stream in, and only a pack that matches its manifest in full is moved
into place and registered. Packs carry safe formats only: never a pickle file.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
import re
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from studio.core.errors import ModelError
from studio.core.outputs.atomic import ensure_dir
from studio.models.catalog import CatalogEntry, ModelCatalog, scan_clock
from studio.models.discovery.candidates import Candidate
from studio.models.discovery.scanner import ScanReport, scan_candidate
from studio.models.hashing import HashCache, content_files
from studio.models.identify import identify_path
from studio.models.identify.identity import PICKLE_SUFFIXES

FORMAT, VERSION, MANIFEST = "generative-studio-pack", 1, "manifest.json"
Progress = Callable[[int, int], object] | None
_MAX_MANIFEST = 16 << 20  # a manifest is small: a huge one is an attack on memory
_SHA = re.compile(r"[0-9a-f]{64}")
_KEYS = ("name", "task", "family", "kind", "format", "root")


def safe_name(name: str) -> str:
    """A file-system-safe file or folder name for a model name such as 'org/repo'."""
    return re.sub(r"[^\w.-]+", "-", name).strip(".-")[:80] or "model"


class _Reader:
    """Wraps a file: hashes and counts what is read through it, and reports progress."""

    def __init__(self, raw: IO[bytes], progress: Progress = None, base: int = 0, total: int = 0):
        self.raw, self.progress, self.base, self.total = raw, progress, base, total
        self.digest, self.count, self.shown = hashlib.sha256(), 0, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.digest.update(chunk)
        self.count += len(chunk)
        done = self.base + self.count
        if self.progress and (self.count - self.shown >= 1 << 23 or done == self.total):
            self.shown = self.count  # every 8 MiB and at the end: tarfile reads 16 KiB at a time
            self.progress(done, self.total)
        return chunk


def export_pack(
    entries: Sequence[CatalogEntry], dest: Path, hashes: HashCache, progress: Progress = None
) -> Path:
    """Write `entries` to the pack `dest` through a temp file: never a half-written pack."""
    if dest.exists():
        raise ModelError(f"{dest} already exists; choose another file name")
    models, sources = [], []
    for n, entry in enumerate(entries, 1):
        root, files = _export_files(entry)
        listed = [
            {"path": r, "size": f.stat().st_size, "sha256": hashes.sha256(f)} for r, f in files
        ]
        models.append({"name": entry.name, "task": entry.task, "family": entry.family,
                       "kind": entry.kind, "format": entry.format, "root": f"models/{n}-{safe_name(entry.name)}",
                       "layout": "file" if root.is_file() else "folder", "files": listed})  # fmt: skip
        sources += [(f"{models[-1]['root']}/{item['path']}", item, file)
                    for item, (_rel, file) in zip(listed, files, strict=True)]  # fmt: skip
    manifest = {"format": FORMAT, "version": VERSION, "models": models,
                "created": datetime.now(UTC).isoformat(timespec="seconds")}  # fmt: skip
    data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
    total, done = sum(item["size"] for _name, item, _file in sources), 0
    fd, tmp = tempfile.mkstemp(dir=ensure_dir(dest.parent), prefix=f".{dest.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            with tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as tar:
                tar.addfile(_info(MANIFEST, len(data)), io.BytesIO(data))
                for name, item, file in sources:
                    with file.open("rb") as raw:
                        reader = _Reader(raw, progress, done, total)
                        tar.addfile(_info(name, item["size"]), reader)  # type: ignore[arg-type]
                    if reader.digest.hexdigest() != item["sha256"]:  # the cache trusts mtimes
                        raise ModelError(f"{file} changed while it was exported; try again")
                    done += item["size"]
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, dest)  # unlike rename, never replaces a file that appeared meanwhile
        except FileExistsError:
            raise ModelError(f"{dest} already exists; choose another file name") from None
        except OSError:  # file systems without hard links
            os.replace(tmp, dest)
    except OSError as exc:
        raise ModelError(f"cannot write {dest}: {exc.strerror or _line(exc)}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return dest


def _export_files(entry: CatalogEntry) -> tuple[Path, list[tuple[str, Path]]]:
    """The model's root and its (relative posix path, file) pairs; refuses what must not travel."""
    refuse = f"cannot export {entry.name}:"
    if entry.problem:
        raise ModelError(f"{refuse} {entry.problem}")
    if entry.format == "pickle":
        raise ModelError(f"{refuse} its weights are pickle; packs carry safetensors only")
    root = next((p for p in entry.paths if p.exists()), None)
    if root is None:
        raise ModelError(f"{refuse} its files are missing; rescan it")
    if root.is_file():
        return root, [(root.name, root)]
    files, seen = [], set()
    for folder, dirs, names in os.walk(root, followlinks=True):  # HF snapshots link to blobs
        stat = os.stat(folder)
        dirs[:] = [] if (stat.st_dev, stat.st_ino) in seen else sorted(
            d for d in dirs if not d.startswith(".") and d != "__pycache__")  # fmt: skip
        seen.add((stat.st_dev, stat.st_ino))  # a symlink loop is walked once
        for name in sorted(n for n in names if not n.startswith(".")):
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if not path.is_file():
                raise ModelError(f"{refuse} {rel} is a broken link or not a file")
            if path.suffix.lower() in PICKLE_SUFFIXES:
                if any(n.endswith(".safetensors") for n in names):
                    continue  # loaders use the safetensors beside it
                raise ModelError(f"{refuse} {rel} is pickle; packs carry safetensors only")
            files.append((rel, path))
    return root, files


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o644, int(time.time())
    return info


def import_pack(
    pack: Path,
    target_dir: Path,
    catalog: ModelCatalog,
    hashes: HashCache,
    progress: Progress = None,
) -> list[int]:
    """Verify `pack` in full, then move its models into `target_dir` and register them.

    Returns one catalog id per model. A model already in the catalog (same content, on
    disk) is not copied again: its id is returned. An error leaves nothing behind.
    """
    target_dir = ensure_dir(target_dir.expanduser().resolve())
    staging = Path(tempfile.mkdtemp(dir=target_dir, prefix=".pack-"))  # hidden: scans skip it
    moved: list[Path] = []
    try:
        models = _extract(pack, staging, progress)
        staged = [staging / str(i) / (m["files"][0]["path"] if m["layout"] == "file" else "")
                  for i, m in enumerate(models)]  # fmt: skip
        for model, path in zip(models, staged, strict=True):
            if problem := identify_path(path).problem:
                raise ModelError(f"{pack.name}: {model['name']} cannot be used: {problem}")
        return [
            _register(m, p, target_dir, catalog, hashes, moved)
            for m, p in zip(models, staged, strict=True)
        ]
    except BaseException as exc:
        for path in moved:  # roll back: forget only the new path, delete the copy
            catalog.forget_paths_under(path, scan_clock())
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
        if isinstance(exc, tarfile.TarError | EOFError):
            raise ModelError(f"{pack.name} is damaged or truncated ({_line(exc)}); "
                             "nothing was imported") from None  # fmt: skip
        if isinstance(exc, OSError):
            raise ModelError(f"cannot import {pack.name}: {exc.strerror or _line(exc)}; "
                             "nothing was imported") from None  # fmt: skip
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _extract(pack: Path, staging: Path, progress: Progress) -> list[dict[str, Any]]:
    """Check the manifest, then each member against it while streaming it into `staging`."""
    try:
        tar = tarfile.open(pack, "r|")  # noqa: SIM115  (one pass in order: no seeking over GBs)
    except tarfile.ReadError:
        raise ModelError(f"{pack.name} is not a model pack (not a tar file)") from None
    with tar:
        first = tar.next()
        if not first or first.name != MANIFEST or not first.isreg() or first.size > _MAX_MANIFEST:
            raise ModelError(f"{pack.name} is not a model pack (no {MANIFEST} first)")
        try:
            data = json.loads(tar.extractfile(first).read())  # type: ignore[union-attr]
        except ValueError:
            raise ModelError(f"{pack.name}: unreadable {MANIFEST}; nothing imported") from None
        models = _check_manifest(data, pack.name)
        expected = {f"{m['root']}/{f['path']}": (i, f) for i, m in enumerate(models) for f in m["files"]}  # fmt: skip
        total, done = sum(f["size"] for _i, f in expected.values()), 0
        while (member := tar.next()) is not None:
            if member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
                raise ModelError(f"{pack.name}: {member.name!r} is a link or device; refused")
            if member.name not in expected:
                raise ModelError(f"{pack.name}: {member.name!r} is not in the manifest; refused")
            index, item = expected.pop(member.name)
            dest = staging / str(index) / item["path"]
            dest.parent.mkdir(parents=True, exist_ok=True)
            source = _Reader(tar.extractfile(member), progress, done, total)  # type: ignore[arg-type]
            with dest.open("xb") as out:  # "x": two names for one file (case folding) fail here
                while chunk := source.read(1 << 20):
                    out.write(chunk)
                os.fsync(out.fileno())
            if source.count != item["size"] or source.digest.hexdigest() != item["sha256"]:
                raise ModelError(f"{pack.name}: {member.name} does not match its size and sha256 "
                                 "in the manifest; nothing was imported")  # fmt: skip
            done += item["size"]
        if expected:
            raise ModelError(f"{pack.name} is incomplete: {next(iter(expected))} is missing; "
                             "nothing was imported")  # fmt: skip
    return models


def _check_manifest(data: Any, label: str) -> list[dict[str, Any]]:
    def bad(why: str) -> ModelError:
        return ModelError(f"{label}: bad manifest ({why}); nothing was imported")

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(f"{label} is not a Generative Studio model pack")
    if data.get("version") != VERSION:
        raise ModelError(f"{label} is pack version {data.get('version')!r}; this studio reads {VERSION}")  # fmt: skip
    models, roots = data.get("models"), set()
    if not isinstance(models, list) or not models:
        raise bad("no models")
    for m in models:
        if not isinstance(m, dict) or not all(_text(m.get(k)) for k in _KEYS):
            raise bad(f"a model lacks one of {', '.join(_KEYS)}")
        root, files, name = m["root"], m.get("files"), m["name"]
        if not (_relative(root) and re.fullmatch(r"models/[^/]+", root)) or root in roots:
            raise bad(f"model root {root!r}")
        roots.add(root)
        if m.get("layout") not in ("file", "folder") or not isinstance(files, list) or not files:
            raise bad(f"{name} has no layout or no files")
        for f in files:
            path = f.get("path") if isinstance(f, dict) else None
            if not _relative(path) or Path(path).suffix.lower() in PICKLE_SUFFIXES:
                raise bad(f"{name}: unsafe path {path!r}; packs carry no pickle files")
            size, sha = f.get("size"), str(f.get("sha256"))
            if type(size) is not int or size < 0 or not _SHA.fullmatch(sha):
                raise bad(f"{name}: {path} lacks its size or sha256")
        if len({f["path"] for f in files}) != len(files) or (
                m["layout"] == "file" and (len(files) != 1 or "/" in files[0]["path"])):  # fmt: skip
            raise bad(f"{name}: repeated paths, or a file model with folders")
    return models


def _text(value: Any, limit: int = 200) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit and value.isprintable()


def _relative(path: Any) -> bool:
    """A plain relative posix path: nothing absolute, no `..`, no drive or backslash."""
    return (_text(path, 4096) and not path.startswith("/") and not {"\\", ":"} & set(path)
            and all(part not in ("", ".", "..") for part in path.split("/")))  # fmt: skip


def _register(model: dict[str, Any], path: Path, target_dir: Path, catalog: ModelCatalog,
              hashes: HashCache, moved: list[Path]) -> int:  # fmt: skip
    """Move one verified model into place and catalog it, or return the entry it duplicates."""
    by_path = {f["path"]: f["sha256"] for f in model["files"]}
    if path.is_file():
        sha, stem, suffix = by_path[path.name], safe_name(path.stem), path.suffix
    else:  # HashCache.model_sha256's recipe, from hashes already verified
        digest = hashlib.sha256()
        for file in content_files(path):
            rel = file.relative_to(path).as_posix()
            digest.update(rel.encode() + bytes.fromhex(by_path[rel]))
        sha, stem, suffix = digest.hexdigest(), safe_name(model["name"]), ""
    existing = _existing(catalog, hashes, sha, sum(f["size"] for f in model["files"]))
    if existing is not None:
        return existing
    final = _move_to_free_name(path, target_dir, stem, suffix)
    moved.append(final)
    hint = {k: "" if model[k] == "unknown" else model[k] for k in ("kind", "family")}
    candidate = Candidate(final, "pack", model["name"], hint["kind"], hint["family"])
    scan_candidate(catalog, candidate, hashes, ScanReport())
    new_id = catalog.find(str(final)).id
    survivor, entry = catalog.set_hash(new_id, sha), catalog.get(new_id)
    if survivor == new_id and entry:  # show what the exporting studio showed (its overrides too)
        changes = {f"{k}_override": model[k] for k in ("task", "family")
                   if model[k] != "unknown" and getattr(entry, f"detected_{k}") != model[k]}  # fmt: skip
        if changes:
            catalog.update(new_id, **changes)
    return survivor


def _existing(catalog: ModelCatalog, hashes: HashCache, sha: str, size: int) -> int | None:
    """The entry that already holds this content in a file on disk, if any."""
    for entry in catalog.entries():
        live = next((p for p in entry.paths if p.exists()), None)
        if live and entry.sha256 == sha:
            return entry.id
        if not live or entry.sha256 or entry.size != size:
            continue
        try:  # same size, never hashed: the only way left to tell (the scanner does the same)
            known = hashes.model_sha256(live)
        except OSError:
            continue
        survivor = catalog.set_hash(entry.id, known)
        if known == sha:
            return survivor
    return None


def _move_to_free_name(src: Path, folder: Path, stem: str, suffix: str) -> Path:
    """Rename `src` into `folder` as stem, stem-2, ...: never over an existing file or folder."""
    for n in itertools.count(1):
        dest = folder / f"{stem}{'' if n == 1 else f'-{n}'}{suffix}"
        if dest.exists() or dest.is_symlink():
            continue
        if src.is_file():
            try:
                os.link(src, dest)  # unlike rename, fails if a file appeared meanwhile
            except FileExistsError:
                continue
            except OSError:  # file systems without hard links
                os.rename(src, dest)
            src.unlink(missing_ok=True)
        else:
            os.rename(src, dest)  # replaces at most an empty folder (POSIX); Windows never does
        return dest
    raise AssertionError("unreachable")


def _line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
