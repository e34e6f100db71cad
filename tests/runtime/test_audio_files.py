"""Audio files: every format round-trips with its tags, or is refused in one line."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
import soundfile as sf

from studio.core.errors import OutputError
from studio.core.outputs.record import GENERATOR, OutputRecord
from studio.core.requests.audio import AUDIO_FORMATS, MusicRequest, SpeechRequest
from studio.runtime import audio_files
from studio.runtime.audio_files import (
    AI_LABEL,
    FORMATS,
    SIDECAR_NOTE,
    audio_tags,
    check_writable,
    encode_audio,
    read_audio_record,
)

RATE = 16000


def tone(seconds: float = 0.5, channels: int = 1, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    wave = 0.3 * np.sin(2 * np.pi * 440 * t).astype(np.float32)
    return np.stack([wave] * channels, axis=1)


def record(prompt: str = "a calm piano ♪", **changes: object) -> OutputRecord:
    request = MusicRequest(model="tiny", prompt=prompt, seconds=0.5, seed=5, **changes)  # type: ignore[arg-type]
    return OutputRecord(request=request, seed=5, model_name="tiny-musicgen", run={"x": 1})


def encode(fmt_name: str, audio: np.ndarray, rec: OutputRecord, rate: int = RATE) -> bytes:
    fmt = check_writable(fmt_name, rate, audio.shape[1])
    return encode_audio(audio, rate, fmt, audio_tags(rec, fmt))


@pytest.mark.parametrize("name", AUDIO_FORMATS)
@pytest.mark.parametrize("channels", [1, 2])
def test_every_format_round_trips_with_length_rate_channels_and_tags(
    name: str, channels: int
) -> None:
    audio, rec = tone(0.5, channels), record()
    data = encode(name, audio, rec)
    with sf.SoundFile(io.BytesIO(data)) as back:
        assert back.samplerate == RATE and back.channels == channels
        # Lossy codecs may pad or trim by up to one codec frame.
        assert abs(back.frames - audio.shape[0]) <= (0 if name in ("wav", "flac") else 1152)
        assert back.date == rec.created[:10]
        if name == "mp3":  # ID3 via LAME: ASCII title, LAME names itself as the software
            assert back.title == "a calm piano"
        else:
            assert back.title == "a calm piano ♪"
            assert back.software.startswith(GENERATOR)
        assert back.comment.startswith(AI_LABEL)
    data_back = read_audio_record(data)
    assert data_back is not None and data_back["ai_generated"] is True
    assert data_back["digital_source_type"].endswith("trainedAlgorithmicMedia")
    assert data_back["request"]["prompt"] == "a calm piano ♪" and data_back["seed"] == 5
    assert OutputRecord.from_dict(data_back).request == rec.request


def test_lossless_formats_keep_the_samples() -> None:
    audio = tone(0.2, 2)
    for name in ("wav", "flac"):
        back, rate = sf.read(io.BytesIO(encode(name, audio, record())), dtype="float32")
        assert rate == RATE and np.abs(back - audio).max() < 1e-4  # 16-bit PCM


def test_loud_samples_are_clipped_not_wrapped() -> None:
    audio = np.full((100, 1), 3.0, dtype=np.float32)
    back, _ = sf.read(io.BytesIO(encode("wav", audio, record())), dtype="float32")
    assert back.max() == pytest.approx(1.0, abs=1e-4)


@pytest.mark.parametrize("rate", [22050, 44100, 32000])
def test_opus_refuses_rates_it_cannot_take_in_one_line(rate: int) -> None:
    with pytest.raises(OutputError) as caught:
        check_writable("opus", rate)
    message = str(caught.value)
    assert "\n" not in message and "opus files take 8, 12, 16, 24, 48 kHz" in message
    assert f"{rate / 1000:g} kHz" in message and "wav" in message


def test_mp3_refuses_non_mpeg_rates_and_accepts_mpeg_ones() -> None:
    with pytest.raises(OutputError, match=r"mp3 files take .* this model makes 12\.345 kHz"):
        check_writable("mp3", 12345)
    for rate in (8000, 22050, 32000, 44100, 48000):
        assert check_writable("mp3", rate).suffix == ".mp3"


def test_a_format_this_libsndfile_cannot_write_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    formats = {k: v for k, v in sf.available_formats().items() if k != "MP3"}
    monkeypatch.setattr(audio_files.sf, "available_formats", lambda: formats)
    with pytest.raises(OutputError) as caught:
        check_writable("mp3", RATE)
    assert "cannot write mp3 files" in str(caught.value) and "\n" not in str(caught.value)
    assert "libsndfile 1.1" in str(caught.value)


def test_mp3_needs_libsndfile_1_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audio_files.sf, "__libsndfile_version__", "1.0.31")
    with pytest.raises(OutputError, match=r"libsndfile 1\.0\.31 cannot write mp3"):
        check_writable("mp3", RATE)
    assert check_writable("flac", RATE).name == "flac"  # the others are unaffected


def test_unknown_format_is_one_line() -> None:
    with pytest.raises(OutputError, match="unknown audio format 'aac'"):
        check_writable("aac", RATE)


def test_a_record_too_long_for_wav_tags_points_to_the_sidecar() -> None:
    rec = record(prompt="long " * 350)  # WAV INFO strings stop near 2 KB
    tags = audio_tags(rec, FORMATS["wav"])
    assert not tags.complete and tags.comment == SIDECAR_NOTE
    assert len(tags.title) == 200 and tags.title.endswith("…")
    data = encode_audio(tone(), RATE, FORMATS["wav"], tags)
    with sf.SoundFile(io.BytesIO(data)) as back:
        assert back.comment == SIDECAR_NOTE
    assert read_audio_record(data) is None
    flac_tags = audio_tags(rec, FORMATS["flac"])  # FLAC holds it
    assert flac_tags.complete and json.loads(flac_tags.comment[len(AI_LABEL) :])["request"]


def test_speech_titles_are_the_text_and_unicode_survives_in_mp3_json() -> None:
    request = SpeechRequest(model="tiny", text="Grüße aus Köln. 你好", format="mp3")
    rec = OutputRecord(request=request, seed=1)
    tags = audio_tags(rec, FORMATS["mp3"])
    assert tags.title == "Grue aus Koln."  # ASCII: LAME would write UTF-8 bytes as Latin-1
    assert tags.comment.isascii()  # escaped, so LAME's Latin-1 cannot mangle it
    data_back = read_audio_record(encode("mp3", tone(), rec))
    assert data_back is not None and data_back["request"]["text"] == "Grüße aus Köln. 你好"


def test_empty_audio_is_refused() -> None:
    with pytest.raises(OutputError, match="no audio to write"):
        encode_audio(
            np.zeros((0, 1), np.float32), RATE, FORMATS["wav"], audio_tags(record(), FORMATS["wav"])
        )


def test_a_plain_file_has_no_record(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "plain.wav"
    sf.write(path, tone(), RATE)
    assert read_audio_record(path) is None
