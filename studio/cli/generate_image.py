"""`studio generate image ...`: text-to-image, image-to-image and inpainting."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from studio.cli.output_options import add_output_arguments
from studio.cli.parser import parse_lora, parse_size
from studio.core.requests import DEFAULT_SAMPLER, ImageRequest


def register(tasks: Any) -> None:
    image = tasks.add_parser(
        "image", help="text-to-image, image-to-image (--init-image) or inpainting (--mask)"
    )
    image.add_argument(
        "--model", required=True, help="catalog id or name, a diffusers folder or a checkpoint file"
    )
    image.add_argument("--prompt", required=True)
    image.add_argument("--negative", default="", help="negative prompt")
    image.add_argument("--steps", type=int, default=25)
    image.add_argument("--size", type=parse_size, default=(512, 512), metavar="WxH")
    image.add_argument("--seed", type=int, default=-1, help="-1 picks one at random")
    image.add_argument("--count", type=int, default=1, help="number of batches (batch count)")
    image.add_argument("--batch-size", type=int, default=1, help="images per batch")
    image.add_argument("--guidance", type=float, default=7.0, help="CFG scale")
    image.add_argument(
        "--sampler", default=DEFAULT_SAMPLER, help='e.g. "Euler a", "DPM++ 2M Karras"'
    )
    image.add_argument("--init-image", type=Path, help="start from this image (img2img)")
    image.add_argument("--strength", type=float, default=0.75, help="img2img/inpaint denoising")
    image.add_argument("--mask", type=Path, help="inpaint where the mask is white")
    image.add_argument("--lora", action="append", default=[], type=parse_lora, metavar="MODEL[:WEIGHT]",
                       help="apply a LoRA (catalog id, name or path), weight 1 by default; repeatable")  # fmt: skip
    image.add_argument("--embedding", action="append", default=[], metavar="MODEL",
                       help="load a textual-inversion embedding; use its name in the prompt")  # fmt: skip
    add_output_arguments(image)
    image.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    image.add_argument("--precision", default="auto", help="auto, fp32, fp16 or bf16")
    image.set_defaults(handler=run_image)


def build_image_request(args: argparse.Namespace) -> ImageRequest:
    mode = "inpaint" if args.mask else "img2img" if args.init_image else "txt2img"
    width, height = args.size
    return ImageRequest(
        model=str(args.model), prompt=args.prompt, negative_prompt=args.negative, mode=mode,
        width=width, height=height, steps=args.steps, guidance=args.guidance,
        sampler=args.sampler, seed=args.seed, batch_size=args.batch_size,
        batch_count=args.count, strength=args.strength,
        init_image=str(args.init_image) if args.init_image else None,
        mask_image=str(args.mask) if args.mask else None,
        loras=tuple(args.lora), embeddings=tuple(args.embedding),
    )  # fmt: skip


def run_image(args: argparse.Namespace) -> int:
    from studio.cli.output_options import generate, print_path
    from studio.cli.progress import StepProgress

    request = build_image_request(args)  # validate before any slow import
    with StepProgress("generating") as bar:
        result = generate(args, request, bar, on_output=print_path)
    print(f"done: {request.image_count} image(s) in {result.out_dir}", file=sys.stderr)
    return 0
