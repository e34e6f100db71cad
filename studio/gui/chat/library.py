"""ChatLibrary: the saved chats behind the chat list.

Files through ChatIndex, shown in ChatList, any problem as one line under the list
(never a dialog). Work that may be slow (listing every file, reading a reply back)
runs on the job queue's light pool and returns through a queued signal.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from studio.core.errors import StudioError
from studio.gui.chat.chat_list import ChatList
from studio.gui.chat.index import ChatIndex
from studio.gui.chat.store import Chat, ChatSummary
from studio.runtime.jobs import JobQueue


class ChatLibrary(QObject):
    _work_done = Signal(object, object)  # (callback, future), emitted on a pool thread

    def __init__(self, folder: Path, chat_list: ChatList, queue: JobQueue,
                 current: Callable[[], Path | None]) -> None:  # fmt: skip
        super().__init__(chat_list)
        self.index = ChatIndex(folder)
        self.chat_list, self.queue = chat_list, queue
        self._current = current  # the file of the chat on screen, marked in the list
        self._work_done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.later(self.index.store.summaries, self._listed)

    def load(self, path: Path) -> Chat | None:
        return self._report(self.index.store.load, path)

    def save(self, chat: Chat) -> bool:
        saved = self._report(self.index.save, chat) is not None
        if saved:
            self.relist()
        return saved

    def delete(self, path: Path) -> bool:
        name = self.index.name(path)
        if self._report(self.index.delete, path) is None:
            return False
        self.chat_list.show_deleted(name)
        self.relist()
        return True

    def undo_delete(self) -> Path | None:
        self.chat_list.hide_undo()
        path = self._report(self.index.undo_delete)
        if path is not None:
            self.relist()
        return path

    def relist(self) -> None:
        self.chat_list.set_chats(self.index.summaries(), self._current())

    def later(self, work: Callable[..., Any], done: Callable[[Any], None], *args: Any) -> None:
        """Run `work(*args)` on the light pool; `done(result)` on the GUI thread."""
        future = self.queue.light(work, *args)

        def back(finished: Future[Any]) -> None:  # on the pool thread
            with contextlib.suppress(RuntimeError):  # the view is gone: nobody waits for it
                self._work_done.emit(done, finished)

        future.add_done_callback(back)

    def _deliver(self, done: Callable[[Any], None], future: Future[Any]) -> None:
        try:
            result = future.result()
        except Exception as exc:  # an OS error or a bug: one line, the view keeps working
            self.chat_list.show_problems([f"{type(exc).__name__}: {exc}"])
            return
        done(result)

    def _listed(self, found: tuple[list[ChatSummary], list[str]]) -> None:
        summaries, problems = found
        self.index.merge(summaries)
        self.relist()
        self.chat_list.show_problems(problems)

    def _report(self, work: Callable[..., Any], *args: Any) -> Any:
        try:
            return work(*args)
        except (StudioError, OSError) as exc:
            self.chat_list.show_problems([str(exc)])
            return None
