"""ChatView: conversations with a text or code model, streamed through the job queue.

Each Send builds a TextRequest/CodeRequest holding the earlier turns and hands it to
`submit(task, request)`; the reply streams in through the bridge's `job_text` (the reply
so far), and the finished text and the engine's timing come from the job's output file.
Every change to a conversation is saved at once, so closing the studio loses nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QToolButton, QVBoxLayout, QWidget

from studio.core.errors import StudioError
from studio.core.paths import data_paths
from studio.core.requests.text import CodeRequest, Message, TextRequest
from studio.gui.chat.bubble import bubble_colors
from studio.gui.chat.chat_list import ChatList
from studio.gui.chat.composer import Composer
from studio.gui.chat.library import ChatLibrary
from studio.gui.chat.replies import PendingReply
from studio.gui.chat.store import FAILED, STREAMING, Chat, ChatMessage
from studio.gui.chat.transcript import Transcript
from studio.gui.chat.watcher import ReplyWatcher
from studio.gui.job_page import JobPage

ALTERNATIVES_SHOWN = 5  # alternatives kept per token while Probabilities is on


class ChatView(JobPage):
    """The Chat and Code page: conversations with a local language model."""

    def build(self) -> None:
        self.model_ref, self.model_name, self.task = "", "", ""
        self.chat = Chat()
        self.chat_list = ChatList()
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600; font-size: 11pt;")
        self.model_label = QLabel()
        self.model_label.setStyleSheet(f"color: {bubble_colors(self.palette())['muted'].name()};")
        self.transcript = Transcript()
        self.composer = Composer()
        self.probabilities = QToolButton()
        self.probabilities.setText(self.tr("Probabilities"))
        self.probabilities.setCheckable(True)
        self.probabilities.setAutoRaise(True)
        self.probabilities.setToolTip(self.tr(
            "Keep each token's alternatives and colour replies by how likely the model found"
            " each token; hover a token to see what else it could have said"))  # fmt: skip
        self.probabilities.toggled.connect(lambda on: self.transcript.show_tokens(on))
        header = QHBoxLayout()
        header.setContentsMargins(16, 8, 16, 4)
        header.addWidget(self.title, stretch=1)
        header.addWidget(self.probabilities)
        header.addWidget(self.model_label)
        main = QWidget()
        column = QVBoxLayout(main)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(header)
        column.addWidget(self.transcript, stretch=1)
        column.addWidget(self.composer)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.chat_list)
        self.splitter.addWidget(main)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        folder = data_paths().home / "conversations"
        self.library = ChatLibrary(
            folder, self.chat_list, self.bridge.queue, lambda: self.chat.path
        )
        self.replies = ReplyWatcher(self.bridge, self.library.later, self)
        self._connect()
        self.set_model("", "text")
        self._show(self.chat)

    def _connect(self) -> None:
        self.composer.send_requested.connect(self.send)
        self.composer.stop_requested.connect(self.stop)
        self.transcript.regenerate_requested.connect(self.regenerate)
        self.transcript.edit_requested.connect(self.edit_last)
        self.chat_list.new_requested.connect(self.new_chat)
        self.chat_list.chat_selected.connect(self.open_chat)
        self.chat_list.rename_requested.connect(self.rename_chat)
        self.chat_list.delete_requested.connect(self.delete_chat)
        self.chat_list.undo_requested.connect(self.undo_delete)
        self.replies.changed.connect(self.transcript.refresh)
        self.replies.counted.connect(self._counted)
        self.replies.ended.connect(self._end)

    # --- the model ------------------------------------------------------------------------

    def set_model(self, model_ref: str, task: str, name: str = "") -> None:
        """Chat with `model_ref` (catalog id, name or path) as a "text" or "code" model."""
        if _chat_request(task) is None:
            raise ValueError(f"the chat view runs text and code models, not {task!r}")
        if task != self.task:  # each task has its own presets (code: near-greedy, longer)
            defaults = _chat_request(task)(model="-", prompt="-")  # type: ignore[misc]
            self.composer.set_defaults(defaults.temperature, defaults.max_new_tokens)
        self.model_ref, self.task, self.model_name = model_ref, task, name or model_ref
        kind = self.tr("code model") if task == "code" else self.tr("text model")
        self.model_label.setText(
            f"{self.model_name} · {kind}" if model_ref else self.tr("No model")
        )
        self._update_placeholder()

    def _update_placeholder(self) -> None:
        if not self.model_ref:
            text = self.tr("Pick a Text or Code model in the Models dock to start a conversation.")
        else:
            text = self.tr("Ask {0} anything. The reply streams here as it is written.").format(
                self.model_name
            )
        self.transcript.set_placeholder(text)

    # --- sending ----------------------------------------------------------------------------

    def send(self) -> None:
        """Send the editor's text (replacing the last question when editing it)."""
        text = self.composer.text().strip()
        if self.pending is not None or not text:
            return
        chat = self.chat
        last = chat.last_question()
        cut = last if self.composer.editing and last is not None else len(chat.messages)
        request = self._request(text, chat.history(cut))
        if request is None:
            return
        del chat.messages[cut:]
        self.transcript.remove_from(cut)
        self.composer.end_edit()
        self.composer.editor.clear()
        message = ChatMessage("user", text)
        chat.messages.append(message)
        self.transcript.add(message)
        self._ask(chat, request)

    def regenerate(self) -> None:
        """Ask again for the last question; the new reply replaces the old one."""
        index = self.chat.last_question()
        if self.pending is not None or index is None:
            return
        request = self._request(self.chat.messages[index].text, self.chat.history(index))
        if request is not None:
            del self.chat.messages[index + 1 :]
            self.transcript.remove_from(index + 1)
            self._ask(self.chat, request)

    def edit_last(self) -> None:
        index = self.chat.last_question()
        if self.pending is None and index is not None:
            self.composer.begin_edit(self.chat.messages[index].text)

    def stop(self) -> None:
        """Cancel the reply; what has streamed so far stays, marked as stopped."""
        if self.pending is not None:
            self.composer.stop.setEnabled(False)
            self.replies.stop()

    def _request(self, prompt: str, history: list[Message]) -> TextRequest | CodeRequest | None:
        """The request for `prompt`, or None with the reason shown under the editor."""
        if not self.model_ref:
            self.composer.show_error(self.tr("Pick a Text or Code model in the Models dock first."))
            return None
        self.chat.system = self.composer.system.toPlainText().strip()
        try:
            request = _chat_request(self.task)(  # type: ignore[misc]
                model=self.model_ref, prompt=prompt, system=self.chat.system, mode="chat",
                history=tuple(history), temperature=self.composer.temperature.value(),
                max_new_tokens=self.composer.max_tokens.value(),
                alternatives=ALTERNATIVES_SHOWN if self.probabilities.isChecked() else 0,
                **self.options(),
            )  # fmt: skip
        except StudioError as exc:
            self.composer.show_error(str(exc))
            return None
        self.composer.show_error("")
        return request

    def _ask(self, chat: Chat, request: TextRequest | CodeRequest) -> None:
        message = ChatMessage("assistant", state=STREAMING, stats={"model": self.model_name})
        chat.messages.append(message)
        chat.model = self.model_name
        self.transcript.add(message)
        self.transcript.scroll_to_end()
        pending = PendingReply(0, chat, message, self.model_name)
        try:
            pending.job_id = self.submit(self.task, request)
        except StudioError as exc:
            message.state, message.error = FAILED, str(exc)
            self._end(pending)
            return
        self.replies.watch(pending)
        self.composer.set_busy(True)
        self.transcript.set_actions(False)
        self._save(chat)

    @property
    def pending(self) -> PendingReply | None:
        """The reply being written, if any (one at a time)."""
        return self.replies.pending

    def _counted(self, message: ChatMessage) -> None:
        bubble = self.transcript.bubble_for(message)
        if bubble is not None:
            bubble.refresh_footer()

    def _end(self, pending: PendingReply) -> None:
        self.transcript.refresh(pending.message)
        self.composer.set_busy(False)
        self.transcript.set_actions(True)
        if not pending.discarded:
            self._save(pending.chat)

    # --- conversations ---------------------------------------------------------------------------

    def new_chat(self) -> None:
        self._leave()
        self._show(Chat())
        self.composer.editor.setFocus()

    def open_chat(self, path: Path) -> None:
        chat = self._chat_at(path)
        if chat is not None and chat is not self.chat:
            self._leave()
            self._show(chat)

    def rename_chat(self, path: Path, title: str) -> None:
        chat = self._chat_at(path)
        if chat is not None:
            chat.title = title
            self._save(chat)

    def delete_chat(self, path: Path) -> None:
        pending = self.pending
        if pending is not None and pending.chat.path == path:
            pending.discarded = True
            self.stop()
        if self.library.delete(path) and self.chat.path == path:
            self._show(Chat())

    def undo_delete(self) -> None:
        path = self.library.undo_delete()
        if path is not None:
            self.open_chat(path)

    def _chat_at(self, path: Path) -> Chat | None:
        """The chat saved at `path`: the live object when it is on screen or streaming."""
        for chat in (self.chat, self.pending.chat if self.pending else None):
            if chat is not None and chat.path == path:
                return chat
        return self.library.load(path)

    def _show(self, chat: Chat) -> None:
        self.chat = chat
        self.composer.end_edit()
        self.composer.system.setPlainText(chat.system)
        self.transcript.show_messages(chat.messages)
        self.transcript.set_actions(self.pending is None)
        self._update_placeholder()
        self.title.setText(chat.name() or self.tr("New chat"))
        self.chat_list.select(chat.path)

    def _leave(self) -> None:
        """Keep a changed system prompt of the chat being left."""
        system = self.composer.system.toPlainText().strip()
        if self.chat.path is not None and system != self.chat.system:
            self.chat.system = system
            self._save(self.chat)

    def _save(self, chat: Chat) -> None:
        if self.library.save(chat) and chat is self.chat:
            self.title.setText(chat.name())


def _chat_request(task: str) -> type[TextRequest] | type[CodeRequest] | None:
    """The request type of a task the chat runs (text, code: a registered language-model
    task), or None."""
    from studio.core.errors import ValidationError
    from studio.core.modalities import modality

    try:
        request = modality(task).request
    except ValidationError:
        return None
    return request if issubclass(request, TextRequest | CodeRequest) else None
