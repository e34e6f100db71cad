"""Conversations on disk: versioned JSON that a chat continues from, and a Markdown export.

    {"format": "generative-studio-conversation", "version": 1, "model": "...",
     "system": "...", "messages": [{"role": "user", "content": "..."}, ...],
     "created": "...", "updated": "..."}

A file that is not such a document is refused with one line; it is never overwritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studio.core.errors import ValidationError
from studio.core.outputs.atomic import write_atomic
from studio.core.requests.text import Message, check_messages

FORMAT = "generative-studio-conversation"
VERSION = 1


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Conversation:
    model: str = ""
    system: str = ""
    messages: list[Message] = field(default_factory=list)
    created: str = field(default_factory=_now)
    updated: str = field(default_factory=_now)

    def add_turn(self, prompt: str, reply: str, model: str) -> None:
        self.messages += [Message("user", prompt), Message("assistant", reply)]
        self.model, self.updated = model, _now()

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "model": self.model,
            "system": self.system,
            "messages": [{"role": m.role, "content": m.content} for m in self.messages],
            "created": self.created,
            "updated": self.updated,
        }

    @classmethod
    def from_dict(cls, data: object) -> Conversation:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValidationError("not a Generative Studio conversation (no 'format' marker)")
        version = data.get("version")
        if not isinstance(version, int) or not 1 <= version <= VERSION:
            raise ValidationError(
                f"conversation version {version!r} is not supported (this version reads 1)"
            )
        for name in ("model", "system", "created", "updated"):
            if not isinstance(data.get(name, ""), str):
                raise ValidationError(f"conversation field '{name}' must be text")
        return cls(
            model=data.get("model", ""),
            system=data.get("system", ""),
            messages=list(check_messages(data.get("messages", []))),
            created=data.get("created") or _now(),
            updated=data.get("updated") or _now(),
        )


def load_conversation(path: Path) -> Conversation:
    """Read a conversation file; any problem is one ValidationError line naming the file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(f"conversation file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"cannot read conversation {path}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"conversation {path} is not valid JSON: {exc.msg} at line {exc.lineno}"
        ) from None
    try:
        return Conversation.from_dict(data)
    except ValidationError as exc:
        raise ValidationError(f"conversation {path}: {exc}") from None


def save_conversation(conversation: Conversation, path: Path) -> Path:
    """Write (or replace) the file atomically: a crash leaves the old version, never half."""
    data = json.dumps(conversation.to_dict(), ensure_ascii=False, indent=2) + "\n"
    return write_atomic(Path(path), data.encode("utf-8"), overwrite=True)


def conversation_markdown(conversation: Conversation, title: str = "Conversation") -> str:
    """A readable Markdown transcript; assistant turns are labelled as AI-generated."""
    lines = [f"# {title}", ""]
    facts = [f"model: `{conversation.model}`"] if conversation.model else []
    facts.append(f"updated {conversation.updated}")
    lines += [f"_{' · '.join(facts)} · assistant replies are AI-generated_", ""]
    if conversation.system:
        lines += ["## System", "", conversation.system.strip(), ""]
    for message in conversation.messages:
        heading = "User" if message.role == "user" else "Assistant (AI-generated)"
        lines += [f"## {heading}", "", message.content.strip(), ""]
    return "\n".join(lines)
