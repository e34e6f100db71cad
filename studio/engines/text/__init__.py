"""The text engine: chat, completion and fill-in-the-middle over transformers causal LMs."""

from studio.engines.text.engine import TextEngine, TextReply

__all__ = ["TextEngine", "TextReply"]
