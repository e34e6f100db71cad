"""What a translation model translates, read from its folder's config and tokenizer files.

The translate engine learns the same from the loaded tokenizer (engines/translate/families.py);
this reads the files themselves, so a language picker can be filled without torch or
transformers. The rules are the engine's, family by family:

- Marian: `source_lang`/`target_lang` in tokenizer_config.json (else the opus-mt name);
  a multi-target model's `>>xx<<` tokens in vocab.json are its targets.
- M2M100: the fixed fairseq list named by `language_codes` ("m2m100" or "wmt21").
- NLLB: the FLORES-200 tokens (`por_Latn`) of its vocabulary.
- T5: MADLAD's `<2xx>` tokens, else classic T5's task prefixes in config.json.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from studio.core.errors import ModelError
from studio.core.languages import (
    LANGUAGES,
    LanguageSupport,
    find_language,
    language_for_model_code,
)
from studio.models.catalog import ModelCatalog

# Shared with the translate engine (studio/engines/translate/families.py).
FLORES_CODE = re.compile(r"^[a-z]{3}_[A-Z][a-z]{3}$")
MADLAD_TOKEN = re.compile(r"^<2([A-Za-z]{2,3}(?:[_-][A-Za-z0-9]+)?)>$")
_MADLAD_BYTES = re.compile(rb"<2([A-Za-z]{2,3}(?:[_-][A-Za-z0-9]+)?)>")
_MARIAN_TARGET = re.compile(r"^>>(.+)<<$")
T5_TASK = re.compile(r"^translation_([A-Za-z_-]+)_to_([A-Za-z_-]+)$")
OPUS_NAME = re.compile(r"opus-mt-(?:tc-(?:big|base)-)?([A-Za-z_+]+)-([A-Za-z_+]+)$")
# transformers' M2M100Tokenizer FAIRSEQ_LANGUAGE_CODES: the ids come from this list, not files.
M2M100_CODES: dict[str, str] = {
    "m2m100": (
        "af am ar ast az ba be bg bn br bs ca ceb cs cy da de el en es et fa ff fi fr fy ga gd "
        "gl gu ha he hi hr ht hu hy id ig ilo is it ja jv ka kk km kn ko lb lg ln lo lt lv mg "
        "mk ml mn mr ms my ne nl no ns oc or pa pl ps pt ro ru sd si sk sl so sq sr ss su sv sw "
        "ta th tl tn tr uk ur uz vi wo xh yi yo zh zu"
    ),
    "wmt21": "en ha is ja cs ru zh de",
}


def model_languages(ref: str, catalog: ModelCatalog | None = None) -> LanguageSupport:
    """The languages of a catalog id, name or folder; ModelError (one line) otherwise."""
    from studio.models.spec import resolve

    spec = resolve(ref, catalog)
    if spec.task != "translate" or not spec.path.is_dir():
        raise ModelError(f"{spec.name} is not a translation model ({spec.task} {spec.kind})")
    names = (spec.name, spec.path.name, *(parent.name for parent in spec.path.parents))
    return folder_languages(spec.path, names, spec.name)


def folder_languages(
    folder: Path, names: Sequence[str] = (), model: str | None = None
) -> LanguageSupport:
    """The languages of the model saved in `folder` (no weights are read)."""
    config = _json(folder / "config.json")
    tokenizer = _json(folder / "tokenizer_config.json")
    family = _family(config, tokenizer)
    name = model or folder.name
    if family == "marian":
        sources, targets = _marian(folder, tokenizer, (*names, folder.name))
    elif family == "m2m100":
        listed = M2M100_CODES.get(str(tokenizer.get("language_codes", "m2m100")), "").split()
        sources = targets = table_codes(listed)
    elif family == "nllb":
        found = table_codes(t for t in _tokens(folder, tokenizer) if FLORES_CODE.match(t))
        # A slow-only tokenizer keeps its codes in code: every NLLB-200 language then.
        sources = targets = found or [c for c, lang in LANGUAGES.items() if lang.flores]
    else:
        return _t5(folder, config, tokenizer, name)
    return LanguageSupport(name, tuple(sources), tuple(targets))


def table_codes(natives: Iterable[str]) -> list[str]:
    """A model's own codes as studio codes, in the table's order (as the engine maps them)."""
    found: set[str] = set()
    for native in natives:
        language = find_language(native) or language_for_model_code(native)
        if language is not None:
            found.add(language.code)
    return [code for code in LANGUAGES if code in found]


def one_or_any(code: str | None) -> list[str]:
    """A pair model's side: its one language, or every language for a group (mul)."""
    language = find_language(code) if code else None
    return [language.code] if language is not None else list(LANGUAGES)


def _family(config: dict[str, Any], tokenizer: dict[str, Any]) -> str:
    kind = str(tokenizer.get("tokenizer_class") or "")
    model_type = str(config.get("model_type") or "")
    for prefix, family in (("Marian", "marian"), ("Nllb", "nllb"), ("M2M100", "m2m100")):
        if kind.startswith(prefix):
            return family
    if model_type in ("marian", "m2m_100"):
        return "marian" if model_type == "marian" else "m2m100"
    if model_type in ("t5", "mt5", "umt5"):
        return "t5"
    raise ModelError(
        f"{model_type or 'this model'} with {kind or 'no tokenizer'} is not a translation model "
        "the studio knows (Marian, M2M100, NLLB, T5/MADLAD)"
    )


def _marian(
    folder: Path, tokenizer: dict[str, Any], names: Sequence[str]
) -> tuple[list[str], list[str]]:
    source, target = tokenizer.get("source_lang"), tokenizer.get("target_lang")
    if not (source and target):  # older exports: the languages are in the model's name
        match = next((m for name in names if (m := OPUS_NAME.search(name))), None)
        if match:
            source, target = match.group(1), match.group(2)
    # As MarianTokenizer: only a shared vocabulary's `>>xx<<` tokens choose the target.
    vocab = {} if tokenizer.get("separate_vocabs") else _json(folder / "vocab.json")
    tokens = [m.group(1) for token in vocab if (m := _MARIAN_TARGET.match(token))]
    targets = table_codes(tokens) if tokens else one_or_any(target)
    return one_or_any(source), targets


def _t5(
    folder: Path, config: dict[str, Any], tokenizer: dict[str, Any], name: str
) -> LanguageSupport:
    natives = [
        m.group(1) for token in _tokens(folder, tokenizer) if (m := MADLAD_TOKEN.match(token))
    ]
    spiece = folder / "spiece.model"
    if not natives and spiece.is_file():  # MADLAD's tokens are SentencePiece pieces
        natives = [m.decode("ascii") for m in _MADLAD_BYTES.findall(spiece.read_bytes())]
    if natives:  # MADLAD: the source language is recognised, not declared
        codes = tuple(table_codes(natives))
        return LanguageSupport(name, codes, codes)
    pairs: dict[tuple[str, str], None] = {}  # in config order, as the engine lists them
    for task, params in (config.get("task_specific_params") or {}).items():
        match = T5_TASK.match(task)
        source, target = (find_language(match.group(i)) for i in (1, 2)) if match else (None, None)
        if source and target and isinstance(params, dict) and params.get("prefix"):
            pairs[(source.code, target.code)] = None
    if not pairs:
        raise ModelError(
            "this T5 model names no languages (no <2xx> tokens, no translation task prefixes)"
        )
    sources = tuple(dict.fromkeys(s for s, _ in pairs))
    targets = tuple(dict.fromkeys(t for _, t in pairs))
    return LanguageSupport(name, sources, targets, frozenset(pairs))


def _tokens(folder: Path, tokenizer: dict[str, Any]) -> set[str]:
    """Every token the tokenizer files name: vocabulary, added and special tokens."""
    tokens: set[str] = set()
    fast = _json(folder / "tokenizer.json")
    tokens.update(
        str(t.get("content")) for t in fast.get("added_tokens") or [] if isinstance(t, dict)
    )
    vocab = (fast.get("model") or {}).get("vocab") or {}
    # BPE/WordLevel: {token: id}; Unigram: [[token, score], ...]
    tokens.update(vocab if isinstance(vocab, dict) else (str(v[0]) for v in vocab if v))
    tokens.update(_json(folder / "vocab.json"))
    tokens.update(_json(folder / "added_tokens.json"))
    for key in ("additional_special_tokens", "extra_special_tokens"):
        value = tokenizer.get(key)
        if isinstance(value, list):
            tokens.update(str(v) for v in value)
    decoder = tokenizer.get("added_tokens_decoder") or {}
    tokens.update(str(v.get("content")) for v in decoder.values() if isinstance(v, dict))
    return tokens


def _json(path: Path) -> dict[str, Any]:
    """A JSON object file, {} when it is missing; ModelError (one line) when it is damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"cannot read {path.name} of {path.parent.name}: {exc}") from None
    return data if isinstance(data, dict) else {}
