"""Translations: a text file with the input's extension (.txt for a text, the document's
own for a file) and a JSON sidecar recording both languages with the model's codes."""

from __future__ import annotations

from typing import Any

from studio.runtime.recorders import Recorder, WrittenOutput


class TranslationRecorder(Recorder):
    def add(self, result: Any) -> list[WrittenOutput]:
        record = self.record(0, run=result.run)
        self.text, self.sentences = result.text, result.sentences  # what a front end shows
        return [self.save_text(result.text, record, self.ctx.request.suffix)]  # type: ignore[attr-defined]
