"""Tiny random-weight translation models built from config, with tokenizers made in-process.

One per family the translate engine handles: Marian (a pair model and a multi-target
one with `>>xx<<` tokens), M2M100 (`__pt__` language tokens), NLLB (M2M100 weights with
an NllbTokenizer and FLORES-200 codes) and T5 (MADLAD-style `<2xx>` tokens, or classic
T5's "translate English to German: " prefixes). No download: the Marian and M2M100
tokenizers get a SentencePiece model trained here on a few sentences (the `sentencepiece`
package, which the real tokenizers need anyway). Untrained: their translations are noise.
"""

from __future__ import annotations

import io
import json
import warnings
from collections.abc import Sequence
from pathlib import Path

DEMO_NOTE = "Untrained demo translation model built from config: its outputs are noise."

# Enough text for SentencePiece to learn a small vocabulary covering the test languages.
_CORPUS = (
    "O gato dorme no sofá. A casa é grande e bonita. Bom dia, como está você?",
    "The cat sleeps on the sofa. The house is big and beautiful. Good morning, how are you?",
    "Le chat dort sur le canapé. La maison est grande et belle. Bonjour, comment allez-vous ?",
    "Die Katze schläft auf dem Sofa. Das Haus ist groß und schön. Guten Morgen, wie geht es?",
    "Ontem choveu muito; hoje faz sol, e amanhã talvez neve. Quem sabe?",
    "Yesterday it rained a lot; today it is sunny, and tomorrow it may snow. Who knows?",
    "0123456789 ()[]{}<>:;,.!?'\"-_/\\|@#$%&*+= áàâãçéêíóôõúüßäöèëïîùûœ",
)
_SIZES = {"d_model": 16, "encoder_layers": 1, "decoder_layers": 1, "encoder_attention_heads": 2,
          "decoder_attention_heads": 2, "encoder_ffn_dim": 32, "decoder_ffn_dim": 32}  # fmt: skip


def _sentencepiece(vocab_size: int = 160) -> bytes:
    """A unigram SentencePiece model trained on _CORPUS, as the bytes of a .model file."""
    import sentencepiece

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(_CORPUS * 4), model_writer=model, vocab_size=vocab_size,
        model_type="unigram", character_coverage=1.0, hard_vocab_limit=False,
        minloglevel=2,
    )  # fmt: skip
    return model.getvalue()


def _pieces(spm: bytes) -> list[str]:
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_proto=spm)
    return [
        processor.id_to_piece(i)
        for i in range(processor.get_piece_size())
        if not (processor.is_control(i) or processor.is_unknown(i))
    ]


def _seed(seed: int) -> None:
    import torch

    torch.manual_seed(seed)


def build_tiny_marian(
    folder: Path, source: str = "pt", target: str = "en", targets: Sequence[str] = (),
    seed: int = 0, width: int = 16, layers: int = 1,
) -> Path:  # fmt: skip
    """An opus-mt-style Marian model. With `targets`, a multi-target one: `>>xx<<` tokens.

    The tokenizer records source_lang/target_lang in tokenizer_config.json as the
    Helsinki-NLP models do (a multi-target model names its group, e.g. "mul").
    `width` and `layers` make a larger one (benchmarks); opus-mt has 512 and 6.
    """
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    spm = _sentencepiece()
    (folder / "source.spm").write_bytes(spm)
    (folder / "target.spm").write_bytes(spm)
    tokens = ["</s>", "<unk>", *_pieces(spm), *(f">>{code}<<" for code in targets), "<pad>"]
    vocab = {token: i for i, token in enumerate(dict.fromkeys(tokens))}
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    with warnings.catch_warnings():  # "Recommended: pip install sacremoses" (quote normaliser)
        warnings.filterwarnings("ignore", message=".*sacremoses")
        tokenizer = MarianTokenizer(
            str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json"),
            source_lang=source, target_lang=target if not targets else "mul",
            model_max_length=64,
        )  # fmt: skip
    tokenizer.save_pretrained(folder)
    _seed(seed)
    pad = vocab["<pad>"]
    sizes = {
        **_SIZES,
        "d_model": width,
        "encoder_ffn_dim": 2 * width,
        "decoder_ffn_dim": 2 * width,
        "encoder_layers": layers,
        "decoder_layers": layers,
    }
    config = MarianConfig(
        vocab_size=len(vocab), decoder_vocab_size=len(vocab), max_position_embeddings=64,
        pad_token_id=pad, decoder_start_token_id=pad, eos_token_id=0, forced_eos_token_id=0,
        **sizes,
    )  # fmt: skip
    MarianMTModel(config).save_pretrained(folder)
    return folder


def build_tiny_m2m100(folder: Path, seed: int = 0) -> Path:
    """An M2M100 model: SentencePiece vocabulary plus the 100 `__xx__` language tokens."""
    from transformers import M2M100Tokenizer

    folder.mkdir(parents=True, exist_ok=True)
    spm = _sentencepiece()
    (folder / "sentencepiece.bpe.model").write_bytes(spm)
    tokens = ["<s>", "<pad>", "</s>", "<unk>", *_pieces(spm)]
    vocab = {token: i for i, token in enumerate(dict.fromkeys(tokens))}
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    from transformers.models.m2m_100.tokenization_m2m_100 import FAIRSEQ_LANGUAGE_CODES

    # Named as special tokens the way the published tokenizer_config.json files do, so that
    # decoding skips them (transformers 5 does not do it by itself for a new tokenizer).
    languages = [f"__{code}__" for code in FAIRSEQ_LANGUAGE_CODES["m2m100"]]
    tokenizer = M2M100Tokenizer(
        str(folder / "vocab.json"), str(folder / "sentencepiece.bpe.model"), model_max_length=64,
        extra_special_tokens=languages,
    )  # fmt: skip
    tokenizer.save_pretrained(folder)
    # Language tokens (and fairseq's "made-up words") sit after the SentencePiece vocabulary.
    size = tokenizer.encoder_size + len(tokenizer.lang_code_to_id) + tokenizer.num_madeup_words
    _save_m2m100(folder, size, seed)
    return folder


def build_tiny_nllb(
    folder: Path, languages: Sequence[str] = ("por_Latn", "eng_Latn", "fra_Latn", "deu_Latn"),
    seed: int = 0,
) -> Path:  # fmt: skip
    """An NLLB-200-style model: M2M100 weights, NllbTokenizer with FLORES-200 codes.

    The real tokenizer holds all 202 codes; this one only `languages`, so tests can
    see exactly which languages the studio reads back from the vocabulary.
    """
    from transformers import NllbTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    characters = sorted({ch for line in _CORPUS for ch in line if not ch.isspace()})
    tokens = ["<s>", "<pad>", "</s>", "<unk>", "▁", *characters, *(f"▁{c}" for c in characters)]
    vocab = {token: i for i, token in enumerate(dict.fromkeys(tokens))}
    tokenizer = NllbTokenizer(
        vocab=vocab, merges=[], additional_special_tokens=list(languages),
        src_lang=languages[0], model_max_length=64,
    )  # fmt: skip
    tokenizer.save_pretrained(folder)
    _save_m2m100(folder, len(tokenizer), seed)
    return folder


def _save_m2m100(folder: Path, vocab_size: int, seed: int) -> None:
    from transformers import M2M100Config, M2M100ForConditionalGeneration

    _seed(seed)
    config = M2M100Config(
        vocab_size=vocab_size, max_position_embeddings=64, pad_token_id=1, bos_token_id=0,
        eos_token_id=2, decoder_start_token_id=2, **_SIZES,
    )  # fmt: skip
    M2M100ForConditionalGeneration(config).save_pretrained(folder)


_T5_PREFIXES = {"translation_en_to_de": "translate English to German: ",
                "translation_en_to_fr": "translate English to French: "}  # fmt: skip


def build_tiny_t5(
    folder: Path, languages: Sequence[str] = ("pt", "en", "fr", "de"), seed: int = 0
) -> Path:
    """A T5 model. With `languages`, MADLAD-style `<2xx>` target tokens; without, classic
    T5's task prefixes in config.json's task_specific_params (English to German/French).
    """
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer
    from transformers.tokenization_python import AddedToken

    folder.mkdir(parents=True, exist_ok=True)
    characters = sorted({ch for line in _CORPUS for ch in line if not ch.isspace()})
    scores = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁", -2.0)]
    scores += [(c, -3.0) for c in characters] + [(f"▁{c}", -3.5) for c in characters]
    tokenizer = T5Tokenizer(vocab=scores, extra_ids=0, model_max_length=64)
    # MADLAD's <2xx> are SentencePiece user-defined symbols: plain added tokens here.
    tokenizer.add_tokens([AddedToken(f"<2{code}>", normalized=False) for code in languages])
    tokenizer.save_pretrained(folder)
    _seed(seed)
    config = T5Config(
        vocab_size=len(tokenizer), d_model=16, d_kv=8, d_ff=32, num_layers=1,
        num_decoder_layers=1, num_heads=2, relative_attention_num_buckets=8,
        pad_token_id=0, eos_token_id=1, decoder_start_token_id=0,
        task_specific_params=None if languages else {
            key: {"prefix": prefix} for key, prefix in _T5_PREFIXES.items()
        },
    )  # fmt: skip
    T5ForConditionalGeneration(config).save_pretrained(folder)
    return folder
