"""`studio generate music ...` and `studio generate speech ...`: the file on stdout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from studio.cli.output_options import add_output_arguments
from studio.core.requests.audio import AUDIO_FORMATS, MusicRequest, SpeechRequest


def register_music(tasks: Any) -> None:
    music = tasks.add_parser(
        "music", help="text to music (MusicGen, MusicGen-Melody, AudioLDM 2, Stable Audio)"
    )
    music.add_argument("--model", required=True, help="catalog id or name, or a model folder")
    music.add_argument("--prompt", default="", help="what the music should be like")
    music.add_argument("--seconds", type=float, default=10.0, help="length of new music")
    music.add_argument(
        "--melody", type=Path, help="audio file whose melody to follow (Melody models)"
    )
    music.add_argument("--continue", dest="continue_from", type=Path, metavar="FILE",
                       help="audio file to continue; the output starts with it")  # fmt: skip
    music.add_argument("--seed", type=int, default=-1, help="-1 picks one at random")
    music.add_argument("--guidance", type=float, default=3.0, help="classifier-free guidance")
    music.add_argument(
        "--steps", type=int, default=100, help="diffusion steps (AudioLDM 2, Stable Audio)"
    )
    music.add_argument("--negative", default="", help="negative prompt (diffusion models)")
    _common(music)
    music.set_defaults(handler=run_music)


def register_speech(tasks: Any) -> None:

    speech = tasks.add_parser("speech", help="text to speech (VITS/MMS-TTS, SpeechT5, Bark)")
    speech.add_argument("--model", required=True, help="catalog id or name, or a model folder")
    speech.add_argument(
        "--text", required=True, help="what to say; long text is read sentence by sentence"
    )
    speech.add_argument("--speaker", type=Path,
                        help="SpeechT5: x-vector .npy/.safetensors (512 numbers); Bark: voice preset .npz")  # fmt: skip
    speech.add_argument(
        "--vocoder", type=Path, help="SpeechT5's HiFi-GAN folder (default: MODEL/vocoder)"
    )
    speech.add_argument("--seed", type=int, default=-1, help="-1 picks one at random")
    speech.add_argument(
        "--pause", type=float, default=0.3, help="seconds of silence between sentences"
    )
    _common(speech)
    speech.set_defaults(handler=run_speech)


def _common(parser: Any) -> None:
    parser.add_argument("--format", default="wav", choices=AUDIO_FORMATS, help="file format")
    add_output_arguments(parser)
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    parser.add_argument("--precision", default="auto", help="auto, fp32, fp16 or bf16")


def _path(value: Path | None) -> str | None:
    return str(value) if value else None


def build_music_request(args: argparse.Namespace) -> MusicRequest:
    return MusicRequest(
        model=str(args.model), prompt=args.prompt, seconds=args.seconds, seed=args.seed,
        guidance=args.guidance, steps=args.steps, negative_prompt=args.negative,
        melody=_path(args.melody), continue_from=_path(args.continue_from), format=args.format,
    )  # fmt: skip


def build_speech_request(args: argparse.Namespace) -> SpeechRequest:
    return SpeechRequest(
        model=str(args.model), text=args.text, speaker=_path(args.speaker),
        vocoder=_path(args.vocoder), seed=args.seed, pause=args.pause, format=args.format,
    )  # fmt: skip


def run_music(args: argparse.Namespace) -> int:
    request = build_music_request(args)  # validate before any slow import
    written = _make(args, request, "composing")
    seconds = written.record.run.get("duration", request.seconds)
    print(f"done: {seconds:g} s of music in {written.path.parent}", file=sys.stderr)
    return 0


def run_speech(args: argparse.Namespace) -> int:
    request = build_speech_request(args)  # validate before any slow import
    written = _make(args, request, "speaking")
    seconds = written.record.run.get("duration", 0)
    print(f"done: {seconds:g} s of speech in {written.path.parent}", file=sys.stderr)
    return 0


def _make(args: argparse.Namespace, request: Any, label: str) -> Any:
    from studio.cli.output_options import generate, print_path
    from studio.cli.progress import StepProgress

    with StepProgress(label) as bar:
        [written] = generate(args, request, bar).outputs
    print_path(written)
    return written
