"""Text and code replies: the reply as Markdown with its sidecar and gallery row; each
fenced code block a file with its language's extension beside it; a chat's whole
conversation (the request's earlier turns and this one) as `<reply>.conversation.json`.

Nothing is written before the reply is complete: a cancel or a failure leaves no
partial output and the conversation file as it was.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.core.conversation import Conversation, save_conversation
from studio.core.outputs.atomic import write_atomic
from studio.core.requests.text import CodeRequest
from studio.runtime.recorders import Recorder, WrittenOutput

if TYPE_CHECKING:
    from studio.core.outputs.record import OutputRecord
    from studio.engines.text import TextReply
    from studio.engines.text.code_blocks import CodeBlock

_MAX_NAME_TRIES = 1000


class TextRecorder(Recorder):
    """extras: `conversation` (a Conversation to continue), `conversation_path` (where to
    save it; default beside the reply), `fim_extension` (the filled-in file's suffix)."""

    text = ""  # the reply (for FIM: the middle), for front ends that print it
    notes: tuple[str, ...] = ()

    def add(self, reply: TextReply) -> list[WrittenOutput]:
        request, extras = self.ctx.request, self.ctx.extras
        record = self.record(reply.seed, run=reply.run)
        self.text, self.notes = reply.text, tuple(reply.prompt.notes)
        if request.mode == "fim":  # type: ignore[attr-defined]
            assert isinstance(request, CodeRequest)
            filled = request.prefix + reply.text + request.suffix
            main = self.save_text(
                filled, record, extras.get("fim_extension") or _extension(request)
            )
        else:
            main = self.save_text(reply.text, record, ".md")
        written = [main]
        for number, block in enumerate(reply.code_blocks, start=1):
            written.append(self._save_block(record, main.path, number, block, reply))
        if request.mode == "chat":  # type: ignore[attr-defined]
            written.append(self._save_conversation(record, main.path, reply.text))
        return written

    def _save_conversation(self, record: OutputRecord, reply: Path, text: str) -> WrittenOutput:
        request, extras = self.ctx.request, self.ctx.extras
        conversation = extras.get("conversation") or _from_history(request)
        conversation.system = request.system  # type: ignore[attr-defined]
        conversation.add_turn(request.prompt, text, self.ctx.engine.name)  # type: ignore[attr-defined]
        target = extras.get("conversation_path") or reply.with_name(
            reply.stem + ".conversation.json"
        )
        path = save_conversation(conversation, Path(target))
        return WrittenOutput(path, record, None, hashlib.sha256(path.read_bytes()).hexdigest())

    def _save_block(self, record: OutputRecord, reply_path: Path, number: int, block: CodeBlock,
                    reply: TextReply) -> WrittenOutput:  # fmt: skip
        """A code block beside its reply (`<reply name>-<n>.<ext>`), with sidecar and gallery
        row; the sidecar is the writer's, so stripped metadata holds the AI label only."""
        run = {**reply.run, "code_block": number, "language": block.language,
               "reply": reply_path.name}  # fmt: skip
        block_record = self.record(record.seed, number, run=run, created=record.created)
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
        write_atomic(path.with_name(path.name + ".json"), self.ctx.writer.sidecar(block_record))
        return self.save(path, block_record, hashlib.sha256(data).hexdigest())


def _from_history(request: Any) -> Conversation:
    """The conversation so far, as the request carries it (the desktop's chat sends its
    earlier turns in `history`): the saved file then holds every turn, not the last."""
    return Conversation(model=request.model, system=request.system, messages=list(request.history))


def _extension(request: CodeRequest) -> str:
    from studio.engines.text.code_blocks import extension_for

    return extension_for(request.language)
