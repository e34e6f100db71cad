"""Prompt token ids for a request: the chat template (or a plain fallback), completion, FIM.

The prompt plus max_new_tokens must fit the model's context. A chat that does not fit
drops its oldest turns, and says so in a note; a prompt that cannot fit is refused.
Nothing is ever cut silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from studio.core.errors import ModelError, ValidationError, one_line
from studio.core.requests.text import CodeRequest, TextRequest
from studio.engines.text.fim import fim_prompt

# Models without a chat template get this plain layout; the model may go on to write the
# user's next line itself, so a new "User:" line ends the reply.
FALLBACK_STOPS = ("\nUser:", "\nSystem:")
_LIMIT_NAMES = ("max_position_embeddings", "n_positions", "max_sequence_length", "seq_length", "n_ctx")  # fmt: skip


@dataclass
class Prompt:
    ids: list[int]
    template: str  # "chat template", "fallback", "completion" or "fim <style>"
    stops: tuple[str, ...] = ()  # stop strings the layout needs, besides the user's
    end_ids: list[int] = field(default_factory=list)  # extra tokens that end the reply
    dropped: int = 0  # conversation messages left out to fit the context
    notes: list[str] = field(default_factory=list)


def context_length(model: Any, tokenizer: Any) -> int | None:
    """The model's context in tokens (config first; the tokenizer's limit when sane)."""
    config = getattr(model, "config", None)
    for name in _LIMIT_NAMES:
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    limit = getattr(tokenizer, "model_max_length", None)
    return limit if isinstance(limit, int) and 0 < limit < 10_000_000 else None


def fallback_layout(messages: list[dict[str, str]]) -> str:
    lines = [f"{m['role'].capitalize()}: {m['content']}" for m in messages]
    return "\n".join([*lines, "Assistant:"])


def render_chat(tokenizer: Any, messages: list[dict[str, str]], model_name: str) -> Prompt:
    if not getattr(tokenizer, "chat_template", None):
        ids = tokenizer(fallback_layout(messages), add_special_tokens=True)["input_ids"]
        return Prompt(list(ids), "fallback", FALLBACK_STOPS)
    try:
        return Prompt(_apply_template(tokenizer, messages), "chat template")
    except Exception as exc:  # jinja raises TemplateError, templates raise their own
        if messages[0]["role"] != "system":
            raise ModelError(
                f"the chat template of {model_name} failed: {one_line(exc, 200)}"
            ) from None
    # Some templates (Gemma, Mistral v1) refuse a system turn: fold it into the first user turn.
    system, first, *rest = messages
    merged = [{"role": "user", "content": f"{system['content']}\n\n{first['content']}"}, *rest]
    try:
        prompt = Prompt(_apply_template(tokenizer, merged), "chat template")
    except Exception as exc:
        raise ModelError(
            f"the chat template of {model_name} failed: {one_line(exc, 200)}"
        ) from None
    prompt.notes.append(
        "the chat template takes no system turn: the system prompt opens the first user message"
    )
    return prompt


def _apply_template(tokenizer: Any, messages: list[dict[str, str]]) -> list[int]:
    ids = tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, tokenize=True, return_dict=False,
        sanitize_control_tokens=True,  # "<|im_end|>" typed by a user stays text
    )  # fmt: skip
    return list(ids)


def build_prompt(
    request: TextRequest | CodeRequest, tokenizer: Any, model: Any, model_name: str
) -> Prompt:
    fim = None
    if request.mode == "fim":  # a model without FIM tokens is refused before anything else
        assert isinstance(request, CodeRequest)
        ids, style, ends = fim_prompt(tokenizer, model_name, request.prefix, request.suffix)
        fim = Prompt(ids, f"fim {style.name}", end_ids=ends)
    context = context_length(model, tokenizer)
    budget = None if context is None else context - request.max_new_tokens
    if budget is not None and budget <= 0:
        raise ValidationError(
            f"max_new_tokens {request.max_new_tokens} leaves no room for a prompt in "
            f"{model_name}'s context of {context} tokens"
        )
    if fim is not None:
        prompt = fim
    elif request.mode == "chat":
        prompt = _fit_chat(request, tokenizer, model_name, budget)
    else:
        ids = tokenizer(request.prompt, add_special_tokens=True)["input_ids"]
        prompt = Prompt(list(ids), "completion")
    if budget is not None and len(prompt.ids) > budget:
        raise ValidationError(
            f"the prompt is too long for {model_name}: {len(prompt.ids)} tokens, but its context "
            f"of {context} leaves {budget} after the {request.max_new_tokens} kept for the reply "
            "(shorten it or lower max_new_tokens)"
        )
    if prompt.dropped:
        prompt.notes.insert(
            0,
            f"context: left out the {prompt.dropped} oldest message(s) of the conversation to fit "
            f"{model_name}'s context of {context} tokens ({request.max_new_tokens} kept for the reply)",
        )
    return prompt


def _fit_chat(
    request: TextRequest | CodeRequest, tokenizer: Any, model_name: str, budget: int | None
) -> Prompt:
    """The chat with as many of the latest turns as fit; whole turns are dropped, oldest first."""
    history = request.history

    def render(start: int) -> Prompt:
        prompt = render_chat(
            tokenizer, request.replace(history=history[start:]).messages(), model_name
        )
        prompt.dropped = start
        return prompt

    whole = render(0)
    if budget is None or len(whole.ids) <= budget:
        return whole
    # Cut only where a user turn starts, so the kept chat still alternates user/assistant.
    cuts = [i for i, m in enumerate(history) if i > 0 and m.role == "user"] + [len(history)]
    low, high = 0, len(cuts) - 1
    while low < high:  # the fewest dropped messages that fit: prompt length only shrinks
        middle = (low + high) // 2
        if len(render(cuts[middle]).ids) <= budget:
            high = middle
        else:
            low = middle + 1
    return render(cuts[low])
