"""ChatIndex: the conversation list as the view shows it, kept in memory.

The folder is listed once, off the GUI thread; after that each save, delete and undo
updates the list here, so no action has to read every conversation file again.
"""

from __future__ import annotations

from pathlib import Path

from studio.gui.chat.store import Chat, ChatStore, ChatSummary


class ChatIndex:
    def __init__(self, folder: Path) -> None:
        self.store = ChatStore(folder)
        self._known: dict[Path, ChatSummary] = {}
        self._gone: set[Path] = set()  # deleted here before the first listing came back
        self._deleted: Path | None = None  # the trash file of the last delete, for undo

    def summaries(self) -> list[ChatSummary]:
        return sorted(self._known.values(), key=lambda s: s.updated, reverse=True)

    def name(self, path: Path) -> str:
        known = self._known.get(path)
        return known.name if known is not None else path.stem

    def merge(self, listed: list[ChatSummary]) -> None:
        """The folder's listing; entries saved here since it was read stay as they are now."""
        for summary in listed:
            if summary.path not in self._known and summary.path not in self._gone:
                self._known[summary.path] = summary

    def save(self, chat: Chat) -> Path:
        path = self.store.save(chat)
        self._known[path] = ChatSummary(path, chat.name(), chat.updated)
        return path

    def delete(self, path: Path) -> Path:
        self._deleted = self.store.delete(path)
        self._known.pop(path, None)
        self._gone.add(path)
        return self._deleted

    def undo_delete(self) -> Path | None:
        """Bring the last deleted chat back; its path, or None when there is nothing to undo."""
        if self._deleted is None:
            return None
        path = self.store.restore(self._deleted)
        self._deleted = None
        chat = self.store.load(path)
        self._known[path] = ChatSummary(path, chat.name(), chat.updated)
        self._gone.discard(path)
        return path
