"""Music engines on tiny real models: lengths, windows, continuation, melody, cancel, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch

from studio.core.errors import Cancelled, ModelError, OutputError, ValidationError
from studio.core.gallery import GalleryStore
from studio.core.outputs.writer import OutputWriter
from studio.core.paths import data_paths
from studio.core.requests.audio import MusicRequest
from studio.demo_models import audio as demo_audio
from studio.engines.music import load_music_engine
from studio.engines.music.melody import ChromaSettings, chromagram
from studio.engines.music.windows import (
    Window,
    frames_for,
    join_continuation,
    plan_windows,
    tokens_for,
)
from studio.models.hashing import HashCache
from studio.models.spec import resolve
from tests.helpers import record_run

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("music-models")


def _engine(models: Path, name: str):  # type: ignore[no-untyped-def]
    folder = getattr(demo_audio, f"build_tiny_{name}")(models / name)
    return load_music_engine(resolve(str(folder)), "cpu", "fp32")


@pytest.fixture(scope="module")
def musicgen(models: Path):  # type: ignore[no-untyped-def]
    return _engine(models, "musicgen")


@pytest.fixture(scope="module")
def melody_engine(models: Path):  # type: ignore[no-untyped-def]
    return _engine(models, "musicgen_melody")


@pytest.fixture(scope="module")
def stable_audio(models: Path):  # type: ignore[no-untyped-def]
    return _engine(models, "stable_audio")


def request(engine, **changes: object) -> MusicRequest:  # type: ignore[no-untyped-def]
    base: dict[str, object] = {"model": str(engine.path), "prompt": "a calm piano", "seed": 4}
    return MusicRequest(**{**base, "seconds": 0.5, **changes})  # type: ignore[arg-type]


def write_tone(path: Path, seconds: float, rate: int, channels: int = 1, hz: float = 440) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    wave = (0.4 * np.sin(2 * np.pi * hz * t)).astype(np.float32)
    sf.write(path, np.stack([wave] * channels, axis=1), rate)
    return path


def test_seconds_map_to_tokens_by_the_frame_rate(musicgen) -> None:  # type: ignore[no-untyped-def]
    assert musicgen.frame_rate == 100 and musicgen.hop == 160 and musicgen.delay == 1
    assert frames_for(0.5, 100) == 50 and tokens_for(50, 1) == 51
    assert frames_for(0.004, 50) == 1  # never zero
    steps: list[tuple[int, int]] = []
    clip = musicgen.generate(request(musicgen, seconds=0.73), lambda d, t: steps.append((d, t)))
    assert clip.sample_rate == 16000 and clip.channels == 1
    assert clip.audio.shape[0] == 73 * 160  # exactly the frames asked for
    assert steps[-1] == (74, 74) and [d for d, _ in steps] == list(range(1, 75))
    assert clip.run["windows"] == 1 and clip.run["device"] == "cpu"


def test_plan_windows_never_exceed_the_window() -> None:
    plan = plan_windows(total_frames=250, window_frames=100, context_frames=30)
    assert plan[0] == Window(0, 100) and all(w.prompt_frames == 30 for w in plan[1:])
    assert sum(w.new_frames for w in plan) == 250
    assert all(w.prompt_frames + w.new_frames <= 100 for w in plan)
    continued = plan_windows(total_frames=10, window_frames=100, context_frames=30, start_frames=7)
    assert continued == [Window(7, 10)]
    with pytest.raises(ValueError):
        plan_windows(10, window_frames=5, context_frames=5)


def test_crossfade_join_keeps_both_ends_and_length() -> None:
    head = np.ones((1, 1000), np.float32)
    window = np.concatenate([np.ones((1, 300)), np.full((1, 500), 2.0)], axis=1).astype(np.float32)
    window[:, 200:300] = 3.0  # the re-encoded prompt's last part, where the fade happens
    joined = join_continuation(head, window, prompt_samples=300, fade_samples=100)
    assert joined.shape == (1, 1500)
    assert (joined[:, :900] == 1).all() and (joined[:, 1000:] == 2).all()
    assert joined[0, 900] == pytest.approx(1.0) and joined[0, 999] == pytest.approx(3.0)
    assert join_continuation(None, window, 0, 100) is window


def test_clips_longer_than_the_window_are_continued_window_by_window(musicgen) -> None:  # type: ignore[no-untyped-def]
    assert musicgen.window_frames == 126  # 128 positions - start token - 1 delay step
    clip = musicgen.generate(request(musicgen, seconds=2.9))  # 126 + 84 + 80 new frames
    assert clip.audio.shape[0] == 290 * 160
    expected = plan_windows(290, musicgen.window_frames, musicgen.context_frames)
    assert clip.run["windows"] == len(expected) == 3
    assert clip.run["tokens"] == sum(w.new_frames + 1 for w in expected)
    assert np.isfinite(clip.audio).all() and np.abs(clip.audio).max() > 0


def test_stereo_musicgen_windows_and_continues_in_two_channels(
    models: Path, tmp_path: Path
) -> None:
    folder = demo_audio.build_tiny_musicgen(models / "stereo", channels=2)
    engine = load_music_engine(resolve(str(folder)), "cpu", "fp32")
    assert (engine.channels, engine.delay) == (2, 1)  # 4 codebooks, 2 per channel
    clip = engine.generate(request(engine, seconds=1.5))
    assert clip.audio.shape == (150 * 160, 2) and clip.run["windows"] == 2
    source = write_tone(tmp_path / "mono.wav", 0.25, 16000)  # mono in, copied to both channels
    continued = engine.generate(request(engine, seconds=0.25, continue_from=str(source)))
    assert continued.audio.shape == (8000, 2)


def test_same_seed_same_audio(musicgen) -> None:  # type: ignore[no-untyped-def]
    first = musicgen.generate(request(musicgen, seed=9))
    again = musicgen.generate(request(musicgen, seed=9))
    other = musicgen.generate(request(musicgen, seed=10))
    assert first.seed == 9 and np.array_equal(first.audio, again.audio)
    assert not np.array_equal(first.audio, other.audio)
    assert 0 <= musicgen.generate(request(musicgen, seed=-1)).seed < 2**32


def test_continuation_starts_with_the_clip_resampled(musicgen, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = write_tone(tmp_path / "clip.wav", 0.6, 22050, channels=2)  # other rate, stereo
    clip = musicgen.generate(request(musicgen, continue_from=str(source), seconds=0.4))
    start = int(0.6 * 16000)
    assert clip.audio.shape == (start + 40 * 160, 1)
    original = np.sin(2 * np.pi * 440 * np.arange(start) / 16000) * 0.4
    fade = int(0.05 * 16000)
    # Before the crossfade the file is the (resampled, mono-mixed) clip itself.
    middle = slice(200, start - fade - 200)
    assert np.abs(clip.audio[middle, 0] - original[middle]).max() < 0.02


def test_melody_conditioning_runs_and_pitch_classes_are_right(
    melody_engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    settings = ChromaSettings(16000, 2048, 512, 12)
    a440 = np.sin(2 * np.pi * 440 * np.arange(16000) / 16000)
    chroma = chromagram(a440, settings)
    assert chroma.shape[1] == 12 and (chroma.sum(dim=1) == 1).all()
    assert int(chroma[5:-5].argmax(dim=1).mode().values) == 9  # C=0 ... A=9
    # An untrained model's logits are almost flat, so the audio barely depends on the
    # melody: check what reaches generate() instead.
    seen: list[torch.Tensor] = []
    generate = melody_engine.model.generate

    def spy(**kwargs: object) -> object:
        seen.append(kwargs["input_features"])  # type: ignore[arg-type]
        return generate(**kwargs)

    monkeypatch.setattr(melody_engine.model, "generate", spy)
    melody = write_tone(tmp_path / "melody.wav", 0.5, 44100, hz=440)  # resampled to 16 kHz
    clip = melody_engine.generate(request(melody_engine, seconds=1.6, melody=str(melody)))
    assert clip.audio.shape == (160 * 160, 1) and clip.run["windows"] == 2
    assert len(seen) == 2 and all(f.shape[0] == 1 and f.shape[2] == 12 for f in seen)
    # Chroma (125 frames/s) of each window's span, the melody looped: 0-1.26 s, 0.84-1.6 s.
    assert [f.shape[1] for f in seen] == [158, 95]
    assert all(int(f[0, 5:-5].argmax(dim=1).mode().values) == 9 for f in seen)


def test_melody_needs_a_melody_model_and_a_readable_file(
    musicgen, melody_engine, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tone = write_tone(tmp_path / "m.wav", 0.2, 16000)
    with pytest.raises(ValidationError, match=r"takes no melody: .*MusicGen-Melody"):
        musicgen.generate(request(musicgen, melody=str(tone)))
    with pytest.raises(ValidationError, match="melody file not found"):
        melody_engine.generate(request(melody_engine, melody=str(tmp_path / "missing.wav")))
    (tmp_path / "bad.wav").write_text("not audio")
    with pytest.raises(ValidationError, match=r"cannot read clip file bad\.wav") as caught:
        musicgen.generate(request(musicgen, continue_from=str(tmp_path / "bad.wav")))
    assert "\n" not in str(caught.value)
    with pytest.raises(ValidationError, match="takes no negative prompt"):
        musicgen.generate(request(musicgen, negative_prompt="drums"))


def test_cancel_raises_within_a_token_and_nothing_is_saved(musicgen, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 5

    writer = OutputWriter(tmp_path / "out")
    with GalleryStore(data_paths().ensure().database) as gallery:
        with pytest.raises(Cancelled):
            record_run(musicgen, request(musicgen, seconds=2.0), writer, gallery,
                       HashCache.default(), cancelled=cancelled)  # fmt: skip
        assert gallery.search("piano") == []
    assert calls["n"] == 6  # raised at the first step that saw the cancel
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    with pytest.raises(Cancelled):  # and before any work at all
        musicgen.generate(request(musicgen), cancelled=lambda: True)


def test_runtime_writes_the_clip_with_its_length_and_tags(musicgen, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    writer = OutputWriter(tmp_path / "out")
    with GalleryStore(data_paths().ensure().database) as gallery:
        [written] = record_run(musicgen, request(musicgen, seconds=0.5, format="flac"),
                               writer, gallery, HashCache.default()).outputs  # fmt: skip
        assert [entry.path for entry in gallery.search("calm piano")] == [written.path]
    info = sf.info(str(written.path))
    assert written.path.suffix == ".flac" and info.samplerate == 16000 and info.frames == 8000
    assert written.record.run["duration"] == 0.5 and written.record.model_hash


def test_a_format_the_rate_cannot_take_fails_before_generating(
    stable_audio, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    assert (stable_audio.sample_rate, stable_audio.channels) == (8000, 2)
    monkeypatch.setattr(stable_audio, "sample_rate", 22050)  # as a 22.05 kHz model would be

    def generate(*args: object) -> None:
        pytest.fail("generated although the file could not be written")

    monkeypatch.setattr(stable_audio, "generate", generate)
    with (
        GalleryStore(data_paths().ensure().database) as gallery,
        pytest.raises(OutputError) as caught,
    ):
        record_run(stable_audio, request(stable_audio, format="opus"),
                   OutputWriter(tmp_path / "o"), gallery, HashCache.default())  # fmt: skip
    assert "opus files take" in str(caught.value) and "22.05 kHz" in str(caught.value)


def test_stable_audio_path_progress_length_and_limits(stable_audio) -> None:  # type: ignore[no-untyped-def]
    engine = stable_audio
    steps: list[tuple[int, int]] = []
    clip = engine.generate(request(engine, seconds=0.2, steps=3), lambda d, t: steps.append((d, t)))
    assert clip.audio.shape == (1600, 2) and steps == [(1, 3), (2, 3), (3, 3)]
    with pytest.raises(ValidationError, match="longer than the model maximum") as caught:
        engine.generate(request(engine, seconds=2.0, steps=2))
    assert "\n" not in str(caught.value)
    with pytest.raises(Cancelled):
        engine.generate(
            request(engine, seconds=0.2, steps=3), cancelled=iter([False, False, True]).__next__
        )
    with pytest.raises(ValidationError, match="cannot do continuing a clip"):
        engine.generate(request(engine, continue_from="x.wav"))


def test_stable_audio_without_torchsde_is_one_line(stable_audio, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import importlib.util
    import shutil

    if importlib.util.find_spec("torchsde"):
        pytest.skip("torchsde is installed here")
    folder = shutil.copytree(stable_audio.path, tmp_path / "stable-audio-open")
    for name in ("model_index.json", "scheduler/scheduler_config.json"):  # the released scheduler
        text = (folder / name).read_text().replace("EDMDPMSolver", "CosineDPMSolver")
        (folder / name).write_text(text)
    with pytest.raises(ModelError, match="its scheduler needs the torchsde package"):
        load_music_engine(resolve(str(folder)), "cpu", "fp32")


def test_audioldm2_generates_with_the_old_callback(models: Path) -> None:
    engine = _engine(models, "audioldm2")
    steps: list[tuple[int, int]] = []
    clip = engine.generate(
        request(engine, seconds=0.5, steps=2, negative_prompt="noise"),
        lambda d, t: steps.append((d, t)),
    )
    assert clip.sample_rate == 16000 and clip.audio.shape == (8000, 1) and steps[-1] == (2, 2)


def test_wrong_task_and_wrong_family_are_one_line(tiny_sd: Path, models: Path) -> None:
    with pytest.raises(ModelError, match="is not a music model the studio runs"):
        load_music_engine(resolve(str(tiny_sd)), "cpu", "fp32")
    from studio.runtime.loaded_models import load_engine

    with pytest.raises(ModelError, match="is an image model, not a music model"):
        load_engine("music", str(tiny_sd), "cpu", "fp32")
