"""TextEngine: chat, completion and fill-in-the-middle on a local causal LM, streamed.

It runs transformers folders, and GGUF files too (dequantized) when llama.cpp cannot."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from studio.core.errors import Cancelled, GenerationError, ModelError
from studio.core.requests.text import CodeRequest, TextRequest
from studio.engines.contract import CancelledFn, Events, ProgressFn, concrete_seed, no_progress
from studio.engines.devices import dtype_name, resolve_device, resolve_dtype
from studio.engines.resident import ResidentModel, spec_for
from studio.engines.text.alternatives import AlternativesProcessor, TokenAlternatives
from studio.engines.text.code_blocks import CodeBlock, extract_code_blocks
from studio.engines.text.prompts import Prompt, build_prompt
from studio.engines.text.streaming import TextFn, TokenWatcher
from studio.models.loading.memory import pipeline_bytes
from studio.models.loading.text_models import LoadedTextModel, load_causal_lm, load_gguf_causal_lm
from studio.models.spec import ModelSpec

NoteFn = Callable[[str], None]


@dataclass
class TextReply:
    text: str
    seed: int
    finish_reason: str  # "end" (the model ended it), "stop" (a stop string), "length"
    prompt: Prompt  # template used, messages dropped, notes
    code_blocks: list[CodeBlock] = field(default_factory=list)
    run: dict[str, Any] = field(default_factory=dict)  # device, dtype, timings, ...


class TextEngine(ResidentModel):
    """One loaded language model on one device. Not thread-safe: one worker drives it."""

    WEIGHTS = "loaded.model"

    def __init__(
        self, loaded: LoadedTextModel, name: str, device: torch.device, family: str = ""
    ) -> None:
        if loaded.tokenizer is None:
            raise ModelError(f"{name} has no tokenizer files (tokenizer.json, ...)")
        self.loaded, self._name, self.device, self.family = loaded, name, device, family
        self.path, self.tokenizer = loaded.path, loaded.tokenizer  # kept when weights go
        self.chunk_interval = 0.05  # seconds: streamed text is coalesced at most this often
        self.gguf: dict[str, Any] = {}  # a GGUF file run dequantized: what that costs

    @classmethod
    def load(
        cls, model: str | Path | ModelSpec, device: str = "auto", precision: str = "auto"
    ) -> TextEngine:
        spec = spec_for(model, "text", "a text model")
        if spec.format == "gguf" and spec.kind == "gguf":
            return cls._load_gguf(spec, device, precision)
        if spec.kind != "transformers":
            raise ModelError(f"{spec.name} is a {spec.kind} ({spec.reason}), not a model to run")
        if spec.format == "pickle":
            raise ModelError(
                f"{spec.name} has only pickle weights (.bin), refused; convert it to safetensors"
            )
        torch_device = resolve_device(device)
        dtype = _dtype(torch_device, precision)
        loaded = load_causal_lm(spec.path, device=str(torch_device), dtype=dtype)
        return cls(loaded, spec.name, torch_device, spec.family)

    @classmethod
    def _load_gguf(cls, spec: ModelSpec, device: str, precision: str) -> TextEngine:
        """The fallback for GGUF files: transformers dequantizes them (and says what it costs)."""
        torch_device = resolve_device(device)
        dtype = _dtype(torch_device, precision)
        loaded = load_gguf_causal_lm(spec.path, device=str(torch_device), dtype=dtype)
        engine = cls(loaded, spec.name, torch_device, spec.family)
        size, held = spec.path.stat().st_size, pipeline_bytes(loaded.model)
        quantization = spec.facts.get("quantization") or "GGUF"
        engine.gguf = {
            "backend": "transformers (GGUF dequantized)", "quantization": quantization,
            "file_bytes": size, "dequantized_bytes": held,
            "note": f"{spec.name} runs through transformers, dequantized to {dtype_name(dtype)}: "
            f"{_size(held)} in memory for its {_size(size)} {quantization} file "
            "(llama.cpp runs it as it is, where llama-cpp-python is installed)",
        }  # fmt: skip
        return engine

    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self) -> torch.dtype:
        return self.model.dtype

    def run(self, request: TextRequest | CodeRequest, events: Events) -> Iterator[TextReply]:
        """The engine contract: the reply, once whole; its text streams to events.text."""
        yield self.generate(request, events.text, events.progress, events.cancelled, events.note)

    @property
    def model(self) -> Any:
        return self.loaded.model

    def build_prompt(self, request: TextRequest | CodeRequest) -> Prompt:
        return build_prompt(request, self.tokenizer, self.model, self.name)

    def generate(
        self, request: TextRequest | CodeRequest, on_text: TextFn = lambda text: None,
        progress: ProgressFn = no_progress, cancelled: CancelledFn = lambda: False,
        on_note: NoteFn = lambda note: None,
    ) -> TextReply:  # fmt: skip
        """Stream the reply to `on_text` in chunks; return it whole, or raise Cancelled.

        Notes (turns dropped to fit the context, ...) go to `on_note` before the first token.
        """
        started = time.perf_counter()
        if cancelled():
            raise Cancelled()
        prompt = self.build_prompt(request)
        notes = [*prompt.notes, *([self.gguf["note"]] if self.gguf else [])]
        for note in notes:
            on_note(note)
        config, end_ids, stops = self._generation_config(request, prompt)
        seed = concrete_seed(request.seed)
        watcher = TokenWatcher(
            self.tokenizer, on_text=on_text, progress=progress, cancelled=cancelled,
            max_new_tokens=request.max_new_tokens, stops=stops, interval=self.chunk_interval,
            strip_leading=request.mode == "chat", started=started,
        )  # fmt: skip
        ids = torch.tensor([prompt.ids], dtype=torch.long, device=self.device)
        alternatives = (
            TokenAlternatives(request.alternatives, lambda token: self.tokenizer.decode([token]))
            if request.alternatives else None
        )  # fmt: skip
        from transformers import LogitsProcessorList  # loaded (and quieted) by streaming

        processors = LogitsProcessorList()
        if alternatives is not None:
            processors.append(AlternativesProcessor(alternatives, request.temperature))
        torch.manual_seed(seed)  # generate() samples from the global generator
        try:
            with torch.inference_mode():
                self.model.generate(
                    input_ids=ids, attention_mask=torch.ones_like(ids), generation_config=config,
                    stopping_criteria=[watcher], logits_processor=processors,
                )  # fmt: skip
        except torch.OutOfMemoryError:
            raise GenerationError(
                f"{self.name} ran out of memory on {self.device} with a {len(prompt.ids)}-token "
                "prompt; lower max_new_tokens, shorten the conversation or use a lower precision"
            ) from None
        text = watcher.finish()
        finish = watcher.finish_reason(end_ids)
        gguf = {k: v for k, v in self.gguf.items() if k != "note"}
        run = {
            "device": str(self.device), "dtype": dtype_name(self.model.dtype), **gguf,
            "template": prompt.template, "prompt_tokens": len(prompt.ids), **watcher.facts(),
            "seconds": round(time.perf_counter() - started, 3), "finish_reason": finish,
            **({"stop": watcher.stop_hit} if watcher.stop_hit else {}),
            **({"dropped_messages": prompt.dropped} if prompt.dropped else {}),
            **({"notes": notes} if notes else {}),
        }  # fmt: skip
        if alternatives is not None:
            processors[0].finish(watcher.ids[-1] if watcher.ids else None)
            run.update(alternatives.facts())
        language = getattr(request, "language", "")
        blocks = [] if request.mode == "fim" else extract_code_blocks(text, language)
        return TextReply(text, seed, finish, prompt, blocks, run)

    def _generation_config(
        self, request: TextRequest | CodeRequest, prompt: Prompt
    ) -> tuple[Any, list[int], tuple[str, ...]]:
        config = copy.deepcopy(self.model.generation_config)
        # Stop strings are matched on the streamed text by TokenWatcher, the model's own too.
        stops = (*request.stop, *prompt.stops, *(_as_list(config.stop_strings)))
        end_ids = [*_as_list(config.eos_token_id), *prompt.end_ids]
        if not end_ids and self.tokenizer.eos_token_id is not None:
            end_ids = [self.tokenizer.eos_token_id]
        pad = next(
            (
                p
                for p in (config.pad_token_id, self.tokenizer.pad_token_id, *end_ids)
                if p is not None
            ),
            None,
        )
        sample = request.temperature > 0
        config.update(
            max_new_tokens=request.max_new_tokens, do_sample=sample, num_beams=1,
            temperature=request.temperature if sample else None,
            top_p=request.top_p if sample else None,
            top_k=request.top_k if sample else None,
            min_p=(request.min_p or None) if sample else None,
            repetition_penalty=request.repetition_penalty, stop_strings=None,
            eos_token_id=list(dict.fromkeys(end_ids)) or None, pad_token_id=pad, use_cache=True,
        )  # fmt: skip
        return config, end_ids, tuple(dict.fromkeys(stops))


def _dtype(device: torch.device, precision: str) -> torch.dtype:
    # Language models are trained in bf16: prefer it on GPUs that have it (fp16 may overflow).
    if precision == "auto" and device.type == "cuda" and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return resolve_dtype(device, precision)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _size(count: int) -> str:
    return f"{count / 2**30:.1f} GB" if count >= 2**30 else f"{count / 2**20:.1f} MB"
