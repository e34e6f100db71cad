"""TranslateEngine: runs TranslateRequests on a local seq2seq model (Marian, M2M100, NLLB, T5).

transformers 5 has no translation pipeline: the engine tokenizes, calls generate() on
the model with the family's language codes, and decodes. Documents are split into
sentences (core.text_segments), sentences too long for the model are split further,
and the translations are put back into the original layout.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from studio.core.errors import ModelError, ValidationError, one_line
from studio.core.languages import LANGUAGES, LanguageSupport
from studio.core.requests.translate import TranslateRequest
from studio.core.text_segments import fit, join, read_document, split_document, to_translate
from studio.engines.contract import CancelledFn, Events, ProgressFn, no_progress
from studio.engines.devices import dtype_name, resolve_device, resolve_dtype
from studio.engines.resident import ResidentModel, SpecNamed
from studio.engines.translate import generation
from studio.engines.translate.families import (
    LanguageCodes,
    Prepared,
    detect_family,
    language_codes,
    prepare,
)
from studio.models.loading.quiet import quiet_transformers
from studio.models.spec import ModelSpec, resolve

MAX_SOURCE_TOKENS = 512  # beyond this even models that accept more translate worse
_LOAD_ERRORS = (OSError, ValueError, KeyError, RuntimeError, TypeError, ImportError)


@dataclass
class TranslatedText:
    text: str
    sentences: int  # pieces translated (sentences, or parts of overlong ones)
    run: dict[str, Any] = field(default_factory=dict)  # languages, device, timings


class TranslateEngine(ResidentModel, SpecNamed):
    """One loaded translation model on one device. Not thread-safe: one worker drives it."""

    WEIGHTS = "model"

    def __init__(self, model: Any, tokenizer: Any, spec: ModelSpec, codes: LanguageCodes) -> None:
        self.model, self.tokenizer, self.spec, self.codes = model, tokenizer, spec, codes
        self.source_limit, self.decoder_limit = _limits(model.config, tokenizer)

    @property
    def device(self) -> Any:
        return self.model.device if self.model is not None else None

    @classmethod
    def load(
        cls, model: str | Path | ModelSpec, device: str = "auto", precision: str = "auto"
    ) -> TranslateEngine:
        spec = model if isinstance(model, ModelSpec) else resolve(str(model))
        if spec.task != "translate" or not spec.path.is_dir():
            raise ModelError(f"{spec.name} is not a translation model ({spec.task} {spec.kind})")
        if spec.format == "pickle" and not spec.allow_pickle:
            raise ModelError(
                f"{spec.name} has only pickle weights, which can run code when loaded; refused. "
                "Convert it to .safetensors, or allow this one model with "
                "`studio models set ID --allow-pickle yes` (tensors only, never code)"
            )
        torch_device = resolve_device(device)
        if precision == "auto" and torch_device.type == "cuda" and spec.family in ("t5", "madlad"):
            precision = "bf16" if torch.cuda.is_bf16_supported() else "fp32"  # T5 overflows fp16
        dtype = resolve_dtype(torch_device, precision, spec.family)
        model_obj, tokenizer = _load(spec, dtype)
        family = detect_family(tokenizer, model_obj.config)
        names = (spec.name, spec.path.name, *(p.name for p in spec.path.parents))
        codes = language_codes(family, tokenizer, model_obj.config, names)
        return cls(model_obj.to(torch_device).eval(), tokenizer, spec, codes)

    def languages(self) -> LanguageSupport:
        """The (source, target) languages this model translates, in studio codes."""
        return self.codes.support(self.name)

    def run(self, request: TranslateRequest, events: Events) -> Iterator[TranslatedText]:
        """The engine contract: the whole translation, once done."""
        yield self.translate_request(request, events.progress, events.cancelled)

    def translate_request(
        self, request: TranslateRequest, progress: ProgressFn = no_progress,
        cancelled: CancelledFn = lambda: False,
    ) -> TranslatedText:  # fmt: skip
        """Translate the request's text or document; raise Cancelled between or within batches."""
        self.languages().check(request.source, request.target)
        if request.file:
            text, kind = read_document(Path(request.file))
        else:
            text, kind = request.text, "text"
        prepared = prepare(self.codes, self.tokenizer, request.source, request.target)
        segments = fit(split_document(text, kind), self._measure(prepared), self.source_limit)
        pieces = to_translate(segments)
        if not pieces:
            where = Path(request.file).name if request.file else "the text"
            raise ValidationError(f"{where} has no words to translate")
        started = time.perf_counter()
        translations = self.translate(pieces, prepared, request, progress, cancelled)
        facts = self._facts(request, prepared, time.perf_counter() - started, len(pieces))
        return TranslatedText(join(segments, translations), len(pieces), facts)

    def translate(
        self, pieces: list[str], prepared: Prepared, request: TranslateRequest,
        progress: ProgressFn = no_progress, cancelled: CancelledFn = lambda: False,
    ) -> list[str]:  # fmt: skip
        """Translate pieces that already fit the model, in batches of request.batch_size."""
        if self.model is None:
            raise ModelError(f"{self.name} was unloaded")
        return generation.generate_batches(
            self.model, self.tokenizer, pieces, prepared, batch_size=request.batch_size,
            beams=request.beams, decoder_limit=self.decoder_limit, progress=progress,
            cancelled=cancelled,
        )  # fmt: skip

    def _measure(self, prepared: Prepared) -> Callable[[str], int]:
        """Model tokens in a piece, as it will be sent (prefix and special tokens included)."""

        def measure(text: str) -> int:
            return len(self.tokenizer(prepared.prefix + text)["input_ids"])

        return measure

    def _facts(
        self, request: TranslateRequest, prepared: Prepared, seconds: float, pieces: int
    ) -> dict[str, Any]:
        facts = {key: value for key, value in prepared.facts.items() if value is not None}
        source_code, target_code = facts.pop("source_code"), facts.pop("target_code")
        return {
            "source": _language_facts(request.source, source_code),
            "target": _language_facts(request.target, target_code),
            "family": self.codes.family,
            **facts,
            **({"input_file": Path(request.file).name} if request.file else {}),
            "sentences": pieces,
            "batch_size": request.batch_size,
            "beams": request.beams,
            "no_repeat_ngram_size": generation.NO_REPEAT_NGRAM_SIZE,
            "max_source_tokens": self.source_limit,
            "device": str(self.model.device),
            "dtype": dtype_name(self.model.dtype),
            "seconds": round(seconds, 3),
            "sentences_per_second": round(pieces / seconds, 2) if seconds > 0 else None,
        }


def _language_facts(code: str, model_code: str) -> dict[str, str]:
    return {"code": code, "name": LANGUAGES[code].name, "model_code": model_code}


def _load(spec: ModelSpec, dtype: torch.dtype) -> tuple[Any, Any]:
    quiet_transformers()
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    try:
        model = AutoModelForSeq2SeqLM.from_pretrained(
            spec.path, local_files_only=True, use_safetensors=spec.format != "pickle",
            dtype=dtype, trust_remote_code=False,
        )  # fmt: skip
    except _LOAD_ERRORS as exc:
        raise ModelError(
            f"cannot load the translation model {spec.name}: {one_line(exc)}"
        ) from None
    try:
        with warnings.catch_warnings():  # Marian asks for sacremoses; it only normalises quotes
            warnings.filterwarnings("ignore", message=".*sacremoses")
            tokenizer = AutoTokenizer.from_pretrained(
                spec.path, local_files_only=True, trust_remote_code=False
            )
    except _LOAD_ERRORS as exc:
        raise ModelError(f"cannot load the tokenizer of {spec.name}: {one_line(exc)}") from None
    if not getattr(model.config, "is_encoder_decoder", False):
        raise ModelError(f"{spec.name} is not a sequence-to-sequence translation model")
    return model, tokenizer


def _limits(config: Any, tokenizer: Any) -> tuple[int, int]:
    """(most tokens per source piece, most decoder positions) for this model."""
    positions = getattr(config, "max_position_embeddings", None)
    told = getattr(tokenizer, "model_max_length", None)
    told = told if isinstance(told, int) and told < 1_000_000 else None  # "no limit" sentinels
    source = min(x for x in (positions, told, MAX_SOURCE_TOKENS) if x)
    decoder = positions - 1 if positions else 2 * MAX_SOURCE_TOKENS  # the start token uses one
    return source, decoder
