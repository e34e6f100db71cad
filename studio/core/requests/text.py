"""TextRequest and CodeRequest: chat, plain completion and fill-in-the-middle with a causal LM.

A request holds everything one reply needs, the earlier turns of the conversation
included, so the sidecar record alone reproduces the reply (same model, same seed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

from studio.core.errors import ValidationError
from studio.core.requests.base import Request
from studio.core.requests.checks import check_choice, check_float, check_int, check_text

MAX_PROMPT = 200_000  # characters; the model's context is checked when the prompt is built
MAX_NEW_TOKENS = 32_768
MAX_SEED = 2**32 - 1  # -1 means "pick one at random"
MAX_STOPS, MAX_STOP_LEN = 16, 200
MAX_HISTORY = 10_000
MAX_ALTERNATIVES = 20
ROLES: tuple[str, ...] = ("user", "assistant")
TEXT_MODES: tuple[str, ...] = ("chat", "completion")
CODE_MODES: tuple[str, ...] = ("chat", "completion", "fim")


class Message(NamedTuple):
    """One turn of a conversation. System prompts are the request's `system`, not messages."""

    role: str
    content: str


def check_messages(value: object) -> tuple[Message, ...]:
    """Messages from JSON (lists or dicts) or Python, validated; ValidationError in one line."""
    if not isinstance(value, list | tuple):
        raise ValidationError(f"history must be a list of messages (got {type(value).__name__})")
    if len(value) > MAX_HISTORY:
        raise ValidationError(
            f"history has too many messages ({len(value)}, at most {MAX_HISTORY})"
        )
    messages = []
    for position, item in enumerate(value, start=1):
        if isinstance(item, dict):
            item = (item.get("role"), item.get("content"))
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise ValidationError(f"message {position} must be [role, content] (got {item!r:.80})")
        role = check_choice(f"role of message {position}", item[0], ROLES)
        messages.append(Message(role, check_text(f"message {position}", item[1], MAX_PROMPT)))
    return tuple(messages)


@dataclass(frozen=True)
class _LanguageModelRequest(Request):
    """Fields and checks shared by text and code; the subclasses set the presets."""

    model: str
    prompt: str = ""
    system: str = ""
    mode: str = "chat"
    history: tuple[Message, ...] = ()
    temperature: float = 0.7  # 0 = greedy (no sampling)
    top_p: float = 0.95  # 1 = off
    top_k: int = 40  # 0 = off
    min_p: float = 0.05  # 0 = off
    repetition_penalty: float = 1.0  # 1 = off
    max_new_tokens: int = 512
    seed: int = -1
    stop: tuple[str, ...] = ()
    # Token alternatives: for each generated token, the K likeliest tokens with their
    # probabilities, kept in the reply's record (run.alternatives). 0 = off.
    alternatives: int = 0

    MODES: ClassVar[tuple[str, ...]] = TEXT_MODES

    def __post_init__(self) -> None:
        check_text("model", self.model, 4096)
        if not self.model.strip():
            raise ValidationError("model must name a model (got an empty string)")
        check_text("prompt", self.prompt, MAX_PROMPT)
        check_text("system", self.system, MAX_PROMPT)
        check_choice("mode", self.mode, self.MODES)
        if self.mode != "fim" and not self.prompt.strip():
            raise ValidationError("prompt is empty: say what the model should answer or continue")
        object.__setattr__(self, "history", check_messages(self.history))
        if self.mode != "chat" and (self.history or self.system):
            raise ValidationError(f"{self.mode} mode takes no system prompt or conversation")
        self._set_float("temperature", 0, 5)
        self._set_float("top_p", 0, 1, low_open=True)
        check_int("top_k", self.top_k, 0, 100_000)
        self._set_float("min_p", 0, 1)
        self._set_float("repetition_penalty", 0, 5, low_open=True)
        check_int("max_new_tokens", self.max_new_tokens, 1, MAX_NEW_TOKENS)
        check_int("seed", self.seed, -1, MAX_SEED)
        check_int("alternatives", self.alternatives, 0, MAX_ALTERNATIVES)
        self._check_stops()

    def _set_float(self, name: str, low: float, high: float, *, low_open: bool = False) -> None:
        object.__setattr__(
            self, name, check_float(name, getattr(self, name), low, high, low_open=low_open)
        )

    def _check_stops(self) -> None:
        if not isinstance(self.stop, list | tuple) or len(self.stop) > MAX_STOPS:
            raise ValidationError(f"stop must be a list of at most {MAX_STOPS} strings")
        for stop in self.stop:
            if check_text("stop string", stop, MAX_STOP_LEN) == "":
                raise ValidationError("a stop string must not be empty")
        object.__setattr__(self, "stop", tuple(self.stop))

    def messages(self) -> list[dict[str, str]]:
        """The chat as the `messages` list chat templates take (system first, then turns)."""
        system = [{"role": "system", "content": self.system}] if self.system else []
        turns = [{"role": m.role, "content": m.content} for m in self.history]
        return [*system, *turns, {"role": "user", "content": self.prompt}]

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["history"] = [list(message) for message in self.history]
        data["stop"] = list(self.stop)
        return data


@dataclass(frozen=True)
class TextRequest(_LanguageModelRequest):
    """Chat (with the model's chat template) or plain completion of `prompt`."""

    TYPE: ClassVar[str] = "text"


@dataclass(frozen=True)
class CodeRequest(_LanguageModelRequest):
    """Code: chat or completion with presets tuned for code, or fill-in-the-middle.

    In "fim" mode the model writes what goes between `prefix` and `suffix`.
    """

    TYPE: ClassVar[str] = "code"
    MODES: ClassVar[tuple[str, ...]] = CODE_MODES

    # Code presets: near-greedy, no repetition penalty (code repeats names by nature).
    temperature: float = 0.2
    top_p: float = 0.95
    top_k: int = 0
    min_p: float = 0.0
    max_new_tokens: int = 1024
    prefix: str = ""
    suffix: str = ""
    language: str = ""  # a hint: names the FIM output's extension and untagged code blocks

    def __post_init__(self) -> None:
        super().__post_init__()
        check_text("prefix", self.prefix, MAX_PROMPT)
        check_text("suffix", self.suffix, MAX_PROMPT)
        check_text("language", self.language, 40)
        if self.mode == "fim":
            if not (self.prefix.strip() or self.suffix.strip()):
                raise ValidationError("fill-in-the-middle needs a prefix or a suffix (both empty)")
        elif self.prefix or self.suffix:
            raise ValidationError("prefix and suffix are for fill-in-the-middle (mode fim)")

    def search_text(self) -> str:
        if self.prompt or self.mode != "fim":
            return self.prompt
        lines = [line.strip() for line in self.prefix.splitlines() if line.strip()]
        return f"fill-in-the-middle {self.language} {lines[-1] if lines else ''}".strip()
