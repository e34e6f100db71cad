"""LlamaCppEngine: GGUF text models through llama.cpp (llama-cpp-python), quantized as they are.

The same contract, requests and reply as TextEngine: chat with the file's own chat
template, completion, code and fill-in-the-middle; streamed, stopped on stop strings,
cancelled within one token. Prompts are built by the same code (prompts.py over
LlamaVocab), so both backends give a GGUF the same prompt.

This module imports without llama_cpp (the registry loads every backend's class); load()
raises BackendUnavailable when it is missing, and the model loader then tries TextEngine.

One llama_cpp.Llama per engine keeps its KV cache between runs: llama-cpp-python's
generate() evaluates only what follows the longest prefix shared with the previous run,
so the next turn of a chat (the same conversation plus a reply and a question) skips the
whole earlier conversation. run["prompt_tokens_reused"] says how much it skipped.

Token alternatives read the last token's logits from the context after each step
(llama_get_logits_ith(-1)): no `logits_all=True`, so asking for them costs no reload and
no extra memory.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from studio.core.errors import BackendUnavailable, Cancelled, ModelError
from studio.core.requests.text import CodeRequest, TextRequest
from studio.engines.contract import Events, concrete_seed
from studio.engines.resident import ResidentModel, SpecNamed, free_memory, spec_for
from studio.engines.text.alternatives import TokenAlternatives
from studio.engines.text.code_blocks import extract_code_blocks
from studio.engines.text.engine import TextReply
from studio.engines.text.llama_load import (
    LlamaPlan,
    gguf_path,
    import_llama_cpp,
    open_llama,
    plan_load,
)
from studio.engines.text.prompts import Prompt, build_prompt
from studio.engines.text.reply_text import ReplyText
from studio.models.spec import ModelSpec

PENALTY_WINDOW = 64  # llama-cpp-python's last_n_tokens_size: what its repeat penalty sees
_RANDOM_SEED = 0xFFFFFFFF  # llama.cpp's LLAMA_DEFAULT_SEED: "pick one" to its sampler


class LlamaCppEngine(SpecNamed, ResidentModel):
    """One GGUF model in llama.cpp. Not thread-safe: one worker drives it (see `busy`)."""

    WEIGHTS = "llama"

    def __init__(self, spec: ModelSpec, llama: Any, plan: LlamaPlan, llama_cpp: Any) -> None:
        from studio.engines.text.llama_vocab import LlamaVocab  # imports llama_cpp

        self.spec, self.llama, self.plan, self._lib = spec, llama, plan, llama_cpp
        self.vocab = LlamaVocab(llama)
        # Closed before interpreter shutdown at the latest: llama-cpp-python's own __del__
        # then finds its module globals gone (a traceback at exit in the frozen bundle).
        self._close = weakref.finalize(self, llama.close)
        self.device = plan.device
        self.chunk_interval = 0.05  # seconds: streamed text is coalesced at most this often
        # Weights and the whole context's KV cache (allocated up front): what the cache budgets.
        self._bytes = int(llama_cpp.llama_model_size(llama.model)) + plan.cache_bytes

    @classmethod
    def load(
        cls, model: str | Path | ModelSpec, device: str = "auto", precision: str = "auto"
    ) -> LlamaCppEngine:
        """`precision` is the file's quantization; the argument is accepted and ignored."""
        from studio.engines.devices import resolve_device

        spec = spec_for(model, "text", "a text model")
        if spec.format != "gguf":
            raise BackendUnavailable(f"{spec.name} is not a GGUF file")
        gguf_path(spec)
        llama_cpp = import_llama_cpp()
        torch_device = resolve_device(device)
        plan = plan_load(spec, torch_device, bool(llama_cpp.llama_supports_gpu_offload()))
        return cls(spec, open_llama(llama_cpp, spec, plan), plan, llama_cpp)

    # The contract's identity fields (name, path, family from the spec) and the cache's hooks.

    @property
    def dtype(self) -> str:
        return self.plan.quantization  # "Q4_K_M", "Q8_0", "F32", ...

    def memory_bytes(self) -> int:
        return self._bytes if self.llama is not None else 0

    def release(self) -> None:
        if self.llama is not None:
            self._close()  # frees the model, the context and their (V)RAM now
            self.llama = None
        free_memory()

    # Generation.

    def run(self, request: TextRequest | CodeRequest, events: Events) -> Iterator[TextReply]:
        """The engine contract: the reply, once whole; its text streams to events.text."""
        yield self.generate(request, events)

    def build_prompt(self, request: TextRequest | CodeRequest) -> Prompt:
        limits = SimpleNamespace(config=SimpleNamespace(n_ctx=self.plan.context))
        return build_prompt(request, self.vocab, limits, self.name)

    def generate(self, request: TextRequest | CodeRequest, events: Events | None = None) -> TextReply:  # fmt: skip
        events = events or Events()
        started = time.perf_counter()
        if events.cancelled():
            raise Cancelled()
        if self.llama is None:
            raise ModelError(f"{self.name} was unloaded")
        prompt = self.build_prompt(request)
        notes = [*self.plan.notes, *prompt.notes]
        for note in notes:
            events.note(note)
        seed = concrete_seed(request.seed)
        stream = ReplyText(
            self.vocab, on_text=events.text, progress=events.progress, cancelled=events.cancelled,
            max_new_tokens=request.max_new_tokens, stops=(*request.stop, *prompt.stops),
            interval=self.chunk_interval, strip_leading=request.mode == "chat", started=started,
        )  # fmt: skip
        alternatives = (
            TokenAlternatives(request.alternatives, self.vocab.piece) if request.alternatives else None
        )  # fmt: skip
        reused = self._cached_prefix(prompt.ids)
        self._sample(request, prompt, stream, alternatives, seed)
        text = stream.finish()
        end_ids = {token for token in stream.ids[-1:] if self.vocab.is_end(token)}
        finish = stream.finish_reason(end_ids | set(prompt.end_ids))
        run = {
            "device": self.device, "dtype": self.plan.quantization, "backend": "llama.cpp",
            "quantization": self.plan.quantization, "gpu_layers": self.plan.gpu_layers,
            "context": self.plan.context, "template": prompt.template,
            "prompt_tokens": len(prompt.ids), "prompt_tokens_reused": reused, **stream.facts(),
            "seconds": round(time.perf_counter() - started, 3), "finish_reason": finish,
            **({"stop": stream.stop_hit} if stream.stop_hit else {}),
            **({"dropped_messages": prompt.dropped} if prompt.dropped else {}),
            **({"notes": notes} if notes else {}),
            **(alternatives.facts() if alternatives is not None else {}),
        }  # fmt: skip
        language = getattr(request, "language", "")
        blocks = [] if request.mode == "fim" else extract_code_blocks(text, language)
        return TextReply(text, seed, finish, prompt, blocks, run)

    def _sample(
        self, request: TextRequest | CodeRequest, prompt: Prompt, stream: ReplyText,
        alternatives: TokenAlternatives | None, seed: int,
    ) -> None:  # fmt: skip
        """Token by token until an end token, a stop string, max_new_tokens or a cancel."""
        sample = request.temperature > 0
        temperature = request.temperature if sample else 0.0  # llama.cpp: 0 = greedy
        self.llama.set_seed(seed if seed != _RANDOM_SEED else _RANDOM_SEED - 1)
        ends = set(prompt.end_ids)
        tokens = self.llama.generate(
            prompt.ids, temp=temperature, top_k=request.top_k, top_p=request.top_p,
            min_p=request.min_p, repeat_penalty=request.repetition_penalty, reset=True,
        )  # fmt: skip
        try:
            for token in tokens:
                if alternatives is not None:
                    alternatives.add_logits(
                        self._last_logits(), token, temperature, request.repetition_penalty,
                        stream.ids[-PENALTY_WINDOW:],
                    )  # fmt: skip
                if stream.push(token) or token in ends or self.vocab.is_end(token):
                    break
                if len(stream.ids) >= request.max_new_tokens:
                    break
        finally:
            tokens.close()  # the last token stays unevaluated: the next run starts from there

    def _last_logits(self) -> np.ndarray:
        pointer = self._lib.llama_get_logits_ith(self.llama.ctx, -1)
        return np.ctypeslib.as_array(pointer, shape=(self.vocab.size,))

    def _cached_prefix(self, ids: list[int]) -> int:
        """How many prompt tokens generate() will take from the KV cache (its own rule)."""
        cached = self.llama.input_ids[: self.llama.n_tokens].tolist()
        shared = 0
        for old, new in zip(cached, ids, strict=False):
            if old != new:
                break
            shared += 1
        if shared == len(ids):  # the whole prompt: one token is replayed for fresh logits
            exact = len(cached) == shared and not getattr(self.llama, "_requires_eval", True)
            return shared if exact else max(shared - 1, 0)
        return shared
