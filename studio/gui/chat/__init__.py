"""The chat view: conversations with text and code models, streamed through the job queue."""

from studio.gui.chat.view import ChatView

__all__ = ["ChatView"]
