"""The translate engine: local seq2seq models (Marian, M2M100, NLLB-200, T5/MADLAD)."""

from studio.engines.translate.engine import TranslatedText, TranslateEngine

__all__ = ["TranslateEngine", "TranslatedText"]
