"""`studio generate translate`: a text (translation on stdout) or a document (its path on stdout).

studio generate translate --model M --from pt --to en (--text TEXT | --file PATH)
    [--batch-size N] [--beams N] [--out DIR] [--name-template T] [--device D] [--precision P]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from studio.cli.output_options import add_output_arguments
from studio.cli.progress import StepProgress


def register(tasks: Any) -> None:
    parser = tasks.add_parser(
        "translate", help="translate a text or a .txt/.md/.srt document with a local model"
    )
    parser.add_argument("--model", required=True, help="catalog id or name, or a model folder "
                        "(Marian opus-mt, M2M100, NLLB-200, MADLAD/T5)")  # fmt: skip
    parser.add_argument("--from", dest="source", required=True, metavar="LANG",
                        help="source language: ISO 639-1 (pt), 639-3 (por) or FLORES-200 (por_Latn)")  # fmt: skip
    parser.add_argument(
        "--to", dest="target", required=True, metavar="LANG", help="target language"
    )
    given = parser.add_mutually_exclusive_group(required=True)
    given.add_argument("--text", help="the text to translate (the translation goes to stdout)")
    given.add_argument("--file", type=Path, help="a .txt, .md or .srt document; the translation "
                       "is written beside the outputs with the same extension")  # fmt: skip
    parser.add_argument("--batch-size", type=int, default=8, help="sentences per model call")
    parser.add_argument("--beams", type=int, default=1, help="beam search width (1: greedy)")
    add_output_arguments(parser)
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    parser.add_argument("--precision", default="auto", help="auto, fp32, fp16 or bf16")
    parser.set_defaults(handler=run_translate)


class SentenceProgress(StepProgress):
    unit = "sentence"


def run_translate(args: argparse.Namespace) -> int:
    from studio.cli.output_options import generate
    from studio.core.requests.translate import TranslateRequest
    from studio.core.text_segments import read_document

    # Validate everything cheap (languages, text, the file) before any slow import. The
    # record names the file in full.
    file = str(args.file.expanduser().absolute()) if args.file else None
    request = TranslateRequest(
        model=str(args.model), source=args.source, target=args.target, text=args.text or "",
        file=file, batch_size=args.batch_size, beams=args.beams,
    )  # fmt: skip
    if request.file:
        read_document(Path(request.file))
    with SentenceProgress("translating") as bar:
        result = generate(args, request, bar)
    [written], translation = result.outputs, result.recorder
    if request.file:
        print(written.path, flush=True)
    else:
        print(translation.text, flush=True)
        print(written.path, file=sys.stderr)
    print(f"done: {translation.sentences} sentence(s) translated", file=sys.stderr)
    return 0
