"""TokenWatcher: ReplyText as one hook that generate() calls after every new token.

It is a StoppingCriteria, so it runs inside the decoding loop with no extra thread:
it cancels within one token, streams the reply and ends it on a stop string.
"""

from __future__ import annotations

from typing import Any

import torch

from studio.engines.text.reply_text import ReplyText, TextFn
from studio.models.loading.quiet import quiet_transformers

quiet_transformers()  # before transformers is imported: it warns at import time
from transformers import StoppingCriteria  # noqa: E402

__all__ = ["TextFn", "TokenWatcher"]


class TokenWatcher(ReplyText, StoppingCriteria):
    def __init__(self, tokenizer: Any, **options: Any) -> None:
        super().__init__(tokenizer, **options)
        self._flags: dict[bool, torch.Tensor] = {}

    def __call__(self, input_ids: torch.Tensor, scores: Any, **kwargs: Any) -> torch.Tensor:
        return self._flag(self.push(int(input_ids[0, -1])), input_ids.device)

    def _flag(self, value: bool, device: torch.device) -> torch.Tensor:
        # Batch size 1 (streaming supports no more); built once per device, not per token.
        if value not in self._flags:
            self._flags[value] = torch.tensor([value], dtype=torch.bool, device=device)
        return self._flags[value]
