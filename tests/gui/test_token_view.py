"""Token alternatives in the Chat view: the Probabilities toggle asks for them, colours each
token of a reply by its probability and shows its alternatives on hover."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QToolTip

from studio.gui.chat.bubble import MessageBubble
from studio.gui.chat.store import DONE, ChatMessage
from studio.gui.chat.token_view import token_rows
from studio.gui.chat.view import ALTERNATIVES_SHOWN, ChatView

RUN = {
    "chosen": [{"token": "Hel", "probability": 0.9}, {"token": "lo", "probability": 0.2}],
    "alternatives": [
        [{"token": "Hel", "probability": 0.9}, {"token": "Hi", "probability": 0.05}],
        [{"token": "p", "probability": 0.5}, {"token": "lo", "probability": 0.2}],
    ],
}


def test_a_reply_shows_token_by_token_with_its_alternatives(qtbot: Any) -> None:
    message = ChatMessage("assistant", "Hello", state=DONE, stats=dict(RUN))
    bubble = MessageBubble(message)
    qtbot.addWidget(bubble)
    assert "token:" not in bubble.body.text()  # Markdown until asked
    bubble.show_tokens(True)
    body = bubble.body.text()
    assert 'href="token:0"' in body and 'href="token:1"' in body and ">lo</a>" in body
    colours = [part.split(";")[0] for part in body.split("background-color:")[1:]]
    assert colours[0] != colours[1]  # an unlikely token is shaded differently
    bubble.show()
    bubble._token_hovered("token:1")
    tip = QToolTip.text()
    assert "chosen: 'lo' (20.0%)" in tip and "'p'  50.0%" in tip
    bubble.show_tokens(False)
    assert "token:" not in bubble.body.text()


def test_replies_without_alternatives_or_with_broken_ones_stay_markdown(qtbot: Any) -> None:
    assert (
        token_rows({}) == [] and token_rows({"chosen": [{"token": 1}], "alternatives": [[]]}) == []
    )
    bubble = MessageBubble(ChatMessage("assistant", "**bold**", state=DONE))
    qtbot.addWidget(bubble)
    bubble.show_tokens(True)
    assert "<b>" in bubble.body.text() or "font-weight" in bubble.body.text()


def test_the_toggle_asks_each_request_for_alternatives(bridge, queue, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = ChatView(bridge, queue.submit)
    qtbot.addWidget(view)
    view.set_model("tiny-chat", "text")
    assert view._request("hi", []).alternatives == 0
    view.probabilities.setChecked(True)
    assert view._request("hi", []).alternatives == ALTERNATIVES_SHOWN
    assert view.transcript.tokens_shown


def test_a_gguf_models_details_show_its_header_facts() -> None:
    from studio.gui.model_text import header_facts

    facts = {"quantization": "Q4_K_M", "context_length": 8192, "parameters": 1_240_000_000,
             "chat_template": True, "fim": False}  # fmt: skip
    assert (
        header_facts(facts)
        == "quantization Q4_K_M · context 8192 tokens · 1.2 B parameters · chat template"
    )
    assert header_facts({}) == ""
