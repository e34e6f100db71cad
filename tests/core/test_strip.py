"""Exported copies without metadata: nothing of the record travels, the pixels and audio do."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile
from PIL import Image

from studio.core.errors import OutputError
from studio.core.outputs.record import OutputRecord
from studio.core.outputs.strip import export_output, sidecar_of, strip_audio, strip_image
from studio.core.outputs.writer import OutputWriter
from studio.core.requests import ImageRequest, MusicRequest, TextRequest
from studio.runtime.audio_files import FORMATS, audio_tags, encode_audio

SECRET = "a secret lighthouse prompt"


def image_output(folder: Path) -> Path:
    record = OutputRecord(ImageRequest(model="tiny-sd", prompt=SECRET), seed=77, model_name="sd")
    picture = Image.new("RGB", (64, 48), (10, 120, 200))
    picture.putpixel((3, 4), (255, 0, 0))
    path, _ = OutputWriter(folder).write_image(picture, record)
    return path


def audio_output(folder: Path, name: str) -> Path:
    record = OutputRecord(MusicRequest(model="musicgen", prompt=SECRET), seed=5)
    fmt = FORMATS[name]
    wave = (np.sin(np.linspace(0, 200, 4000)) * 0.4).astype("float32")
    data = encode_audio(wave, 16000, fmt, audio_tags(record, fmt))
    path, _ = OutputWriter(folder).write_bytes(data, record, fmt.suffix)
    return path


def test_png_loses_every_text_chunk_but_keeps_its_pixels(tmp_path: Path) -> None:
    source = image_output(tmp_path / "out")
    assert SECRET.encode() in source.read_bytes()
    data = strip_image(source)
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", SECRET.encode(), b"Generative Studio"):
        assert chunk not in data
    target = tmp_path / "clean.png"
    target.write_bytes(data)
    with Image.open(source) as before, Image.open(target) as after:
        assert after.info == {} or set(after.info) <= {"dpi", "icc_profile"}
        assert before.mode == after.mode and before.tobytes() == after.tobytes()


def test_animated_gif_keeps_frames_and_timing_but_not_its_comment(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (32, 32), color) for color in ("red", "green", "blue")]
    source = tmp_path / "walk.gif"
    frames[0].save(source, save_all=True, append_images=frames[1:], duration=120, loop=0,
                   comment=SECRET.encode())  # fmt: skip
    target = tmp_path / "clean.gif"
    target.write_bytes(strip_image(source))
    assert SECRET.encode() not in target.read_bytes()
    with Image.open(target) as clean:
        assert clean.n_frames == 3 and clean.info.get("duration") == 120


@pytest.mark.parametrize("name", ["wav", "flac"])
def test_wav_and_flac_lose_their_tags_not_their_samples(tmp_path: Path, name: str) -> None:
    source = audio_output(tmp_path, name)
    assert SECRET.encode() in source.read_bytes()
    target = tmp_path / f"clean.{name}"
    target.write_bytes(strip_audio(source))
    assert SECRET.encode() not in target.read_bytes()
    before, rate = soundfile.read(source)
    after, rate_after = soundfile.read(target)
    assert rate == rate_after and np.array_equal(before, after)


def test_export_copies_the_sidecar_unless_stripping(tmp_path: Path) -> None:
    record = OutputRecord(TextRequest(model="gpt", prompt=SECRET), seed=1)
    text, _ = OutputWriter(tmp_path / "out").write_text("# A poem\n", record, ".md")
    share = tmp_path / "share"
    first = export_output(text, share)
    assert [p.name for p in first] == [text.name, text.name + ".json"]
    assert SECRET in sidecar_of(first[0]).read_text(encoding="utf-8")
    second = export_output(text, share, strip=True)
    assert second == [share / f"{text.stem}-2.md"]  # never overwrites the first copy
    assert second[0].read_text(encoding="utf-8") == "# A poem\n"
    assert not sidecar_of(second[0]).exists()


def test_failures_are_one_line_and_write_nothing(tmp_path: Path) -> None:
    share = tmp_path / "share"
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png at all")
    ogg = tmp_path / "clip.ogg"
    ogg.write_bytes(b"OggS....")
    fake_wav = tmp_path / "fake.wav"
    fake_wav.write_bytes(b"RIFX0000")
    cases = [
        (broken, "cannot read image broken.png"),
        (ogg, "cannot strip tags from .ogg audio"),
        (fake_wav, "cannot strip tags from fake.wav: not a RIFF/WAVE file"),
        (tmp_path / "gone.png", "cannot export gone.png: the file is gone"),
    ]
    for source, message in cases:
        with pytest.raises(OutputError) as caught:
            export_output(source, share, strip=True)
        assert str(caught.value).startswith(message) and "\n" not in str(caught.value)
    assert not share.exists() or list(share.iterdir()) == []
