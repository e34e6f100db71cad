"""Batched generate() for seq2seq translation: progress per sentence, cancel within a step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from transformers import StoppingCriteria, StoppingCriteriaList

from studio.core.errors import Cancelled
from studio.engines.contract import CancelledFn, ProgressFn
from studio.engines.translate.families import Prepared

# Repetition guard: no 4-gram twice in one sentence (the loop untrained or overlong inputs
# fall into), and an output budget proportional to the input.
NO_REPEAT_NGRAM_SIZE = 4
OUTPUT_TOKENS_PER_INPUT_TOKEN = 2
OUTPUT_TOKENS_SLACK = 16


class _CancelCheck(StoppingCriteria):
    """Checked after every generated token. Raising aborts at once; returning True for
    every row would still hand back a half-made batch."""

    def __init__(self, cancelled: CancelledFn) -> None:
        self.cancelled = cancelled

    def __call__(self, input_ids: torch.LongTensor, scores: Any, **kwargs: Any) -> torch.Tensor:
        if self.cancelled():
            raise Cancelled()
        return torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)


def max_new_tokens(input_tokens: int, decoder_limit: int) -> int:
    wanted = OUTPUT_TOKENS_PER_INPUT_TOKEN * input_tokens + OUTPUT_TOKENS_SLACK
    return max(1, min(wanted, decoder_limit))


def generate_batches(
    model: Any,
    tokenizer: Any,
    texts: Sequence[str],
    prepared: Prepared,
    *,
    batch_size: int,
    beams: int,
    decoder_limit: int,
    progress: ProgressFn,
    cancelled: CancelledFn,
) -> list[str]:
    """Translate `texts` (each already short enough for the model) in order.

    Sentences of similar length share a batch (longest first), so little is padded;
    results go back to their original positions.
    """
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    results: list[str] = [""] * len(texts)
    stop = StoppingCriteriaList([_CancelCheck(cancelled)])
    device = model.device
    # A row is the decoder start token, then the generated tokens. A forced target-language
    # token is dropped too: not every tokenizer marks it special (an M2M100 tokenizer saved
    # by transformers 5 does not).
    skip = 2 if "forced_bos_token_id" in prepared.generate else 1
    done = 0
    progress(0, len(texts))
    for start in range(0, len(order), batch_size):
        if cancelled():
            raise Cancelled()
        chosen = order[start : start + batch_size]
        inputs = tokenizer(
            [prepared.prefix + texts[i] for i in chosen], return_tensors="pt", padding=True
        ).to(device)
        # Each sentence's own budget; the batch runs to the largest and each row is cut back
        # to its own, so a sentence comes out the same whatever batch it was in.
        budgets = [
            max_new_tokens(int(n), decoder_limit) for n in inputs["attention_mask"].sum(dim=1)
        ]
        with torch.inference_mode():
            output = model.generate(
                **inputs,
                **prepared.generate,
                max_new_tokens=max(budgets),
                num_beams=beams,
                do_sample=False,
                no_repeat_ngram_size=NO_REPEAT_NGRAM_SIZE,
                # Marian forces EOS at the length limit: with the limit per batch, not per
                # sentence, that would make a sentence's output depend on its batch.
                forced_eos_token_id=None,
                stopping_criteria=stop,
            )
        decoded = tokenizer.batch_decode(
            [row[skip : 1 + budget] for row, budget in zip(output, budgets, strict=True)],
            skip_special_tokens=True,
        )
        for index, text in zip(chosen, decoded, strict=True):
            results[index] = text.strip()
        done += len(chosen)
        progress(done, len(texts))
    return results
