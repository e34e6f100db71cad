"""TranslateRequest: a text, or a .txt/.md/.srt document, from one language into another."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from studio.core.errors import ValidationError
from studio.core.languages import get_language
from studio.core.requests.base import Request
from studio.core.requests.checks import check_int, check_text
from studio.core.text_segments import document_kind

MAX_TEXT = 1_000_000
MAX_BATCH_SIZE = 256
MAX_BEAMS = 8


@dataclass(frozen=True)
class TranslateRequest(Request):
    TYPE: ClassVar[str] = "translate"

    model: str
    source: str  # language codes of studio.core.languages (aliases are normalised)
    target: str
    text: str = ""
    file: str | None = None  # a .txt, .md or .srt document instead of `text`
    batch_size: int = 8  # sentences per generate() call
    beams: int = 1  # beam search width; 1 is greedy decoding

    def __post_init__(self) -> None:
        check_text("model", self.model, 4096)
        if not self.model.strip():
            raise ValidationError("model must name a model (got an empty string)")
        source = get_language(self.source, "source language").code
        target = get_language(self.target, "target language").code
        if source == target:
            raise ValidationError(f"source and target language are both {source}")
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "target", target)
        check_text("text", self.text, MAX_TEXT)
        if self.file is not None:
            check_text("file", self.file, 4096)
            if self.text:
                raise ValidationError("give a text or a file to translate, not both")
            document_kind(Path(self.file))  # the file type, before anything is loaded
        elif not self.text.strip():
            raise ValidationError("there is no text to translate (the text is empty)")
        check_int("batch_size", self.batch_size, 1, MAX_BATCH_SIZE)
        check_int("beams", self.beams, 1, MAX_BEAMS)

    def search_text(self) -> str:
        """The gallery indexes the source text, or the document's file name."""
        return Path(self.file).stem if self.file else self.text

    @property
    def suffix(self) -> str:
        """The output's extension: the document's own, or .txt for a text."""
        return Path(self.file).suffix.lower() if self.file else ".txt"
