"""How each translation family names its languages, and how it is told which pair to use.

- Marian (opus-mt): a pair model translates the languages in its name/tokenizer config
  (`opus-mt-pt-en`); a multi-target model needs a `>>xx<<` token at the start of the
  source, one of its tokenizer's `supported_language_codes`.
- M2M100: `tokenizer.src_lang = "pt"`, and the target forced as the first generated
  token: `forced_bos_token_id=tokenizer.get_lang_id("en")`.
- NLLB-200: the same with FLORES-200 codes (`por_Latn`), the target token id from
  `convert_tokens_to_ids` (transformers 5 has no `lang_code_to_id`).
- T5: MADLAD's `<2xx>` target token before the source; classic T5's task prefixes
  ("translate English to German: ") from config.json's task_specific_params.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from studio.core.errors import ModelError
from studio.core.languages import (
    LANGUAGES,
    LanguageSupport,
    find_language,
    language_for_model_code,
)
from studio.models.translate_languages import (  # one set of patterns for files and models
    FLORES_CODE,
    MADLAD_TOKEN,
    OPUS_NAME,
    T5_TASK,
)

_M2M_TOKEN = re.compile(r"^__([a-z]{2,3})__$")
ANY = "*"  # a side that accepts every language (a multilingual source group, e.g. "mul")


@dataclass(frozen=True)
class LanguageCodes:
    """One loaded model's languages: studio code -> the model's own code, per side."""

    family: str
    sources: dict[str, str]
    targets: dict[str, str]
    # Only these pairs (classic T5); None: every source with every other target.
    pairs: frozenset[tuple[str, str]] | None = None
    prefixes: dict[tuple[str, str], str] = field(default_factory=dict)  # classic T5

    def support(self, model_name: str) -> LanguageSupport:
        return LanguageSupport(model_name, tuple(self.sources), tuple(self.targets), self.pairs)


@dataclass(frozen=True)
class Prepared:
    """What one language pair needs: text before each sentence, generate() arguments."""

    prefix: str = ""
    generate: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)  # for the output's record


def detect_family(tokenizer: Any, config: Any) -> str:
    name = type(tokenizer).__name__
    for prefix, family in (("Marian", "marian"), ("Nllb", "nllb"), ("M2M100", "m2m100")):
        if name.startswith(prefix):
            return family
    if getattr(config, "model_type", "") in ("t5", "mt5", "umt5"):
        return "t5"
    raise ModelError(
        f"{getattr(config, 'model_type', '?')} with {name} is not a translation model "
        "the studio knows (Marian, M2M100, NLLB, T5/MADLAD)"
    )


def language_codes(
    family: str, tokenizer: Any, config: Any, names: Sequence[str] = ()
) -> LanguageCodes:
    """The languages a loaded model supports, read from its tokenizer and config."""
    if family == "marian":
        return _marian(tokenizer, names)
    if family == "m2m100":
        natives = list(getattr(tokenizer, "lang_code_to_id", None) or _vocab(tokenizer, _M2M_TOKEN))
        codes = _to_table(natives)
        return LanguageCodes(family, codes, codes)
    if family == "nllb":
        codes = _to_table(token for token in tokenizer.get_vocab() if FLORES_CODE.match(token))
        return LanguageCodes(family, codes, codes)
    return _t5(tokenizer, config)


def prepare(codes: LanguageCodes, tokenizer: Any, source: str, target: str) -> Prepared:
    """Set the tokenizer up for `source` and say how to ask for `target` (studio codes)."""
    src, tgt = codes.sources.get(source, source), codes.targets.get(target, target)
    facts: dict[str, Any] = {"source_code": src, "target_code": tgt}
    if codes.family == "marian":
        prefix = f"{tgt} " if tgt.startswith(">>") else ""
        return Prepared(prefix, {}, {**facts, "prefix": prefix.strip() or None})
    if codes.family in ("m2m100", "nllb"):
        tokenizer.src_lang = src  # the source language token the tokenizer adds
        m2m = codes.family == "m2m100"
        bos = tokenizer.get_lang_id(tgt) if m2m else tokenizer.convert_tokens_to_ids(tgt)
        return Prepared("", {"forced_bos_token_id": bos}, {**facts, "forced_bos_token": tgt})
    if codes.pairs is not None:
        prefix = codes.prefixes[(source, target)]
        return Prepared(prefix, {}, {**facts, "prefix": prefix})
    return Prepared(f"<2{tgt}> ", {}, {**facts, "prefix": f"<2{tgt}>"})


def _marian(tokenizer: Any, names: Sequence[str]) -> LanguageCodes:
    source = getattr(tokenizer, "source_lang", None)
    target = getattr(tokenizer, "target_lang", None)
    if not (source and target):  # older exports: the languages are in the model's name
        found = (OPUS_NAME.search(name) for name in names)
        match = next((m for m in found if m), None)
        source, target = (match.group(1), match.group(2)) if match else (source, target)
    tokens = getattr(tokenizer, "supported_language_codes", None) or []
    if tokens:
        targets = _to_table(token[2:-2] for token in tokens)
        targets = {code: f">>{native}<<" for code, native in targets.items()}
    else:
        targets = _one_or_any(target)
    return LanguageCodes("marian", _one_or_any(source), targets)


def _one_or_any(code: str | None) -> dict[str, str]:
    """A pair model's side: its one language, or every language for a group (mul, ROMANCE)
    or a model that does not say."""
    language = find_language(code) if code else None
    if language is not None:
        return {language.code: code}  # type: ignore[dict-item]
    return {known: known for known in LANGUAGES}


def _t5(tokenizer: Any, config: Any) -> LanguageCodes:
    natives = [m.group(1) for token in tokenizer.get_vocab() if (m := MADLAD_TOKEN.match(token))]
    if natives:  # MADLAD: the source language is recognised, not declared
        codes = _to_table(natives)
        return LanguageCodes("t5", codes, codes)
    prefixes: dict[tuple[str, str], str] = {}
    for task, params in (getattr(config, "task_specific_params", None) or {}).items():
        match = T5_TASK.match(task)
        source, target = (find_language(match.group(i)) for i in (1, 2)) if match else (None, None)
        if source and target and isinstance(params, dict) and params.get("prefix"):
            prefixes[(source.code, target.code)] = str(params["prefix"])
    if not prefixes:
        raise ModelError(
            "this T5 model names no languages (no <2xx> tokens, no translation task prefixes)"
        )
    sources = {s: s for s, _ in prefixes}
    targets = {t: t for _, t in prefixes}
    return LanguageCodes("t5", sources, targets, frozenset(prefixes), prefixes)


def _vocab(tokenizer: Any, pattern: re.Pattern[str]) -> list[str]:
    return [m.group(1) for token in tokenizer.get_vocab() if (m := pattern.match(token))]


def _to_table(natives: Iterable[str]) -> dict[str, str]:
    """Studio code -> model code, in the table's order. An exact spelling wins over a
    regional/script variant (opus-mt has both `>>pt<<` and `>>pt_br<<`)."""
    exact: dict[str, str] = {}
    variant: dict[str, str] = {}
    for native in natives:
        language = find_language(native)
        if language is not None:
            exact.setdefault(language.code, native)
        elif (language := language_for_model_code(native)) is not None:
            variant.setdefault(language.code, native)
    merged = {**variant, **exact}
    return {code: merged[code] for code in LANGUAGES if code in merged}
