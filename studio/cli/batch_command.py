"""`studio batch JOBFILE`: many outputs into one folder, unattended, resumable."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from studio.core.errors import StudioError

STATE_FILE = "batch.json"


def register(commands: Any) -> None:
    batch = commands.add_parser(
        "batch", help="run a job file (.txt, .csv, .jsonl, .toml, .yaml) into a folder",
        description="Runs every item of JOBFILE into --out. Killed or interrupted? Run the same "
        "command again: only what is missing is made (--resume says so explicitly).",
    )  # fmt: skip
    batch.add_argument("jobfile", type=Path)
    batch.add_argument(
        "--out", type=Path, help="output folder (default: <jobfile name>-outputs beside it)"
    )
    batch.add_argument(
        "--model",
        help="model for items that name none; replaces a sweep's [base] model; required for .txt",
    )
    batch.add_argument(
        "--resume", action="store_true", help="continue the batch in --out (the default)"
    )
    batch.add_argument("--input-dir", type=Path, help="run over every image or text file in DIR")
    batch.add_argument(
        "--devices", default="auto", help="comma-separated, e.g. cuda:0,cuda:1 (default auto)"
    )
    batch.add_argument("--precision", default="auto", help="auto, fp32, fp16 or bf16")
    batch.add_argument(
        "--name-template", default=None, help="file names (default {index:05d}-{seed}-{prompt})"
    )
    batch.set_defaults(handler=run_batch)


def run_batch(args: argparse.Namespace) -> int:
    from studio.core.batch import load_job_file
    from studio.core.outputs.atomic import ensure_dir, write_atomic
    from studio.core.paths import data_paths

    plan = load_job_file(args.jobfile, model=args.model, input_dir=args.input_dir)  # validates all
    out = (
        (args.out or args.jobfile.with_name(args.jobfile.stem + "-outputs")).expanduser().resolve()
    )
    ensure_dir(out)
    _claim_folder(out, plan, write_atomic)
    devices = _devices(args.devices)
    from studio.cli.batch_progress import BatchProgress
    from studio.runtime.batch.runner import BatchRunner

    database = data_paths().ensure().database
    runner = BatchRunner(plan, out, database, devices=devices, precision=args.precision,
                         template=args.name_template)  # fmt: skip
    pending = len(runner.pending())
    print(f"batch: {len(plan.items)} item(s), {len(plan.items) - pending} already done, "
          f"{pending} to run on {', '.join(devices)} -> {out}", file=sys.stderr)  # fmt: skip
    with BatchProgress(pending) as progress:
        runner.on_item = progress.item_done
        summary = runner.run()
    for item_id, error in summary.failures:
        print(f"failed: {item_id}: {error}", file=sys.stderr)
    for grid in summary.grids:
        print(grid)
    if summary.stopped:
        print(f"batch stopped: {summary.stopped}; free some space and run the same command again",
              file=sys.stderr)  # fmt: skip
    print(f"batch done: {summary.done} made, {summary.skipped} already there, {summary.failed} failed "
          f"in {summary.seconds:.1f} s; manifest: {out / 'manifest.jsonl'}", file=sys.stderr)  # fmt: skip
    return 1 if summary.failed or summary.stopped else 0


def _claim_folder(out: Path, plan: Any, write_atomic: Any) -> None:
    """One folder holds one batch: resuming another job file there would overwrite its files."""
    state = out / STATE_FILE
    if state.exists():
        try:
            known = json.loads(state.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise StudioError(f"{state} is unreadable; remove it or choose another --out") from None
        if known.get("fingerprint") != plan.fingerprint:
            raise StudioError(
                f"{out} holds another batch ({known.get('source', '?')}); choose another --out"
            )
        return
    data = {"fingerprint": plan.fingerprint, "source": str(plan.source), "items": len(plan.items)}
    write_atomic(state, json.dumps(data, indent=2).encode("utf-8"), overwrite=True)


def _devices(text: str) -> list[str]:
    if text != "auto":
        return [d.strip() for d in text.split(",") if d.strip()]
    from studio.runtime.jobs.workers import visible_devices  # the runtime's: it imports torch

    return visible_devices()
