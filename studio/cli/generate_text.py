"""`studio generate text` and `studio generate code`: the reply streams to stdout.

stdout carries only the generated text, so it can be piped; the written files' paths
and any notes (turns dropped to fit the context, ...) go to stderr.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from studio.cli.output_options import add_output_arguments
from studio.core.errors import ValidationError
from studio.core.requests.text import CodeRequest, TextRequest

_STREAMS = (
    "The reply streams to stdout as it is generated; the paths of the written files (the reply "
    "with its .json sidecar, code blocks, the conversation) and notes go to stderr."
)


def register_text(tasks: Any) -> None:
    text = tasks.add_parser(
        "text", help="chat with, or continue text from, a local language model",
        description=f"Chat with a local causal language model. {_STREAMS}",
    )  # fmt: skip
    _model_argument(text)
    text.add_argument("--prompt", required=True, help="your message (or the text to continue)")
    _chat_arguments(text)
    text.add_argument("--completion", action="store_true",
                      help="continue --prompt as plain text: no chat template, no conversation")  # fmt: skip
    _common_arguments(text, TextRequest)
    text.set_defaults(handler=run_text)


def register_code(tasks: Any) -> None:
    code = tasks.add_parser(
        "code", help="write code with a local language model; fill-in-the-middle (--prefix/--suffix)",
        description=f"Code with presets tuned for it (low temperature, no repetition penalty). "
        f"Fenced code blocks in the reply are saved as files with their language's extension. "
        f"Fill-in-the-middle (--prefix/--suffix or --fim-file) needs a model with FIM tokens and "
        f"saves the filled-in file. {_STREAMS}",
    )  # fmt: skip
    _model_argument(code)
    code.add_argument("--prompt", default="", help="what to write (not needed for FIM)")
    _chat_arguments(code)
    code.add_argument("--completion", action="store_true", help="continue --prompt as plain code")
    code.add_argument("--prefix", help="fill-in-the-middle: the code before the cursor")
    code.add_argument("--suffix", help="fill-in-the-middle: the code after the cursor")
    code.add_argument("--fim-file", type=Path, metavar="PATH",
                      help="fill-in-the-middle at --cursor-marker in this file (left unchanged)")  # fmt: skip
    code.add_argument("--cursor-marker", default="<CURSOR>", metavar="TEXT",
                      help="where --fim-file's middle goes (default: <CURSOR>, exactly once)")  # fmt: skip
    code.add_argument("--language", default="", help="e.g. python: names untagged code blocks")
    _common_arguments(code, CodeRequest)
    code.set_defaults(handler=run_code)


def _model_argument(parser: Any) -> None:
    parser.add_argument("--model", required=True, help="catalog id or name, or a model folder")


def _chat_arguments(parser: Any) -> None:
    parser.add_argument("--system", default=None, help="system prompt (kept in the conversation)")
    parser.add_argument("--conversation", type=Path, metavar="FILE.json",
                        help="continue this conversation (created if missing); the turn is saved back")  # fmt: skip
    parser.add_argument("--export-markdown", type=Path, metavar="FILE.md",
                        help="also write the whole conversation as Markdown (replaced if present)")  # fmt: skip


def _common_arguments(parser: Any, request_type: type) -> None:
    preset = {f.name: f.default for f in dataclasses.fields(request_type)}
    flags = (
        ("--temperature", float, "temperature", "0 = greedy"), ("--top-p", float, "top_p", "1 = off"),
        ("--top-k", int, "top_k", "0 = off"), ("--min-p", float, "min_p", "0 = off"),
        ("--repetition-penalty", float, "repetition_penalty", "1 = off"),
        ("--max-new-tokens", int, "max_new_tokens", "length limit of the reply"),
        ("--seed", int, "seed", "-1 picks one at random; a fixed seed repeats the reply"),
        ("--alternatives", int, "alternatives",
         "K: keep each generated token's K likeliest alternatives in the sidecar (run.alternatives)"),
    )  # fmt: skip
    for flag, kind, name, note in flags:
        parser.add_argument(flag, type=kind, default=preset[name], help=f"{note} (default {preset[name]})")  # fmt: skip
    parser.add_argument("--stop", action="append", default=[], metavar="STR",
                        help="end the reply before this text; repeatable")  # fmt: skip
    add_output_arguments(parser)
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    parser.add_argument("--precision", default="auto", help="auto, fp32, fp16 or bf16")


def _sampling(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "model": str(args.model), "temperature": args.temperature, "top_p": args.top_p,
        "top_k": args.top_k, "min_p": args.min_p, "repetition_penalty": args.repetition_penalty,
        "max_new_tokens": args.max_new_tokens, "seed": args.seed, "stop": tuple(args.stop),
        "alternatives": args.alternatives,
    }  # fmt: skip


def _open_conversation(args: argparse.Namespace, chat: bool) -> Any:
    from studio.core.conversation import Conversation, load_conversation

    if not chat:
        if args.conversation or args.export_markdown or args.system is not None:
            raise ValidationError("--conversation, --export-markdown and --system are for chat")
        return None
    path = args.conversation
    return load_conversation(path) if path is not None and path.exists() else Conversation()


def _chat_fields(args: argparse.Namespace, conversation: Any) -> dict[str, Any]:
    system = args.system if args.system is not None else conversation.system
    return {"system": system, "history": tuple(conversation.messages)}


def run_text(args: argparse.Namespace) -> int:
    conversation = _open_conversation(args, chat=not args.completion)
    chat = _chat_fields(args, conversation) if conversation is not None else {}
    mode = "chat" if conversation is not None else "completion"
    request = TextRequest(prompt=args.prompt, mode=mode, **chat, **_sampling(args))
    return _generate(args, request, conversation)


def run_code(args: argparse.Namespace) -> int:
    prefix, suffix, extension = _fim_parts(args)
    fim = prefix is not None
    if fim and args.completion:
        raise ValidationError("--completion and fill-in-the-middle do not mix")
    conversation = _open_conversation(args, chat=not (fim or args.completion))
    chat = _chat_fields(args, conversation) if conversation is not None else {}
    mode = "fim" if fim else "chat" if conversation is not None else "completion"
    request = CodeRequest(
        prompt=args.prompt, mode=mode, prefix=prefix or "", suffix=suffix or "",
        language=args.language, **chat, **_sampling(args),
    )  # fmt: skip
    return _generate(args, request, conversation, extension)


def _fim_parts(args: argparse.Namespace) -> tuple[str | None, str | None, str | None]:
    """(prefix, suffix, extension of the filled file) when FIM was asked for, else Nones."""
    if args.fim_file is None:
        if args.prefix is None and args.suffix is None:
            return None, None, None
        return args.prefix or "", args.suffix or "", None
    if args.prefix is not None or args.suffix is not None:
        raise ValidationError("give --fim-file or --prefix/--suffix, not both")
    try:
        source = args.fim_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"cannot read {args.fim_file}: {exc}") from None
    marker = args.cursor_marker
    if not marker or source.count(marker) != 1:
        raise ValidationError(
            f"cursor marker {marker!r} must appear exactly once in {args.fim_file} "
            f"(found {source.count(marker) if marker else 0})"
        )
    prefix, suffix = source.split(marker)
    return prefix, suffix, args.fim_file.suffix or None


def _generate(
    args: argparse.Namespace,
    request: TextRequest | CodeRequest,
    conversation: Any,
    extension: str | None = None,
) -> int:
    from studio.cli.output_options import generate
    from studio.core.conversation import conversation_markdown
    from studio.core.outputs.atomic import write_atomic

    streamed: list[str] = []

    def stream(chunk: str) -> None:
        streamed.append(chunk)
        sys.stdout.write(chunk)
        sys.stdout.flush()

    def note(text: str) -> None:
        print(f"studio: note: {text}", file=sys.stderr, flush=True)

    extras = {
        "conversation": conversation, "fim_extension": extension,
        "conversation_path": args.conversation if conversation is not None else None,
    }  # fmt: skip
    # No progress bar: the streamed text is the progress.
    result = generate(args, request, extras=extras, text=stream, note=note)
    if not "".join(streamed).endswith("\n"):
        print(flush=True)  # end the streamed line; the reply file holds the exact text
    for written in result.outputs:  # the reply, its code blocks, the conversation
        print(written.path, file=sys.stderr)
    if conversation is not None and args.export_markdown:
        markdown = conversation_markdown(conversation).encode("utf-8")
        print(write_atomic(args.export_markdown, markdown, overwrite=True), file=sys.stderr)
    return 0
