"""The translate engine on tiny random models of every family.

Untrained models translate into noise: these tests check what reaches generate() (the
language tokens, prefixes and forced first token), the supported-pair listing,
segmentation, batching, progress and cancel, not translation quality.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from studio.core.errors import Cancelled, ModelError, ValidationError
from studio.core.languages import find_language
from studio.core.requests.translate import TranslateRequest
from studio.engines.translate import TranslateEngine


@pytest.fixture(scope="module")
def models(tiny_translate_models: dict[str, Path]) -> dict[str, Path]:
    return tiny_translate_models


@pytest.fixture(scope="module")
def engine(models: dict[str, Path]) -> Callable[[str], TranslateEngine]:
    loaded: dict[str, TranslateEngine] = {}

    def get(name: str) -> TranslateEngine:
        if name not in loaded:
            loaded[name] = TranslateEngine.load(models[name], device="cpu", precision="fp32")
        return loaded[name]

    return get


def request(model: Path, **changes: Any) -> TranslateRequest:
    base: dict[str, Any] = {"model": str(model), "source": "pt", "target": "en",
                            "text": "O gato dorme."}  # fmt: skip
    return TranslateRequest(**{**base, **changes})


@contextlib.contextmanager
def spy_generate(engine: TranslateEngine) -> Iterator[list[tuple[dict[str, Any], Any]]]:
    """Record every generate() call's arguments and the token ids it returned."""
    calls: list[tuple[dict[str, Any], Any]] = []
    real = engine.model.generate

    def generate(**kwargs: Any) -> Any:
        output = real(**kwargs)
        calls.append((kwargs, output))
        return output

    engine.model.generate = generate
    try:
        yield calls
    finally:
        del engine.model.generate


def first_input_token(calls: list[tuple[dict[str, Any], Any]]) -> int:
    return int(calls[0][0]["input_ids"][0, 0])


def test_marian_pair_model_offers_its_one_pair_and_adds_no_language_token(
    engine: Callable[[str], TranslateEngine], models: dict[str, Path]
) -> None:
    marian = engine("marian")
    assert (marian.languages().sources, marian.languages().targets) == (("pt",), ("en",))
    with spy_generate(marian) as calls:
        result = marian.translate_request(request(models["marian"]))
    kwargs, _ = calls[0]
    assert kwargs["input_ids"][0].tolist() == marian.tokenizer("O gato dorme.")["input_ids"]
    assert "forced_bos_token_id" not in kwargs and kwargs["no_repeat_ngram_size"] == 4
    assert result.run["source"] == {"code": "pt", "name": "Portuguese", "model_code": "pt"}
    with pytest.raises(ValidationError, match=r"^opus-mt-pt-en does not translate from en "
                       r"\(English\); it translates from pt$"):  # fmt: skip
        marian.translate_request(request(models["marian"], source="en", target="pt"))


def test_marian_languages_come_from_the_model_name_when_the_tokenizer_has_none(
    models: dict[str, Path], tmp_path: Path
) -> None:
    folder = shutil.copytree(models["marian"], tmp_path / "opus-mt-tc-big-pt-en")
    config_file = folder / "tokenizer_config.json"
    config = json.loads(config_file.read_text())
    del config["source_lang"], config["target_lang"]
    config_file.write_text(json.dumps(config))
    support = TranslateEngine.load(folder, device="cpu").languages()
    assert (support.sources, support.targets) == (("pt",), ("en",))


def test_marian_multi_target_model_puts_the_target_token_first(
    engine: Callable[[str], TranslateEngine], models: dict[str, Path]
) -> None:
    marian = engine("marian-multi")
    support = marian.languages()
    assert support.sources == ("en",) and support.targets == ("de", "fr", "pt")  # pt_br -> pt
    assert marian.codes.targets["pt"] == ">>pt<<"  # the exact code wins over the variant
    with spy_generate(marian) as calls:
        result = marian.translate_request(request(models["marian-multi"], source="en", target="fr",
                                    text="The cat sleeps."))  # fmt: skip
    assert first_input_token(calls) == marian.tokenizer.convert_tokens_to_ids(">>fr<<")
    assert result.run["prefix"] == ">>fr<<"
    with pytest.raises(ValidationError, match=r"does not translate into es \(Spanish\); "
                       r"it translates into de, fr, pt$"):  # fmt: skip
        marian.translate_request(request(models["marian-multi"], source="en", target="es"))


def test_m2m100_sets_the_source_token_and_forces_the_target_as_first_token(
    engine: Callable[[str], TranslateEngine], models: dict[str, Path]
) -> None:
    m2m = engine("m2m100")
    tokenizer = m2m.tokenizer
    support = m2m.languages()
    assert len(support.sources) == 100 and {"nb", "nso", "pt", "zh"} <= set(support.targets)
    with spy_generate(m2m) as calls:
        result = m2m.translate_request(
            request(models["m2m100"], source="no")
        )  # M2M100's "no" is nb
    kwargs, output = calls[0]
    assert first_input_token(calls) == tokenizer.get_lang_id("no")
    assert kwargs["forced_bos_token_id"] == tokenizer.get_lang_id("en")
    assert output[:, 1].tolist() == [tokenizer.get_lang_id("en")]  # the decoder's first token
    assert result.run["source"]["code"] == "nb" and result.run["forced_bos_token"] == "en"
    assert "__en__" not in result.text


def test_nllb_uses_flores_codes_for_source_and_forced_target(
    engine: Callable[[str], TranslateEngine], models: dict[str, Path]
) -> None:
    nllb = engine("nllb")
    tokenizer = nllb.tokenizer
    assert nllb.languages().sources == ("de", "en", "fr", "pt")  # what its vocabulary holds
    with spy_generate(nllb) as calls:
        result = nllb.translate_request(
            request(models["nllb"], source="por_Latn", target="eng_Latn")
        )
    kwargs, output = calls[0]
    assert first_input_token(calls) == tokenizer.convert_tokens_to_ids("por_Latn")
    assert kwargs["forced_bos_token_id"] == tokenizer.convert_tokens_to_ids("eng_Latn")
    assert output[:, 1].tolist() == [tokenizer.convert_tokens_to_ids("eng_Latn")]
    assert result.run["target"] == {"code": "en", "name": "English", "model_code": "eng_Latn"}
    with pytest.raises(ValidationError, match=r"does not translate into ja \(Japanese\); "
                       r"it translates into de, en, fr, pt$"):  # fmt: skip
        nllb.translate_request(request(models["nllb"], target="ja"))


def test_madlad_puts_the_2xx_target_token_before_the_text(
    engine: Callable[[str], TranslateEngine], models: dict[str, Path]
) -> None:
    madlad = engine("madlad")
    assert madlad.languages().targets == ("de", "en", "fr", "pt")
    with spy_generate(madlad) as calls:
        madlad.translate_request(request(models["madlad"], target="de"))
    assert first_input_token(calls) == madlad.tokenizer.convert_tokens_to_ids("<2de>")
    assert "forced_bos_token_id" not in calls[0][0]


def test_classic_t5_uses_its_task_prefixes_and_lists_only_those_pairs(
    engine: Callable[[str], TranslateEngine], models: dict[str, Path]
) -> None:
    t5 = engine("t5")
    assert t5.languages().pairs == {("en", "de"), ("en", "fr")}
    with spy_generate(t5) as calls:
        t5.translate_request(
            request(models["t5"], source="en", target="fr", text="The cat sleeps.")
        )
    expected = t5.tokenizer("translate English to French: The cat sleeps.")["input_ids"]
    assert calls[0][0]["input_ids"][0].tolist() == expected
    with pytest.raises(ValidationError, match=r"does not translate pt to en; it translates "
                       r"en->de, en->fr$"):  # fmt: skip
        t5.translate_request(request(models["t5"]))


def test_every_m2m100_and_nllb_code_has_a_language_in_the_table() -> None:
    from transformers.models.m2m_100.tokenization_m2m_100 import FAIRSEQ_LANGUAGE_CODES as M2M
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES as NLLB

    assert [c for c in M2M["m2m100"] if find_language(c) is None] == []
    assert [c for c in NLLB if getattr(find_language(c), "flores", None) != c] == []


def test_a_sentence_longer_than_the_model_accepts_is_translated_in_pieces(
    engine: Callable[[str], TranslateEngine], models: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    nllb = engine("nllb")  # one token per character, 64 positions
    sentence = " ".join(["palavra"] * 40) + ", fim da frase muito longa."
    with spy_generate(nllb) as calls:
        result = nllb.translate_request(request(models["nllb"], text=sentence))
    assert result.sentences > 1
    assert all(kwargs["input_ids"].shape[1] <= nllb.source_limit for kwargs, _ in calls)
    seen: list[str] = []

    def echo(pieces: list[str], *args: Any, **kwargs: Any) -> list[str]:
        seen.extend(pieces)
        return pieces

    monkeypatch.setattr(nllb, "translate", echo)
    assert (
        nllb.translate_request(request(models["nllb"], text=sentence)).text == sentence
    )  # nothing cut off
    assert " ".join(seen) == sentence and seen[-1] == "fim da frase muito longa."


def test_batching_gives_the_same_text_as_one_by_one(
    engine: Callable[[str], TranslateEngine], models: dict[str, Path]
) -> None:
    marian = engine("marian")
    text = "Bom dia.\nO gato dorme no sofá. Ontem choveu muito; hoje faz sol.\n\nQuem sabe? Sim."
    with spy_generate(marian) as one_calls:
        alone = marian.translate_request(request(models["marian"], text=text, batch_size=1))
    with spy_generate(marian) as batch_calls:
        batched = marian.translate_request(request(models["marian"], text=text, batch_size=4))
    assert (len(one_calls), len(batch_calls)) == (5, 2)
    assert batched.text == alone.text
    assert [line == "" for line in batched.text.split("\n")] == [False, False, True, False]


def test_progress_counts_sentences_and_cancel_stops_between_and_within_batches(
    engine: Callable[[str], TranslateEngine], models: dict[str, Path]
) -> None:
    marian = engine("marian")
    req = request(models["marian"], text="Um. Dois. Três.", batch_size=2)
    seen: list[tuple[int, int]] = []
    marian.translate_request(req, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 3), (2, 3), (3, 3)]
    with pytest.raises(Cancelled):
        marian.translate_request(req, cancelled=lambda: True)
    checks = iter(range(100))
    progress: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):  # the 5th check falls inside the first batch's generation
        marian.translate_request(
            req, lambda d, t: progress.append((d, t)), lambda: next(checks) >= 4
        )
    assert progress == [(0, 3)]


def test_documents_keep_their_layout(
    engine: Callable[[str], TranslateEngine], models: dict[str, Path], tmp_path: Path
) -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nOlá.\n\n2\n00:00:03,000 --> 00:00:04,000\nTchau!\n"
    (tmp_path / "film.srt").write_text(srt, encoding="utf-8")
    result = engine("nllb").translate_request(
        request(models["nllb"], text="", file=str(tmp_path / "film.srt"))
    )
    lines, original = result.text.split("\n"), srt.split("\n")
    assert len(lines) == len(original) and result.sentences == 2
    assert [lines[i] for i in (0, 1, 3, 4, 5, 7)] == [original[i] for i in (0, 1, 3, 4, 5, 7)]
    assert result.run["input_file"] == "film.srt"
    (tmp_path / "numbers.txt").write_text("123\n---\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"^numbers\.txt has no words to translate$"):
        engine("nllb").translate_request(
            request(models["nllb"], text="", file=str(tmp_path / "numbers.txt"))
        )


def test_pickle_only_weights_are_refused(models: dict[str, Path], tmp_path: Path) -> None:
    from safetensors.torch import load_file
    from torch import save

    folder = shutil.copytree(models["marian"], tmp_path / "opus-mt-pt-en")
    save(load_file(folder / "model.safetensors"), folder / "pytorch_model.bin")
    (folder / "model.safetensors").unlink()
    with pytest.raises(ModelError, match="has only pickle weights"):
        TranslateEngine.load(folder, device="cpu")


def test_memory_is_counted_and_released(models: dict[str, Path]) -> None:
    nllb = TranslateEngine.load(models["nllb"], device="cpu")
    assert nllb.memory_bytes() > 10_000
    nllb.release()
    with pytest.raises(ModelError, match="was unloaded"):
        nllb.translate_request(request(models["nllb"]))


def test_request_normalises_language_codes_and_round_trips(models: dict[str, Path]) -> None:
    from studio.core.requests.base import request_from_json

    sent = request(models["nllb"], source="POR", target="eng_Latn", beams=2)
    assert (sent.source, sent.target) == ("pt", "en")
    assert request_from_json(sent.to_json()) == sent
    assert sent.suffix == ".txt" and sent.search_text() == "O gato dorme."
    document = request(models["nllb"], text="", file="/docs/Capítulo 1.MD")
    assert document.suffix == ".md" and document.search_text() == "Capítulo 1"
    with pytest.raises(ValidationError, match="give a text or a file to translate, not both"):
        request(models["nllb"], file="/docs/a.txt")
    with pytest.raises(ValidationError, match=r"beams must be between 1 and 8 \(got 9\)"):
        request(models["nllb"], beams=9)


def test_beam_search_runs(
    engine: Callable[[str], TranslateEngine], models: dict[str, Path]
) -> None:
    with spy_generate(engine("nllb")) as calls:
        result = engine("nllb").translate_request(request(models["nllb"], beams=2, text="Bom dia."))
    assert calls[0][0]["num_beams"] == 2 and result.run["beams"] == 2 and result.text
