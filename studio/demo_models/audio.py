"""Tiny random-weight music and speech models built from config, fully offline.

Saved with save_pretrained (safetensors) so tests run the real loading code. Their
outputs are noise: they are untrained. Sizes follow FACTS.md (tiny MusicGen) with
one change: EnCodec hops 160 samples (100 frames/s), so a second is 100 tokens.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"
# MusicGen window of the tiny models: 128 decoder positions, about 1.2 s of audio.
TINY_MUSIC_POSITIONS = 128


def _t5_tokenizer(max_length: int = 512):  # type: ignore[no-untyped-def]
    """A T5 (Unigram) tokenizer over single characters, built without any download."""
    from transformers import T5Tokenizer

    vocab = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁", -2.0)]
    vocab += [(c, -3.0) for c in _LETTERS] + [("▁" + c, -2.5) for c in _LETTERS]
    return T5Tokenizer(vocab=vocab, extra_ids=0, model_max_length=max_length)


def _t5_config(vocab_size: int):  # type: ignore[no-untyped-def]
    from transformers import T5Config

    return T5Config(vocab_size=vocab_size, d_model=32, d_kv=8, d_ff=64, num_layers=2, num_heads=4)


def _music_config(config_class: Any, decoder_class: Any, seed: int, extra: dict[str, Any]) -> Any:
    """The composite config (T5 + EnCodec + decoder); seeds torch for the weights."""
    import torch
    from transformers import EncodecConfig

    torch.manual_seed(seed)
    # target_bandwidths=[1.2] at 100 frames/s and 64 codes gives exactly 2 quantizers.
    audio = EncodecConfig(
        hidden_size=32, num_filters=8, upsampling_ratios=[8, 5, 4], sampling_rate=16000,
        target_bandwidths=[1.2], codebook_size=64, codebook_dim=32, audio_channels=1,
        num_lstm_layers=1,
    )  # fmt: skip
    decoder = decoder_class(
        vocab_size=64, num_codebooks=2, pad_token_id=64, bos_token_id=64, hidden_size=32,
        ffn_dim=64, num_hidden_layers=2, num_attention_heads=4,
        max_position_embeddings=TINY_MUSIC_POSITIONS,
    )  # fmt: skip
    return config_class(
        text_encoder=_t5_config(len(_t5_tokenizer())), audio_encoder=audio, decoder=decoder,
        decoder_start_token_id=64, pad_token_id=64, **extra,
    )  # fmt: skip


def _random_codebooks(model: Any) -> None:
    """EnCodec initialises its codebooks to zeros (training fills them), which would make
    every code decode to the same sound: give the tiny ones random entries."""
    for module in model.modules():
        if type(module).__name__ == "EncodecEuclideanCodebook":
            module.embed.normal_()
            module.embed_avg.copy_(module.embed)


def _save_music(model: Any, folder: Path) -> Path:
    from transformers import GenerationConfig

    _random_codebooks(model)
    # Real checkpoints ship their window as max_length (1500 tokens = 30 s at 50 Hz).
    model.generation_config = GenerationConfig(
        max_length=TINY_MUSIC_POSITIONS, do_sample=True, guidance_scale=3.0, top_k=50,
        bos_token_id=64, pad_token_id=64, decoder_start_token_id=64,
    )  # fmt: skip
    model.eval().save_pretrained(folder)
    _t5_tokenizer().save_pretrained(folder)
    return folder


def build_tiny_musicgen(folder: Path, seed: int = 0, channels: int = 1) -> Path:
    """A MusicGen of about 1 MB: 16 kHz, 2 codebooks per channel, 100 frames per second."""
    import transformers as tf

    config = _music_config(tf.MusicgenConfig, tf.MusicgenDecoderConfig, seed, {})
    config.decoder.audio_channels, config.decoder.num_codebooks = channels, 2 * channels
    tf.EncodecFeatureExtractor(feature_size=1, sampling_rate=16000).save_pretrained(folder)
    return _save_music(tf.MusicgenForConditionalGeneration(config), folder)


def build_tiny_musicgen_melody(folder: Path, seed: int = 0) -> Path:
    """A MusicGen-Melody of the same size; its chroma settings suit 16 kHz audio."""
    import transformers as tf

    extra = {"num_chroma": 12, "chroma_length": 40}
    config = _music_config(tf.MusicgenMelodyConfig, tf.MusicgenMelodyDecoderConfig, seed, extra)
    _save_music(tf.MusicgenMelodyForConditionalGeneration(config), folder)
    # Written by hand: the feature extractor class itself needs torchaudio to construct.
    features = {
        "feature_extractor_type": "MusicgenMelodyFeatureExtractor", "sampling_rate": 16000,
        "n_fft": 512, "hop_length": 128, "chunk_length": 30, "num_chroma": 12,
        "feature_size": 12, "padding_value": 0.0,
    }  # fmt: skip
    (folder / "preprocessor_config.json").write_text(json.dumps(features, indent=2))
    return folder


def build_tiny_vits(folder: Path, seed: int = 0, sampling_rate: int = 16000) -> Path:
    """An MMS-TTS-style VITS voice (characters, no phonemizer) of a few hundred KB."""
    import torch
    from transformers import VitsConfig, VitsModel, VitsTokenizer

    torch.manual_seed(seed)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = {token: i for i, token in enumerate(["<pad>", " ", *_LETTERS[:26], "'", "<unk>"])}
    (folder / "vocab.json").write_text(json.dumps(vocab))
    tokenizer = VitsTokenizer(folder / "vocab.json", phonemize=False, normalize=True)
    config = VitsConfig(
        vocab_size=len(vocab), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
        ffn_dim=32, flow_size=16, spectrogram_bins=33, upsample_initial_channel=16,
        upsample_rates=[4, 4], upsample_kernel_sizes=[8, 8], resblock_kernel_sizes=[3],
        resblock_dilation_sizes=[[1, 3]], duration_predictor_filter_channels=16,
        prior_encoder_num_flows=2, prior_encoder_num_wavenet_layers=2,
        posterior_encoder_num_wavenet_layers=2, duration_predictor_num_flows=2,
        depth_separable_num_layers=2, sampling_rate=sampling_rate,
    )  # fmt: skip
    VitsModel(config).eval().save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def _spm_char_model(folder: Path) -> Path:
    """A character-level SentencePiece model like SpeechT5's spm_char.model, trained here."""
    import sentencepiece as spm

    corpus = folder / "corpus.txt"
    text = [_LETTERS, _LETTERS[:26].upper(), ".,!?'", "The quick brown fox jumps over the dog."]
    corpus.write_text("\n".join(text * 4))
    prefix = folder / "spm_char"
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(prefix), model_type="char", vocab_size=75,
        character_coverage=1.0, bos_id=0, pad_id=1, eos_id=2, unk_id=3, minloglevel=2,
    )  # fmt: skip
    corpus.unlink()
    (folder / "spm_char.vocab").unlink()
    return prefix.with_suffix(".model")


def build_tiny_speecht5(folder: Path, seed: int = 0) -> Path:
    """SpeechT5 text-to-speech with a tiny HiFi-GAN vocoder saved in `<folder>/vocoder`."""
    import tempfile

    import torch
    from transformers import SpeechT5Config, SpeechT5ForTextToSpeech, SpeechT5Tokenizer

    torch.manual_seed(seed)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        tokenizer = SpeechT5Tokenizer(str(_spm_char_model(Path(scratch))))
        tokenizer.save_pretrained(folder)
    config = SpeechT5Config(
        vocab_size=len(tokenizer), hidden_size=24, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32,
        decoder_ffn_dim=32, speech_decoder_prenet_units=32, speech_decoder_postnet_units=32,
        speech_decoder_postnet_layers=2, num_mel_bins=20, speaker_embedding_dim=512,
        max_text_positions=600, max_speech_positions=1000, reduction_factor=2,
    )  # fmt: skip
    SpeechT5ForTextToSpeech(config).eval().save_pretrained(folder)
    _hifigan(20, [4, 4]).save_pretrained(folder / "vocoder")
    return folder


def build_tiny_bark(folder: Path, seed: int = 0) -> Path:
    """Bark (semantic, coarse, fine GPTs + 24 kHz EnCodec) of a few MB. Its text-token
    constants are moved down so the input table stays small."""
    import torch
    import transformers as tf
    from transformers.models.bark import generation_configuration_bark as gen

    torch.manual_seed(seed)
    small = {"block_size": 1024, "num_layers": 1, "num_heads": 2, "hidden_size": 16}
    codec = tf.EncodecConfig(
        hidden_size=32, num_filters=4, upsampling_ratios=[8, 5, 4, 2], sampling_rate=24000,
        target_bandwidths=[1.5, 3.0, 6.0], codebook_size=1024, codebook_dim=32, num_lstm_layers=1,
    )  # fmt: skip
    config = tf.BarkConfig(
        semantic_config=tf.BarkSemanticConfig(input_vocab_size=10102, output_vocab_size=10048, **small),
        coarse_acoustics_config=tf.BarkCoarseConfig(input_vocab_size=12096, output_vocab_size=12096, **small),
        fine_acoustics_config=tf.BarkFineConfig(input_vocab_size=1056, output_vocab_size=1056, **small),
        codec_config=codec,
    )  # fmt: skip
    model = tf.BarkModel(config).eval()
    _random_codebooks(model)
    model.save_pretrained(folder)
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *_LETTERS, ".", ",", "!", "?"]
    tokenizer = tf.BertTokenizer(vocab={w: i for i, w in enumerate(words)})
    tf.BarkProcessor(tokenizer).save_pretrained(folder)
    # BarkGenerationConfig cannot save itself in transformers 5.24: write its dict.
    semantic = gen.BarkSemanticGenerationConfig(
        max_new_tokens=40, text_pad_token=10100, semantic_infer_token=10101
    )
    generation = gen.BarkGenerationConfig(
        semantic_config=semantic.to_dict(), fine_acoustics_config=gen.BarkFineGenerationConfig().to_dict(),
        coarse_acoustics_config=gen.BarkCoarseGenerationConfig().to_dict(),
    )  # fmt: skip
    (folder / "generation_config.json").write_text(json.dumps(generation.to_dict(), indent=2))
    return folder


def build_tiny_audioldm2(folder: Path, seed: int = 0) -> Path:
    """AudioLDM 2 at diffusers' test sizes (CLAP + T5 + GPT-2 + UNet + HiFi-GAN), 16 kHz."""
    import diffusers as df
    import torch
    import transformers as tf
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    from studio.demo_models.image import _scheduler

    torch.manual_seed(seed)
    unet = df.AudioLDM2UNet2DConditionModel(
        block_out_channels=(8, 16), layers_per_block=1, sample_size=32, in_channels=4,
        out_channels=4, down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), norm_num_groups=4,
        cross_attention_dim=([None, 16, 32], [None, 16, 32]), attention_head_dim=4,
    )  # fmt: skip
    vae = df.AutoencoderKL(
        block_out_channels=[8, 16], in_channels=1, out_channels=1, latent_channels=4,
        down_block_types=["DownEncoderBlock2D"] * 2, up_block_types=["UpDecoderBlock2D"] * 2,
        norm_num_groups=4,
    )  # fmt: skip
    tokens = ["<s>", "<pad>", "</s>", "<unk>", *bytes_to_unicode().values(), "<mask>"]
    vocab = {t: i for i, t in enumerate(tokens)}  # byte-level RoBERTa, no merges
    branch = {"intermediate_size": 37, "layer_norm_eps": 1e-5, "projection_dim": 16}
    text = tf.ClapTextConfig(
        bos_token_id=0, eos_token_id=2, pad_token_id=1, vocab_size=len(vocab), hidden_size=16,
        num_attention_heads=2, num_hidden_layers=2, **branch,
    )  # fmt: skip
    audio = tf.ClapAudioConfig(
        spec_size=64, window_size=4, num_mel_bins=64, depths=[2, 2], num_attention_heads=[2, 2],
        num_hidden_layers=2, hidden_size=192, patch_size=2, patch_stride=2,
        patch_embed_input_channels=4, **branch,
    )  # fmt: skip
    clap = tf.ClapConfig(
        text_config=text.to_dict(), audio_config=audio.to_dict(), projection_dim=16
    )
    t5_tokenizer = _t5_tokenizer(77)
    gpt2 = tf.GPT2Config(n_embd=16, n_head=2, n_layer=2, vocab_size=1000, n_positions=99)
    language_model = tf.GPT2Model(gpt2)
    language_model.config.max_new_tokens = 8
    pipe = df.AudioLDM2Pipeline(
        vae=vae, unet=unet, scheduler=_scheduler(), text_encoder=tf.ClapModel(clap),
        text_encoder_2=tf.T5EncoderModel(_t5_config(len(t5_tokenizer))),
        projection_model=df.AudioLDM2ProjectionModel(
            text_encoder_dim=16, text_encoder_1_dim=32, langauge_model_dim=16
        ),
        language_model=language_model, feature_extractor=tf.ClapFeatureExtractor(),
        tokenizer=tf.RobertaTokenizer(vocab=vocab, merges=[], model_max_length=77),
        tokenizer_2=t5_tokenizer, vocoder=_hifigan(8, [2, 2]),
    )  # fmt: skip
    pipe.save_pretrained(folder)
    return folder


def build_tiny_stable_audio(folder: Path, seed: int = 0) -> Path:
    """Stable Audio (Oobleck VAE + DiT), 8 kHz stereo, at most 0.256 s. The released model's
    CosineDPMSolver scheduler needs torchsde; this one uses EDM DPM-Solver, which does not."""
    import diffusers as df
    import torch
    import transformers as tf

    torch.manual_seed(seed)
    transformer = df.StableAudioDiTModel(
        sample_size=256, in_channels=3, num_layers=2, attention_head_dim=4,
        num_key_value_attention_heads=2, out_channels=3, cross_attention_dim=4, time_proj_dim=8,
        global_states_input_dim=8, cross_attention_input_dim=4,
    )  # fmt: skip
    vae = df.AutoencoderOobleck(
        encoder_hidden_size=6, downsampling_ratios=[2, 4], decoder_channels=3,
        decoder_input_channels=3, audio_channels=2, channel_multiples=[2, 4], sampling_rate=8000,
    )  # fmt: skip
    tokenizer = _t5_tokenizer(25)
    pipe = df.StableAudioPipeline(
        vae=vae, transformer=transformer, tokenizer=tokenizer,
        text_encoder=tf.T5EncoderModel(_t5_config(len(tokenizer))),
        projection_model=df.StableAudioProjectionModel(
            text_encoder_dim=32, conditioning_dim=4, min_value=0, max_value=32
        ),
        scheduler=df.EDMDPMSolverMultistepScheduler(
            solver_order=2, prediction_type="v_prediction", sigma_data=1.0,
            sigma_schedule="exponential",
        ),
    )  # fmt: skip
    pipe.save_pretrained(folder)
    return folder


def _hifigan(mel_bins: int, rates: list[int]):  # type: ignore[no-untyped-def]
    from transformers import SpeechT5HifiGan, SpeechT5HifiGanConfig

    config = SpeechT5HifiGanConfig(
        model_in_dim=mel_bins, sampling_rate=16000, upsample_initial_channel=16,
        upsample_rates=rates, upsample_kernel_sizes=[2 * r for r in rates],
        resblock_kernel_sizes=[3], resblock_dilation_sizes=[[1, 3]], normalize_before=False,
    )  # fmt: skip
    return SpeechT5HifiGan(config).eval()
