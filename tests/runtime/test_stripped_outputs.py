"""Stripped metadata reaches the outputs written outside the writer's main path: audio tags,
code-block sidecars, walk frames and the walk preview's sidecar keep the AI label, and
nothing of the prompt."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from studio.core.errors import StudioError
from studio.core.gallery import GalleryStore
from studio.core.outputs.naming import FilenameTemplate
from studio.core.outputs.reader import read_parameters
from studio.core.outputs.record import GENERATOR, STUDIO_KEY, OutputRecord
from studio.core.outputs.writer import OutputWriter, ai_label_json
from studio.core.outputs.xmp import TRAINED_ALGORITHMIC, XMP_KEY, read_source_type
from studio.core.requests import LatentWalkRequest
from studio.core.requests.audio import AUDIO_FORMATS, MusicRequest
from studio.core.requests.text import CodeRequest
from studio.demo_models.text import CODE_EXAMPLE, build_tiny_llama
from studio.models.hashing import HashCache
from studio.runtime.audio_files import (
    AI_LABEL,
    audio_tags,
    check_writable,
    encode_audio,
    read_audio_record,
)

if TYPE_CHECKING:
    from studio.engines.image import ImageEngine
    from studio.engines.text import TextEngine

SECRET = "a secret lighthouse at dawn"
# No {prompt} in the names: these tests look for the prompt inside the files.
NAMES = FilenameTemplate("{task}/{index:05d}-{seed}")
pytestmark = pytest.mark.usefixtures("one_torch_thread")


def writer(folder: Path, strip: bool) -> OutputWriter:
    return OutputWriter(folder, NAMES, strip_metadata=strip)


def assert_no_secret(folder: Path, secret: str) -> None:
    for path in folder.rglob("*"):
        assert secret not in path.name
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


@pytest.mark.parametrize("name", AUDIO_FORMATS)
def test_stripped_audio_tags_hold_the_label_and_nothing_of_the_request(name: str) -> None:
    record = OutputRecord(MusicRequest(model="m", prompt=SECRET * 20, format=name), seed=9)
    fmt = check_writable(name, 16000)
    tags = audio_tags(record, fmt, strip_metadata=True)
    assert tags.complete  # the label always fits: no sidecar for the record
    tone = (0.3 * np.sin(np.linspace(0, 400, 8000))).astype(np.float32)
    data = encode_audio(tone, 16000, fmt, tags)
    assert b"lighthouse" not in data and b'"seed"' not in data
    with sf.SoundFile(io.BytesIO(data)) as back:
        assert back.title == "AI-generated music"
        assert back.comment.startswith(AI_LABEL) and TRAINED_ALGORITHMIC in back.comment
        assert back.date == ""
        if name != "mp3":  # LAME names itself as the software
            assert back.software.startswith(GENERATOR)
    assert read_audio_record(data) is None  # no record to restore
    full = audio_tags(record, fmt)  # the same record unstripped still carries it all
    assert "lighthouse" in full.title


@pytest.fixture(scope="module")
def text_engine(tmp_path_factory: pytest.TempPathFactory) -> TextEngine:
    from studio.runtime.loaded_models import load_engine

    model = build_tiny_llama(tmp_path_factory.mktemp("text") / "chat", memorize=(CODE_EXAMPLE,))
    return load_engine("text", str(model), "cpu", "fp32")  # type: ignore[return-value]


@pytest.mark.parametrize("strip", [True, False])
def test_code_block_sidecars_follow_the_setting(
    text_engine: TextEngine, tmp_path: Path, strip: bool
) -> None:
    from tests.helpers import record_run

    prompt = CODE_EXAMPLE[0]
    request = CodeRequest(model="chat", prompt=prompt, temperature=0.0, max_new_tokens=60)
    with GalleryStore(tmp_path / "db.sqlite3") as gallery:
        reply, block, _conversation = record_run(
            text_engine, request, writer(tmp_path / "out", strip), gallery,
            HashCache(tmp_path / "hashes.json"), extras={"conversation_path": tmp_path / "chat.json"},
        ).outputs  # fmt: skip
    assert block.path.read_text() == "def add(a, b):\n    return a + b\n"
    sidecars = [reply.path, block.path]
    texts = [p.with_name(p.name + ".json").read_text() for p in sidecars]
    if strip:
        assert texts == [ai_label_json()] * 2
        assert_no_secret(tmp_path / "out", prompt)
    else:
        block_record = OutputRecord.from_dict(json.loads(texts[1]))
        assert block_record.request.prompt == prompt and block_record.run["code_block"] == 1


def test_stripped_walk_frames_and_preview_keep_only_the_label(
    sd_engine: ImageEngine, tiny_sd: Path, tmp_path: Path
) -> None:
    from tests.helpers import record_run

    request = LatentWalkRequest(model=str(tiny_sd), seeds=(1, 2), prompts=(SECRET,),
                                frames_between=1, width=64, height=64, steps=2)  # fmt: skip
    out = tmp_path / "out"
    with GalleryStore(tmp_path / "db.sqlite3") as gallery:
        [preview] = record_run(
            sd_engine, request, writer(out, True), gallery, HashCache(tmp_path / "hashes.json")
        ).outputs
    frames = sorted(preview.path.parent.glob("frame-*.png"))
    assert len(frames) == 3
    for frame in frames:
        with pytest.raises(StudioError, match="carries no generation parameters"):
            read_parameters(frame)
        with Image.open(frame) as image:
            assert "parameters" not in image.info and STUDIO_KEY not in image.info
            assert read_source_type(image.info[XMP_KEY]) == TRAINED_ALGORITHMIC
    sidecar = preview.path.with_name(preview.path.name + ".json")
    assert sidecar.read_text() == ai_label_json()
    with Image.open(preview.path) as gif:
        assert gif.info["comment"] == b"AI-generated (latent walk)"
    assert_no_secret(out, SECRET)
    assert_no_secret(out, "lighthouse")


def test_an_unstripped_walk_still_carries_its_parameters(
    sd_engine: ImageEngine, tiny_sd: Path, tmp_path: Path
) -> None:
    from tests.helpers import record_run

    request = LatentWalkRequest(model=str(tiny_sd), seeds=(1, 2), prompts=(SECRET,),
                                frames_between=0, width=64, height=64, steps=2)  # fmt: skip
    with GalleryStore(tmp_path / "db.sqlite3") as gallery:
        [preview] = record_run(sd_engine, request, writer(tmp_path / "out", False), gallery,
                               HashCache(tmp_path / "hashes.json")).outputs  # fmt: skip
    first = preview.path.parent / "frame-00001.png"
    assert read_parameters(first).fields["prompt"] == SECRET
    sidecar = json.loads(preview.path.with_name(preview.path.name + ".json").read_text())
    assert sidecar["request"]["prompts"] == [SECRET]
