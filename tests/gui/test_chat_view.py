"""The chat view on a real job queue: fake streaming handlers for the behaviour (send, stop,
regenerate, edit, persistence, failures), and one tiny real model streaming tokens."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from studio.core.errors import StudioError, ValidationError
from studio.core.paths import data_paths
from studio.core.requests.text import Message
from studio.gui.bridge import JobBridge
from studio.gui.chat import ChatView
from studio.gui.chat.store import DONE, FAILED, STOPPED, STREAMING, Chat, ChatMessage, ChatStore
from studio.runtime.jobs import Job, JobContext, JobQueue

MS = 10_000


class ChatFakes:
    """A text handler that streams its reply as the real one does (chunks through ctx.text,
    which sends the reply so far), then writes the reply and its sidecar; `mode` picks a
    behaviour."""

    def __init__(self, out: Path) -> None:
        self.out, self.mode, self.count = out, "fast", 0
        self.requests: list[tuple[str, Any]] = []

    def handle(self, job: Job, ctx: JobContext) -> list[str]:
        request = job.request
        self.requests.append((job.task, request))
        if self.mode == "fail":
            raise StudioError("the model file is broken")
        self.count += 1
        reply = f"Reply {self.count} to {request.prompt}:\n```python\nprint({self.count})\n```"
        pieces = [reply[i : i + 6] for i in range(0, len(reply), 6)]
        if self.mode == "slow":
            pieces = ["word "] * 400
        text = ""
        for step, piece in enumerate(pieces, start=1):
            text += piece
            ctx.progress(step, len(pieces))  # raises Cancelled once stopped
            ctx.text(piece)
            time.sleep(0.03)
        ctx.flush_text()
        path = self.out / f"{job.id}.md"
        path.write_text(text, encoding="utf-8")
        record = {"model_name": "fake-chat", "run": {"tokens": len(pieces), "tokens_per_s": 42.5}}
        path.with_name(path.name + ".json").write_text(json.dumps(record), encoding="utf-8")
        return [str(path)]


@pytest.fixture
def chat_fakes(queue: JobQueue, tmp_path: Path) -> ChatFakes:
    made = ChatFakes(tmp_path)
    queue.handlers.register("text", made.handle)
    queue.handlers.register("code", made.handle)
    return made


@pytest.fixture
def make_view(bridge: JobBridge, queue: JobQueue, chat_fakes: ChatFakes, qtbot: Any):  # type: ignore[no-untyped-def]
    def make() -> ChatView:
        view = ChatView(bridge, queue.submit)
        qtbot.addWidget(view)
        view.set_model("tiny-chat", "text")
        return view

    return make


def send(view: ChatView, qtbot: Any, text: str, *, wait: bool = True) -> ChatMessage | None:
    """Type `text` and press Ctrl+Return; the reply's message (None when nothing was sent)."""
    view.composer.set_text(text)
    qtbot.keyClick(view.composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    if wait:
        qtbot.waitUntil(lambda: view.pending is None, timeout=MS)
    return view.chat.messages[-1] if view.chat.messages else None


def bubble_of(view: ChatView, message: ChatMessage):  # type: ignore[no-untyped-def]
    bubble = view.transcript.bubble_for(message)
    assert bubble is not None
    return bubble


def test_send_streams_the_reply_and_shows_its_timing(make_view, chat_fakes, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view()
    reply = send(view, qtbot, "hello", wait=False)
    assert view.composer.editor.toPlainText() == "" and view.composer.stop.isVisibleTo(view)
    qtbot.waitUntil(lambda: reply.state == STREAMING and reply.text.startswith("Reply"))
    assert reply.text != "Reply 1 to hello:\n```python\nprint(1)\n```"  # a part, shown live
    qtbot.waitUntil(lambda: view.pending is None, timeout=MS)
    assert reply.state == DONE and reply.text == "Reply 1 to hello:\n```python\nprint(1)\n```"
    bubble = bubble_of(view, reply)
    code = next(line for line in bubble.body.text().splitlines() if "print(1)" in line)
    assert "background-color" in code  # the code block, tinted
    footer = bubble.footer.text()
    assert "42.5 tok/s" in footer and "first token" in footer and "estimated" not in footer
    assert "fake-chat" in bubble.who.text()
    task, request = chat_fakes.requests[0]
    assert (task, request.mode, request.prompt, request.history) == ("text", "chat", "hello", ())
    send(view, qtbot, "and then?")
    request = chat_fakes.requests[1][1]
    assert request.history == (Message("user", "hello"), Message("assistant", reply.text))
    assert view.composer.send.isVisibleTo(view) and not view.composer.stop.isVisibleTo(view)


def test_stop_mid_stream_cancels_and_keeps_the_partial_text(
    make_view, chat_fakes, queue, qtbot
) -> None:  # type: ignore[no-untyped-def]
    chat_fakes.mode = "slow"
    view = make_view()
    reply = send(view, qtbot, "talk a lot", wait=False)
    job_id = view.pending.job_id
    qtbot.waitUntil(lambda: reply.text.count("word") >= 2, timeout=MS)
    with qtbot.waitSignal(view.bridge.job_cancelled, timeout=MS):
        qtbot.mouseClick(view.composer.stop, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.pending is None)
    assert queue.get(job_id).state == "cancelled"
    assert reply.state == STOPPED and 2 <= reply.text.count("word") < 400
    assert bubble_of(view, reply).footer.text().startswith("(stopped)")
    assert view.composer.send.isVisibleTo(view)
    chat_fakes.mode = "fast"  # the stopped reply counts as an answer for the next turn
    send(view, qtbot, "shorter please")
    assert chat_fakes.requests[-1][1].history[-1] == Message("assistant", reply.text)


def test_regenerate_replaces_the_last_reply(make_view, chat_fakes, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view()
    first = send(view, qtbot, "a question")
    bubble = bubble_of(view, first)
    assert bubble.regenerate.isVisibleTo(view)
    qtbot.mouseClick(bubble.regenerate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: view.pending is None and view.chat.messages[-1] is not first, timeout=MS
    )
    messages = view.chat.messages
    assert [m.role for m in messages] == ["user", "assistant"] and len(view.transcript.bubbles) == 2
    assert messages[1].text.startswith("Reply 2 to a question")
    assert (
        chat_fakes.requests[1][1].prompt == "a question" and chat_fakes.requests[1][1].history == ()
    )


def test_edit_and_resend_replaces_the_last_question_and_its_reply(
    make_view, chat_fakes, qtbot
) -> None:  # type: ignore[no-untyped-def]
    view = make_view()
    send(view, qtbot, "first")
    send(view, qtbot, "secnd")
    question = bubble_of(view, view.chat.messages[2])
    assert question.edit.isVisibleTo(view)
    assert not bubble_of(view, view.chat.messages[0]).edit.isVisibleTo(view)  # the last only
    qtbot.mouseClick(question.edit, Qt.MouseButton.LeftButton)
    assert view.composer.editing and view.composer.text() == "secnd"
    qtbot.mouseClick(view.composer.cancel_edit, Qt.MouseButton.LeftButton)  # changed my mind
    assert not view.composer.editing and len(view.chat.messages) == 4
    view.edit_last()
    send(view, qtbot, "second")
    assert [m.text for m in view.chat.messages if m.role == "user"] == ["first", "second"]
    assert len(view.chat.messages) == 4 and len(view.transcript.bubbles) == 4
    request = chat_fakes.requests[-1][1]
    assert request.prompt == "second" and request.history[0].content == "first"


def test_conversations_persist_reload_rename_and_delete_with_undo(make_view, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view()
    send(view, qtbot, "remember me")
    view.composer.settings_button.setChecked(True)
    view.composer.system.setPlainText("Be brief.")
    view.new_chat()  # leaving keeps the changed system prompt
    send(view, qtbot, "another chat")
    view.close()
    again = make_view()
    items = again.chat_list.list
    qtbot.waitUntil(lambda: items.count() == 2)
    assert [items.item(i).text() for i in range(2)] == ["another chat", "remember me"]
    items.setCurrentRow(1)
    assert again.chat.messages[0].text == "remember me"
    assert again.composer.system.toPlainText() == "Be brief." and len(again.transcript.bubbles) == 2
    footer = bubble_of(again, again.chat.messages[1]).footer.text()
    assert "42.5 tok/s" in footer  # timing is kept with the reply
    items.item(1).setText("Renamed")  # what an in-place edit of the item does
    qtbot.waitUntil(lambda: again.title.text() == "Renamed")
    assert ChatStore(data_paths().home / "conversations").load(again.chat.path).title == "Renamed"
    assert again.title.text() == "Renamed"
    path = again.chat.path
    again.chat_list.delete_current()
    assert not path.exists() and items.count() == 1 and again.chat.path is None
    assert again.chat_list.undo.isVisibleTo(again)
    again.chat_list.undo.linkActivated.emit("undo")
    assert path.exists() and items.count() == 2 and again.chat.path == path


def test_a_failure_is_one_line_in_the_transcript_and_the_next_try_skips_it(
    make_view, chat_fakes, qtbot
) -> None:  # type: ignore[no-untyped-def]
    chat_fakes.mode = "fail"
    view = make_view()
    reply = send(view, qtbot, "hello")
    assert reply.state == FAILED and reply.error == "the model file is broken"
    assert bubble_of(view, reply).footer.text() == "⚠ the model file is broken"
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
    ]
    chat_fakes.mode = "fast"
    qtbot.mouseClick(bubble_of(view, reply).regenerate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: view.pending is None and view.chat.messages[-1].state == DONE, timeout=MS
    )
    send(view, qtbot, "again")
    assert len(chat_fakes.requests[-1][1].history) == 2  # the failed try is not history


def test_bad_input_is_said_under_the_editor_and_loses_nothing(
    bridge, queue, chat_fakes, qtbot
) -> None:  # type: ignore[no-untyped-def]
    def refuse(task: str, request: Any) -> int:
        raise ValidationError("the queue is closed")

    view = ChatView(bridge, queue.submit)
    qtbot.addWidget(view)
    send(view, qtbot, "no model yet")
    assert view.composer.error.text().startswith("Pick a Text or Code model")
    assert view.composer.text() == "no model yet" and view.chat.messages == []
    with pytest.raises(ValueError, match="not 'image'"):
        view.set_model("sd", "image")
    view.set_model("tiny-code", "code")
    assert view.composer.temperature.value() == pytest.approx(0.2)  # code presets
    view.submit = refuse
    reply = send(view, qtbot, "write code")
    assert reply.state == FAILED and reply.error == "the queue is closed"
    assert view.composer.error.isHidden() and chat_fakes.requests == []


def test_chat_files_and_history_rules(tmp_path: Path) -> None:
    store = ChatStore(tmp_path)
    chat = Chat(messages=[ChatMessage("user", "a"), ChatMessage("assistant", "", FAILED, "x"),
                          ChatMessage("user", "b"), ChatMessage("assistant", "B", STREAMING)])  # fmt: skip
    assert chat.history() == []  # a failed reply and its question, a streaming one: not yet
    store.save(chat)
    back = store.load(chat.path)
    assert back.messages[3].state == STOPPED  # the studio closed while it streamed
    assert back.history() == [Message("user", "b"), Message("assistant", "B")]
    assert back.messages[1].error == "x" and back.name() == "a"
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    found, problems = store.summaries()
    assert [s.path for s in found] == [chat.path] and problems[0].startswith("chat broken.json")


@pytest.fixture(scope="module")
def tiny_chat_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from studio.demo_models.text import CODE_EXAMPLE, build_tiny_llama

    return build_tiny_llama(tmp_path_factory.mktemp("text") / "chat", memorize=(CODE_EXAMPLE,))


@pytest.mark.usefixtures("one_torch_thread")
def test_a_real_tiny_model_streams_tokens_into_the_view(tiny_chat_model, tmp_path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from studio.demo_models.text import CODE_EXAMPLE
    from studio.runtime.generation_jobs import generation_handlers

    prompt, expected = CODE_EXAMPLE
    before = set(threading.enumerate())
    database = data_paths().ensure().database
    queue = JobQueue(database, ["cpu"], generation_handlers(database, tmp_path / "out"))
    queue.start()
    bridge = JobBridge(queue)
    view = ChatView(bridge, queue.submit)
    qtbot.addWidget(view)
    view.set_model(str(tiny_chat_model), "text", name="tiny chat")
    view.composer.temperature.setValue(0)  # greedy: the memorized reply
    view.composer.max_tokens.setValue(60)  # the tiny model's context is 256 tokens
    streamed: list[str] = []
    bridge.job_text.connect(lambda _job, text: streamed.append(text))
    reply = send(view, qtbot, prompt, wait=False)
    qtbot.waitUntil(lambda: view.pending is None, timeout=60_000)
    assert (reply.state, reply.error, reply.text) == (DONE, "", expected)
    assert streamed and all(expected.startswith(text) for text in streamed)
    assert reply.stats["tokens"] > 5 and reply.stats["tokens_per_s"] > 0
    assert reply.stats["ttft_s"] > 0 and "estimated" not in reply.stats
    assert "tok/s" in bubble_of(view, reply).footer.text()
    view.close()
    bridge.close()
    assert queue.stop(wait=True, timeout=10)
    queue.close()
    qtbot.waitUntil(lambda: set(threading.enumerate()) <= before, timeout=5000)
