"""Run one TextRequest or CodeRequest end to end.

engine (streamed) -> the reply as Markdown with its sidecar -> gallery row; each fenced
code block -> a file with its language's extension beside it; a chat -> the updated
conversation JSON. Nothing is written before the reply is complete: a cancel or a
failure leaves no partial output and the conversation file as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from studio.core.conversation import Conversation, save_conversation
from studio.core.gallery import GalleryStore
from studio.core.outputs.atomic import write_atomic
from studio.core.outputs.record import OutputRecord
from studio.core.outputs.writer import OutputWriter
from studio.core.requests.text import CodeRequest, TextRequest
from studio.engines.contract import CancelledFn, ProgressFn, no_progress
from studio.models.catalog import ModelCatalog
from studio.models.hashing import HashCache, short_hash
from studio.models.spec import ModelSpec
from studio.runtime.loaded_models import load_engine
from studio.runtime.recording import WrittenOutput, save_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from studio.engines.text import TextEngine, TextReply
    from studio.engines.text.code_blocks import CodeBlock

_MAX_NAME_TRIES = 1000


@dataclass
class TextOutputs:
    text: str  # the reply (for FIM: the middle)
    reply: WrittenOutput  # the .md (for FIM: the filled-in file)
    code_files: list[WrittenOutput] = field(default_factory=list)
    conversation: Path | None = None
    notes: list[str] = field(default_factory=list)


def load_text_engine(
    model: str, device: str = "auto", precision: str = "auto", catalog: ModelCatalog | None = None
) -> TextEngine:
    """A causal language model by catalog id, name or path, from the cache or loaded now."""

    def load(spec: ModelSpec) -> TextEngine:
        from studio.engines.text import TextEngine  # torch and transformers load here

        return TextEngine.load(spec, device=device, precision=precision)

    return load_engine("text", model, catalog, load, device, precision)


def generate_text(
    engine: TextEngine,
    request: TextRequest | CodeRequest,
    writer: OutputWriter,
    gallery: GalleryStore,
    hashes: HashCache,
    *,
    on_text: Callable[[str], None] = lambda text: None,
    on_note: Callable[[str], None] = lambda note: None,
    progress: ProgressFn = no_progress,
    cancelled: CancelledFn = lambda: False,
    conversation: Conversation | None = None,
    conversation_path: Path | None = None,
    fim_extension: str | None = None,
) -> TextOutputs:
    """Generate (streaming to `on_text`), then write and record the reply.

    A chat's turn is appended to `conversation` (a new one when None) and saved to
    `conversation_path` (default: beside the reply, `<name>.conversation.json`).
    """
    model_hash = short_hash(hashes.model_sha256(engine.loaded.path))
    hashes.flush()
    reply = engine.generate(request, on_text, progress, cancelled, on_note)
    record = OutputRecord(
        request=request, seed=reply.seed, model_name=engine.name, model_hash=model_hash,
        run=reply.run,
    )  # fmt: skip
    if request.mode == "fim":
        assert isinstance(request, CodeRequest)
        filled = request.prefix + reply.text + request.suffix
        main = save_text(writer, gallery, record, filled, fim_extension or _extension(request))
    else:
        main = save_text(writer, gallery, record, reply.text, ".md")
    outputs = TextOutputs(reply.text, main, notes=list(reply.prompt.notes))
    for number, block in enumerate(reply.code_blocks, start=1):
        outputs.code_files.append(
            _save_block(writer, gallery, record, main.path, number, block, reply)
        )
    if request.mode == "chat":
        conversation = conversation or Conversation()
        conversation.system = request.system
        conversation.add_turn(request.prompt, reply.text, engine.name)
        target = conversation_path or main.path.with_name(main.path.stem + ".conversation.json")
        outputs.conversation = save_conversation(conversation, target)
    return outputs


def _extension(request: CodeRequest) -> str:
    from studio.engines.text.code_blocks import extension_for

    return extension_for(request.language)


def _save_block(
    writer: OutputWriter,
    gallery: GalleryStore,
    record: OutputRecord,
    reply_path: Path,
    number: int,
    block: CodeBlock,
    reply: TextReply,
) -> WrittenOutput:
    """A code block beside its reply (`<reply name>-<n>.<ext>`), with sidecar and gallery row;
    the sidecar is the writer's, so stripped metadata holds the AI label only."""
    run = {**reply.run, "code_block": number, "language": block.language, "reply": reply_path.name}
    block_record = OutputRecord(
        request=record.request, seed=record.seed, index=number, model_name=record.model_name,
        model_hash=record.model_hash, created=record.created, run=run,
    )  # fmt: skip
    data = block.code.encode("utf-8")
    for attempt in range(_MAX_NAME_TRIES):
        extra = "" if attempt == 0 else f"-{attempt + 1}"
        path = reply_path.with_name(f"{reply_path.stem}-{number}{extra}{block.extension}")
        try:
            write_atomic(path, data)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"no free file name for code block {number} beside {reply_path}")
    write_atomic(path.with_name(path.name + ".json"), writer.sidecar(block_record))
    sha256 = hashlib.sha256(data).hexdigest()
    return WrittenOutput(path, block_record, gallery.add(path, block_record, sha256))
