"""`studio generate unconditional` and `studio generate walk` (latent exploration)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from studio.cli.output_options import add_output_arguments
from studio.cli.parser import parse_size
from studio.core.errors import ValidationError
from studio.core.requests import DEFAULT_SAMPLER, LatentWalkRequest, UnconditionalRequest


def register_unconditional(tasks: Any) -> None:
    uncond = tasks.add_parser(
        "unconditional", help="images from an unconditional model (DDPM, DDIM, LDM)"
    )
    uncond.add_argument("--model", required=True, help="catalog id or name, or a pipeline folder")
    uncond.add_argument("--steps", type=int, default=50)
    uncond.add_argument("--seed", type=int, default=-1, help="-1 picks one at random")
    uncond.add_argument("--count", type=int, default=1, help="number of batches")
    uncond.add_argument("--batch-size", type=int, default=1)
    uncond.add_argument("--sampler", default=DEFAULT_SAMPLER)
    uncond.add_argument("--eta", type=float, default=0.0, help="DDIM noise (0: deterministic)")
    _device_arguments(uncond)
    add_output_arguments(uncond)
    uncond.set_defaults(handler=run_unconditional)


def register_walk(tasks: Any) -> None:

    walk = tasks.add_parser(
        "walk", help="a latent walk: frames between seeds (and prompts), plus a GIF"
    )
    walk.add_argument("--model", required=True, help="an image or unconditional model")
    walk.add_argument("--seeds", type=_seeds, default=None, help="comma-separated, e.g. 1,2,3")
    walk.add_argument(
        "--prompt", action="append", default=[], help="one per keyframe, or one for all"
    )
    walk.add_argument("--negative", default="")
    walk.add_argument("--frames", type=int, default=8, help="frames between two keyframes")
    walk.add_argument("--loop", action="store_true", help="walk back to the first keyframe")
    walk.add_argument("--fps", type=int, default=8)
    walk.add_argument("--size", type=parse_size, default=(512, 512), metavar="WxH")
    walk.add_argument("--steps", type=int, default=25)
    walk.add_argument("--guidance", type=float, default=7.0)
    walk.add_argument("--sampler", default=DEFAULT_SAMPLER)
    _device_arguments(walk)
    add_output_arguments(walk)
    walk.set_defaults(handler=run_walk)


def _device_arguments(parser: Any) -> None:
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    parser.add_argument("--precision", default="auto", help="auto, fp32, fp16 or bf16")


def _seeds(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"seeds must be whole numbers separated by commas, got {text!r}"
        ) from None


def run_unconditional(args: argparse.Namespace) -> int:
    from studio.cli.output_options import generate, print_path
    from studio.cli.progress import StepProgress

    request = UnconditionalRequest(model=args.model, steps=args.steps, seed=args.seed,
                                   batch_size=args.batch_size, batch_count=args.count,
                                   sampler=args.sampler, eta=args.eta)  # fmt: skip
    with StepProgress("generating") as bar:
        result = generate(args, request, bar, on_output=print_path)
    print(f"done: {request.image_count} image(s) in {result.out_dir}", file=sys.stderr)
    return 0


def run_walk(args: argparse.Namespace) -> int:
    from studio.cli.output_options import generate
    from studio.cli.progress import StepProgress

    seeds = args.seeds if args.seeds is not None else (0,)
    if len(seeds) < 2 and len(args.prompt) < 2:
        raise ValidationError("a walk needs --seeds with at least two seeds, or two --prompt")
    width, height = args.size
    request = LatentWalkRequest(
        model=args.model, seeds=seeds, prompts=tuple(args.prompt), negative_prompt=args.negative,
        frames_between=args.frames, loop=args.loop, width=width, height=height, steps=args.steps,
        guidance=args.guidance, sampler=args.sampler, fps=args.fps,
    )  # fmt: skip
    with StepProgress("walking") as bar:
        [written] = generate(args, request, bar).outputs
    for frame in sorted(written.path.parent.glob("frame-*.png")):
        print(frame)
    print(written.path)
    print(
        f"done: {request.frame_count} frame(s) and a preview in {written.path.parent}",
        file=sys.stderr,
    )
    return 0
