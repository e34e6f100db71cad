"""`studio models list | scan | detect | info | verify | set | remove | download | export |
import | demo`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from studio.core.errors import ModelError


def register(commands: Any) -> None:
    models = commands.add_parser("models", help="find, identify and manage local models")
    actions = models.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list the catalog")
    listing.add_argument("--task", help="only this task (image, text, translate, music, speech)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_list)
    scan = actions.add_parser("scan", help="scan model folders (PATH is added to them)")
    scan.add_argument("path", nargs="?", type=Path, help="a folder or file to add and scan")
    scan.add_argument("--no-hf-cache", action="store_true", help="skip the Hugging Face cache")
    scan.set_defaults(handler=run_scan)
    detect = actions.add_parser(
        "detect", help="find the model stores of other apps (Ollama, LM Studio, GPT4All, Jan, "
        "AUTOMATIC1111, ComfyUI, InvokeAI); nothing is added or scanned without --add"
    )  # fmt: skip
    detect.add_argument("--add", action="store_true",
                        help="add the stores found as model folders and scan them (models stay "
                        "where they are)")  # fmt: skip
    detect.set_defaults(handler=run_detect)
    for name, handler, text in (("info", run_info, "everything known about a model"),
                                ("verify", run_verify, "re-read a model and compute its hash"),
                                ("remove", run_remove, "forget a model (files stay on disk)")):  # fmt: skip
        action = actions.add_parser(name, help=text)
        action.add_argument("model", help="id, name or path")
        action.set_defaults(handler=handler)
    download = actions.add_parser("download", help="download a model from the Hugging Face Hub")
    download.add_argument("repo_id", help="e.g. stabilityai/sd-turbo")
    download.add_argument("--revision", help="branch, tag or commit (default: main)")
    download.set_defaults(handler=run_download)
    export = actions.add_parser("export", help="write models to a verified pack file")
    export.add_argument("models", nargs="+", metavar="MODEL", help="ids, names or paths")
    export.add_argument("--to", type=Path, required=True, metavar="FILE", help="the pack to write")
    export.set_defaults(handler=run_export)
    load = actions.add_parser("import", help="verify a pack file and add its models")
    load.add_argument("pack", type=Path, metavar="FILE")
    load.add_argument("--to", type=Path, metavar="DIR", help="where the models go (default: "
                      "the models folder in the studio's data folder)")  # fmt: skip
    load.set_defaults(handler=run_import)
    demo = actions.add_parser(
        "demo", help="create small untrained demo models (outputs are noise) to try every view"
    )
    demo.add_argument("--to", type=Path, help="folder (default: demo-models in the data folder)")
    demo.set_defaults(handler=run_demo)
    change = actions.add_parser("set", help="override task/family, allow pickle, tags, notes")
    change.add_argument("model", help="id, name or path")
    change.add_argument("--task")
    change.add_argument("--family")
    change.add_argument("--allow-pickle", choices=("yes", "no"),
                        help="load this model's pickle weights (restricted unpickler, tensors only)")  # fmt: skip
    change.add_argument("--tags")
    change.add_argument("--notes")
    for option, text in (("cpu-offload", "keep components on the CPU until used (CUDA; less VRAM)"),
                         ("vae-tiling", "decode large images in tiles"),
                         ("vae-slicing", "decode a batch one image at a time")):  # fmt: skip
        change.add_argument(f"--{option}", choices=("yes", "no"), help=text)
    change.add_argument("--gpu-layers", type=int, metavar="N",
                        help="GGUF: layers offloaded to the GPU (-1 all, 0 none; default: as many as fit)")  # fmt: skip
    change.add_argument("--context", type=int, metavar="TOKENS",
                        help="GGUF: context length to run with (default: the file's, at most 8192)")  # fmt: skip
    change.set_defaults(handler=run_set)


def _open() -> Any:
    from studio.core.paths import data_paths
    from studio.models.catalog import ModelCatalog

    return ModelCatalog(data_paths().ensure().database)


def run_list(args: argparse.Namespace) -> int:
    with _open() as catalog:
        entries = catalog.entries(task=args.task)
    if args.json:
        print(json.dumps([e.to_dict() for e in entries], indent=2, ensure_ascii=False))
        return 0
    if not entries:
        print("no models yet: run `studio models scan PATH` on a folder of models", file=sys.stderr)
    for e in entries:
        state = f"  PROBLEM: {e.problem}" if e.problem else (f"  ({e.reason})" if e.reason else "")
        print(f"{e.id:>4}  {e.task:<10} {e.family:<12} {e.kind:<11} {e.format:<12} "
              f"{_size(e.size):>9}  {e.name}{state}")  # fmt: skip
    return 0


def run_scan(args: argparse.Namespace) -> int:
    from studio.models.operations import scan_folders

    with _open() as catalog:
        result = scan_folders(catalog, add=args.path, hf_cache=not args.no_hf_cache)
    for problem in result.problems:
        print(f"problem: {problem.path}: {problem.message}", file=sys.stderr)
    for path, survivor in result.merged:
        print(f"duplicate: {path} is the same model as entry {survivor}", file=sys.stderr)
    where = f"{len(result.folders)} folder(s){' and the HF cache' if result.hf_cache else ''}"
    print(f"scanned {where}: {result.added} new, {result.updated} changed, "
          f"{result.unchanged} unchanged, {result.removed} gone, {len(result.problems)} problem(s); "
          f"{result.total} model(s) in the catalog")  # fmt: skip
    return 0


def run_detect(args: argparse.Namespace) -> int:
    from studio.models.operations import add_model_stores, detect_model_stores

    stores = detect_model_stores()
    if not stores:
        print("no model stores found (looked for Ollama, LM Studio, GPT4All, Jan, "
              "AUTOMATIC1111, ComfyUI and InvokeAI in their usual places)")  # fmt: skip
        return 0
    for store in stores:
        count = f"{store.models} model{'' if store.models == 1 else 's'}"
        note = "  (already a model folder)" if store.added else ""
        print(f"{store.name}: {count} in {store.root}{note}")
    wanted = [store.root for store in stores if store.models]
    if not args.add:
        if any(not store.added for store in stores if store.models):
            print("add them as model folders with `studio models detect --add`", file=sys.stderr)
        return 0
    if not wanted:
        print("nothing to add: no models in the stores found", file=sys.stderr)
        return 0
    with _open() as catalog:
        result = add_model_stores(catalog, wanted)
    for problem in result.problems:
        print(f"problem: {problem.path}: {problem.message}", file=sys.stderr)
    for path, survivor in result.merged:
        print(f"duplicate: {path} is the same model as entry {survivor}", file=sys.stderr)
    print(f"added {len(wanted)} store(s) as model folders and scanned them: {result.added} new, "
          f"{result.updated} changed, {result.unchanged} unchanged, {len(result.problems)} "
          f"problem(s); {result.total} model(s) in the catalog")  # fmt: skip
    return 0


def run_info(args: argparse.Namespace) -> int:
    with _open() as catalog:
        entry = catalog.find(args.model)
    print(json.dumps(entry.to_dict(), indent=2, ensure_ascii=False))
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from studio.models.operations import verify_model

    with _open() as catalog:
        result = verify_model(catalog.find(args.model), catalog)
    print(f"ok: {result.name} ({result.task}/{result.family}) sha256 {result.sha256} "
          f"(A1111 hash {result.short_hash})")  # fmt: skip
    if result.merged:
        print(f"duplicate: merged into entry {result.id}", file=sys.stderr)
    return 0


def run_set(args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    if args.task is not None:
        changes["task_override"] = args.task or None
    if args.family is not None:
        changes["family_override"] = args.family or None
    if args.allow_pickle is not None:
        changes["allow_pickle"] = int(args.allow_pickle == "yes")
    if args.tags is not None:
        changes["tags"] = args.tags
    if args.notes is not None:
        changes["notes"] = args.notes
    memory: dict[str, Any] = {name: getattr(args, name) == "yes"
                              for name in ("cpu_offload", "vae_tiling", "vae_slicing")
                              if getattr(args, name) is not None}  # fmt: skip
    if args.gpu_layers is not None:
        if args.gpu_layers < -1:
            raise ModelError(
                f"--gpu-layers must be -1 (all), 0 (none) or a layer count, not {args.gpu_layers}"
            )
        memory["gpu_layers"] = args.gpu_layers
    if args.context is not None:
        if not 16 <= args.context <= 1 << 20:
            raise ModelError(f"--context must be between 16 and 1048576 tokens, not {args.context}")
        memory["context_length"] = args.context
    if not changes and not memory:
        raise ModelError(
            "nothing to change: give --task, --family, --allow-pickle, --tags, --notes, "
            "a memory option (--cpu-offload, --vae-tiling, --vae-slicing) or --gpu-layers/--context"
        )
    with _open() as catalog:
        entry = catalog.find(args.model)
        if memory:
            changes["options"] = {**entry.options, **memory}
        catalog.update(entry.id, **changes)
        entry = catalog.get(entry.id)
    options = ", ".join(k if v is True else f"{k}={v}" for k, v in entry.options.items()
                        if v is not False) or "none"  # fmt: skip
    print(f"{entry.id}: {entry.name} task={entry.task} family={entry.family} "
          f"allow_pickle={'yes' if entry.allow_pickle else 'no'} memory options: {options}")  # fmt: skip
    return 0


def run_download(args: argparse.Namespace) -> int:
    """The one command that goes online, because the user asked; then catalogs the result.
    Offline mode (the default) refuses it in one line before anything touches the network."""
    import os

    from studio.cli.progress import ByteProgress
    from studio.core.offline import require_downloads_allowed
    from studio.models.discovery.candidates import Candidate
    from studio.models.discovery.scanner import ScanReport, scan_candidate
    from studio.models.download import download_model
    from studio.models.hashing import HashCache

    require_downloads_allowed(f"downloading {args.repo_id}")
    with ByteProgress(f"downloading {args.repo_id}") as bar:
        snapshot = download_model(args.repo_id, args.revision, endpoint=os.environ.get("HF_ENDPOINT"),
                                  progress=bar.update)  # fmt: skip
    report = ScanReport()
    with _open() as catalog:
        scan_candidate(catalog, Candidate(snapshot, "hf-cache", args.repo_id),
                       HashCache.default(), report)  # fmt: skip
        entry = catalog.find(str(snapshot))
    print(snapshot)
    print(f"downloaded and verified {args.repo_id}: catalog id {entry.id}, "
          f"{entry.task}/{entry.family}", file=sys.stderr)  # fmt: skip
    return 0


def run_export(args: argparse.Namespace) -> int:
    from studio.cli.progress import ByteProgress
    from studio.models.hashing import HashCache
    from studio.models.packs import export_pack

    with _open() as catalog:
        entries = list({e.id: e for e in map(catalog.find, args.models)}.values())
    hashes = HashCache.default()
    with ByteProgress(f"exporting {len(entries)} model(s)") as bar:
        export_pack(entries, args.to, hashes, bar.update)
    hashes.flush()
    for e in entries:
        print(f"{e.id:>4}  {e.task:<10} {e.family:<12} {_size(e.size):>9}  {e.name}")
    print(f"exported {len(entries)} model(s) to {args.to} ({_size(args.to.stat().st_size)})")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from studio.cli.progress import ByteProgress
    from studio.models.operations import import_pack_file

    with _open() as catalog, ByteProgress(f"importing {args.pack.name}") as bar:
        result = import_pack_file(args.pack, catalog, target=args.to, progress=bar.update)
        entries = [catalog.get(i) for i in result.ids]
    for e in filter(None, entries):
        note = "  (already in the catalog)" if e.id in result.known else ""
        print(f"{e.id:>4}  {e.task:<10} {e.family:<12} {e.path}{note}")
    new = len(result.new_ids)
    print(f"verified {args.pack.name} (sha256): {new} model(s) imported into {result.target}, "
          f"{len(result.ids) - new} already in the catalog")  # fmt: skip
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from studio.core.paths import data_paths
    from studio.demo_models import DEMO_NOTE
    from studio.demo_models.install import install_demo_models

    paths = data_paths().ensure()
    folder = (args.to or paths.home / "demo-models").expanduser().resolve()
    rows = install_demo_models(
        paths.database, folder, progress=lambda name: print(f"building {name}", file=sys.stderr)
    )
    for model_id, task, name in rows:
        print(f"{model_id:>4}  {task:<20} {name}")
    print(f"{len(rows)} demo model(s) in {folder}: {DEMO_NOTE}", file=sys.stderr)
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from studio.models.operations import forget_model

    with _open() as catalog:
        entry = forget_model(catalog, args.model)
    print(f"removed {entry.id}: {entry.name} from the catalog (files left in place)")
    return 0


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)
