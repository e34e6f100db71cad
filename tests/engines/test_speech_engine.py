"""Speech engine on tiny real models: sentences, pauses, speakers, cancel, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studio.core.errors import Cancelled, ModelError, ValidationError
from studio.core.requests.audio import SpeechRequest
from studio.demo_models import audio as demo_audio
from studio.engines.speech.engine import SpeechEngine
from studio.engines.speech.sentences import split_sentences
from studio.engines.speech.speakers import default_speaker, load_speaker_embedding
from studio.models.spec import resolve

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("speech-models")


def _engine(models: Path, name: str, **kwargs: object) -> SpeechEngine:
    folder = getattr(demo_audio, f"build_tiny_{name}")(models / name)
    return SpeechEngine.load(resolve(str(folder)), "cpu", "fp32", **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def vits(models: Path) -> SpeechEngine:
    return _engine(models, "vits")


@pytest.fixture(scope="module")
def speecht5(models: Path) -> SpeechEngine:
    return _engine(models, "speecht5")


def request(engine: SpeechEngine, text: str, **changes: object) -> SpeechRequest:
    return SpeechRequest(model=str(engine.path), text=text, seed=3, **changes)  # type: ignore[arg-type]


def test_long_text_is_split_by_sentence() -> None:
    text = 'First one. Second one!  Third?\n\nA new paragraph… "Quoted." Last'
    assert split_sentences(text, 100) == [
        "First one.", "Second one!", "Third?", "A new paragraph…", '"Quoted."', "Last",
    ]  # fmt: skip
    assert split_sentences("你好。世界！再见", 100) == ["你好。", "世界！", "再见"]
    long = "word " * 60 + "end, and a clause; another clause here."
    pieces = split_sentences(long, 40)
    assert all(len(p) <= 40 for p in pieces) and " ".join(pieces).split() == long.split()
    assert split_sentences("x" * 95, 40) == ["x" * 40, "x" * 40, "x" * 15]
    assert split_sentences(" \n \n ", 40) == []


def test_vits_reads_sentence_by_sentence_with_pauses(vits: SpeechEngine) -> None:
    steps: list[tuple[int, int]] = []
    clip = vits.generate(
        request(vits, "Hello there. How are you? Fine, thanks.", pause=0.5),
        lambda d, t: steps.append((d, t)),
    )
    assert clip.sample_rate == 16000 and clip.channels == 1 and steps == [(1, 3), (2, 3), (3, 3)]
    assert clip.run["sentences"] == 3
    silent = np.flatnonzero(np.abs(clip.audio[:, 0]) == 0)
    assert silent.size >= 2 * 8000  # two pauses of 0.5 s of digital silence
    one = vits.generate(request(vits, "Hello there."))
    assert clip.seconds > 2 * 0.5 + one.seconds * 0.5
    again = vits.generate(request(vits, "Hello there."))
    assert np.array_equal(one.audio, again.audio)  # same seed, same voice


def test_text_a_voice_cannot_spell_is_one_line(vits: SpeechEngine) -> None:
    with pytest.raises(ValidationError, match="nothing in the text can be spoken by vits"):
        vits.generate(request(vits, "!!! ??? ..."))
    with pytest.raises(ValidationError, match="take no speaker file"):
        vits.generate(request(vits, "hello", speaker="voice.npy"))


def test_speecht5_uses_the_shipped_neutral_speaker_or_a_given_one(
    speecht5: SpeechEngine, tmp_path: Path
) -> None:
    assert default_speaker().name == "neutral-synthetic-xvector.npy"
    clip = speecht5.generate(request(speecht5, "Hello there. How are you?"))
    assert clip.sample_rate == 16000 and clip.audio.shape[0] > 0 and clip.run["sentences"] == 2
    from safetensors.numpy import save_file

    voice = tmp_path / "voice.safetensors"
    save_file({"xvector": np.full(512, 0.04, np.float32)}, str(voice))
    other = speecht5.generate(request(speecht5, "Hello there. How are you?", speaker=str(voice)))
    assert other.audio.shape[0] > 0
    row = tmp_path / "row.npy"
    np.save(row, np.full((1, 512), 0.04, np.float32))  # (1, 512) is fine too
    assert load_speaker_embedding(row, 512).shape == (1, 512)


def speaker_files(tmp: Path) -> list[tuple[Path, str]]:
    from safetensors.numpy import save_file

    np.save(tmp / "short.npy", np.zeros(100, np.float32))
    np.save(tmp / "matrix.npy", np.zeros((2, 512), np.float32))
    np.save(tmp / "pickled.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    np.save(tmp / "nan.npy", np.full(512, np.nan, np.float32))
    np.save(tmp / "text.npy", np.array(["x"] * 512))
    zeros = np.zeros(512, np.float32)
    save_file({"a": zeros, "b": zeros}, str(tmp / "two.safetensors"))
    (tmp / "broken.safetensors").write_bytes(b"nonsense")
    (tmp / "voice.wav").write_bytes(b"RIFF")
    return [
        (tmp / "missing.npy", "speaker embedding file not found"),
        (tmp / "short.npy", "holds shape (100,) (float32); this model wants 512 numbers"),
        (tmp / "matrix.npy", "holds shape (2, 512)"),
        (tmp / "pickled.npy", "holds pickled objects (refused)"),
        (tmp / "nan.npy", "NaN or infinite"),
        (tmp / "text.npy", "this model wants 512 numbers"),
        (tmp / "two.safetensors", "must hold one tensor (it holds: a, b)"),
        (tmp / "broken.safetensors", "cannot read speaker embedding broken.safetensors"),
        (tmp / "voice.wav", "is not a speaker embedding file (use .npy or .safetensors)"),
    ]


def test_bad_speaker_files_are_one_line_each(speecht5: SpeechEngine, tmp_path: Path) -> None:
    for path, expected in speaker_files(tmp_path):
        with pytest.raises(ValidationError) as caught:
            speecht5.generate(request(speecht5, "Hello.", speaker=str(path)))
        message = str(caught.value)
        assert expected in message and "\n" not in message, (path.name, message)


def test_cancel_stops_within_a_sentence(speecht5: SpeechEngine) -> None:
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 2  # after the engine's own two checks: in the decoder-step hook

    with pytest.raises(Cancelled):
        speecht5.generate(request(speecht5, "One long sentence to say."), cancelled=cancelled)
    assert calls["n"] == 3
    assert not speecht5.voice.step_modules()[0]._forward_pre_hooks  # hooks removed
    with pytest.raises(Cancelled):
        speecht5.generate(request(speecht5, "Hello."), cancelled=lambda: True)


def test_speecht5_without_a_vocoder_is_one_line(models: Path, tmp_path: Path) -> None:
    folder = demo_audio.build_tiny_speecht5(tmp_path / "no-vocoder")
    import shutil

    shutil.rmtree(folder / "vocoder")
    with pytest.raises(ModelError, match="SpeechT5 needs a HiFi-GAN vocoder: pass --vocoder DIR"):
        SpeechEngine.load(resolve(str(folder)), "cpu", "fp32")
    engine = SpeechEngine.load(
        resolve(str(folder)), "cpu", "fp32", vocoder=str(models / "speecht5" / "vocoder")
    )
    assert engine.sample_rate == 16000


def test_bark_speaks_with_and_without_a_voice_preset(models: Path, tmp_path: Path) -> None:
    bark = _engine(models, "bark")
    clip = bark.generate(request(bark, "hello world. this is a test."))
    assert clip.sample_rate == 24000 and clip.audio.shape[0] > 0 and clip.run["sentences"] == 2
    preset = tmp_path / "voice.npz"
    rng = np.random.default_rng(0)
    np.savez(preset, semantic_prompt=rng.integers(0, 10000, 20),
             coarse_prompt=rng.integers(0, 1024, (2, 30)), fine_prompt=rng.integers(0, 1024, (8, 30)))  # fmt: skip
    assert bark.generate(request(bark, "hello.", speaker=str(preset))).audio.shape[0] > 0
    np.savez(tmp_path / "partial.npz", semantic_prompt=np.zeros(3))
    with pytest.raises(ValidationError, match="lacks coarse_prompt, fine_prompt"):
        bark.generate(request(bark, "hello.", speaker=str(tmp_path / "partial.npz")))
    np.save(tmp_path / "voice.npy", np.zeros(3))
    with pytest.raises(ValidationError, match="is not a Bark voice preset"):
        bark.generate(request(bark, "hello.", speaker=str(tmp_path / "voice.npy")))


def test_a_non_speech_model_is_refused(tiny_sd: Path) -> None:
    with pytest.raises(ModelError, match="is not a speech model the studio runs"):
        SpeechEngine.load(resolve(str(tiny_sd)), "cpu", "fp32")
