"""Chats on disk: one JSON file per conversation under `<data>/conversations`.

Each file is a studio conversation document (studio.core.conversation: the CLI and
`load_conversation` read it) plus what only the chat view needs: a title and, per
message, its state (a stopped or failed reply) and its timing. No Qt here.
"""

from __future__ import annotations

import itertools
import json
import secrets
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studio.core.conversation import Conversation
from studio.core.errors import ValidationError
from studio.core.outputs.atomic import write_atomic
from studio.core.requests.text import Message

DONE, STREAMING, STOPPED, FAILED = "done", "streaming", "stopped", "failed"
STATES = (DONE, STREAMING, STOPPED, FAILED)
TITLE_LENGTH = 48


def _now() -> str:
    # Milliseconds: the list sorts by this, and one second can see several saves.
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class ChatMessage:
    role: str  # "user" or "assistant"
    text: str = ""
    state: str = DONE
    error: str = ""  # one line, for a failed reply
    stats: dict[str, Any] = field(default_factory=dict)  # ttft_s, tokens_per_s, tokens, ...


@dataclass
class Chat:
    title: str = ""
    system: str = ""
    model: str = ""
    messages: list[ChatMessage] = field(default_factory=list)
    created: str = field(default_factory=_now)
    updated: str = field(default_factory=_now)
    path: Path | None = None  # None until first saved

    def name(self) -> str:
        """The title, else the first question, shortened for a list."""
        if self.title.strip():
            return self.title.strip()
        first = next((m.text for m in self.messages if m.role == "user"), "")
        return short_title(first)

    def last_question(self) -> int | None:
        """The index of the last user message."""
        users = [i for i, m in enumerate(self.messages) if m.role == "user"]
        return users[-1] if users else None

    def history(self, end: int | None = None) -> list[Message]:
        """The turns before message `end` that a model should see: question and answer
        pairs only (a failed reply and its question are left out, so roles alternate)."""
        messages = self.messages[:end]
        turns: list[Message] = []
        for ask, answer in itertools.pairwise(messages):
            if (
                ask.role == "user"
                and answer.role == "assistant"
                and answer.state in (DONE, STOPPED)
            ):
                turns += [Message("user", ask.text), Message("assistant", answer.text)]
        return turns

    def to_dict(self) -> dict[str, Any]:
        conversation = Conversation(
            model=self.model, system=self.system, created=self.created, updated=self.updated,
            messages=[Message(m.role, m.text) for m in self.messages],
        )  # fmt: skip
        details = [{"state": m.state, "error": m.error, "stats": m.stats} for m in self.messages]
        return {**conversation.to_dict(), "title": self.title, "details": details}

    @classmethod
    def from_dict(cls, data: Any) -> Chat:
        conversation = Conversation.from_dict(data)  # the format's own checks, one line each
        details = data.get("details")
        details = details if isinstance(details, list) else []
        messages = []
        for index, message in enumerate(conversation.messages):
            extra = (
                details[index] if index < len(details) and isinstance(details[index], dict) else {}
            )
            state = extra.get("state") if extra.get("state") in STATES else DONE
            if state == STREAMING:  # the studio closed while it streamed: it is all there is
                state = STOPPED
            stats = extra.get("stats") if isinstance(extra.get("stats"), dict) else {}
            error = extra.get("error") if isinstance(extra.get("error"), str) else ""
            messages.append(ChatMessage(message.role, message.content, state, error, stats))
        title = data.get("title") if isinstance(data.get("title"), str) else ""
        return cls(title, conversation.system, conversation.model, messages,
                   conversation.created, conversation.updated)  # fmt: skip


def short_title(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1].rstrip() + "…"


@dataclass(frozen=True)
class ChatSummary:
    path: Path
    name: str
    updated: str


class ChatStore:
    """The conversations folder. Deleting moves a file to `deleted/`, so it can come back."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.trash = self.folder / "deleted"

    def summaries(self) -> tuple[list[ChatSummary], list[str]]:
        """Every readable chat, most recent first, and one line per file that is not."""
        found, problems = [], []
        for path in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []:
            try:
                chat = self.load(path)
            except ValidationError as exc:
                problems.append(str(exc))
                continue
            found.append(ChatSummary(path, chat.name(), chat.updated))
        found.sort(key=lambda summary: summary.updated, reverse=True)
        return found, problems

    def load(self, path: Path) -> Chat:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            chat = Chat.from_dict(data)
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(f"cannot read chat {Path(path).name}: {exc}") from None
        except json.JSONDecodeError as exc:
            raise ValidationError(f"chat {Path(path).name} is not valid JSON: {exc.msg}") from None
        except ValidationError as exc:
            raise ValidationError(f"chat {Path(path).name}: {exc}") from None
        chat.path = Path(path)
        return chat

    def save(self, chat: Chat) -> Path:
        """Write the chat (atomically); a new chat gets its file name here."""
        chat.updated = _now()
        if chat.path is None:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            chat.path = self.folder / f"{stamp}-{secrets.token_hex(3)}.json"
        data = json.dumps(chat.to_dict(), ensure_ascii=False, indent=2) + "\n"
        return write_atomic(chat.path, data.encode("utf-8"), overwrite=True)

    def delete(self, path: Path) -> Path:
        """Move the chat to the trash folder; returns where it went (for restore)."""
        self.trash.mkdir(parents=True, exist_ok=True)
        return Path(shutil.move(str(path), str(self.trash / Path(path).name)))

    def restore(self, deleted: Path) -> Path:
        return Path(shutil.move(str(deleted), str(self.folder / Path(deleted).name)))
