"""Our PNGs carry A1111 parameters, the full record and an AI label; others read them back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from studio.core.errors import StudioError
from studio.core.outputs.reader import read_parameters
from studio.core.outputs.record import OutputRecord
from studio.core.outputs.writer import OutputWriter
from studio.core.outputs.xmp import COMPOSITE_TRAINED_ALGORITHMIC, TRAINED_ALGORITHMIC
from studio.core.requests import ImageRequest


def write(tmp_path: Path, request: ImageRequest, seed: int = 1234) -> Path:
    record = OutputRecord(request, seed=seed, model_name="tiny-sd", model_hash="0123456789",
                          sampler="Euler a")  # fmt: skip
    path, _ = OutputWriter(tmp_path).write_image(Image.new("RGB", (64, 64), "teal"), record)
    return path


def test_our_png_restores_the_exact_request(tmp_path: Path) -> None:
    request = ImageRequest(model="/m/sd", prompt="a fox, at dusk: 雪", negative_prompt="blur",
                           width=64, height=64, steps=12, guidance=6.5, seed=-1)  # fmt: skip
    restored = read_parameters(write(tmp_path, request))
    assert restored.source == "studio"
    assert restored.ai_label == TRAINED_ALGORITHMIC
    assert restored.to_request() == request.replace(seed=1234)
    assert restored.model_hash == "0123456789"


def test_png_chunks_are_what_a1111_tools_expect(tmp_path: Path) -> None:
    request = ImageRequest(model="/m/sd", prompt="a fox, at dusk", negative_prompt="blur",
                           width=64, height=64, steps=12, guidance=6.5)  # fmt: skip
    with Image.open(write(tmp_path, request)) as image:
        params = image.info["parameters"]
        record = json.loads(image.info["generative-studio"])
    assert params == (
        "a fox, at dusk\nNegative prompt: blur\nSteps: 12, Sampler: Euler a, CFG scale: 6.5, "
        "Seed: 1234, Size: 64x64, Model hash: 0123456789, Model: tiny-sd, "
        "Version: Generative Studio 0.1.0"
    )
    assert record["request"]["prompt"] == "a fox, at dusk"


def test_independent_reader_parses_our_png(tmp_path: Path) -> None:
    from sd_parsers import ParserManager

    request = ImageRequest(model="/m/sd", prompt="a lighthouse, stormy", width=64, height=64,
                           steps=9)  # fmt: skip
    info = ParserManager().parse(write(tmp_path, request, seed=777))
    assert info is not None and info.generator.name == "AUTOMATIC1111"
    sampler = info.samplers[0]
    assert sampler.prompts[0].value == "a lighthouse, stormy"
    assert sampler.parameters["seed"] == "777"
    assert sampler.parameters["steps"] == "9"


def test_edited_images_are_labelled_composite(tmp_path: Path) -> None:
    request = ImageRequest(model="m", prompt="p", mode="img2img", init_image="x.png",
                           width=64, height=64)  # fmt: skip
    assert read_parameters(write(tmp_path, request)).ai_label == COMPOSITE_TRAINED_ALGORITHMIC


A1111_TEXT = ("a castle\nNegative prompt: fog\nSteps: 30, Sampler: DPM++ 2M, Schedule type: Karras, "
              "CFG scale: 5.5, Seed: 99, Size: 768x512, Model hash: abcdef0123, Model: castle_v2")  # fmt: skip


@pytest.mark.parametrize("chunk", ["tEXt", "iTXt"])
def test_reads_a1111_pngs_in_text_and_itxt_chunks(tmp_path: Path, chunk: str) -> None:
    info = PngInfo()
    if chunk == "tEXt":
        info.add_text("parameters", A1111_TEXT)
    else:
        info.add_itxt("parameters", A1111_TEXT)
    path = tmp_path / "a1111.png"
    Image.new("RGB", (8, 8)).save(path, pnginfo=info)
    restored = read_parameters(path)
    assert restored.source == "a1111"
    request = restored.to_request()
    assert request.model == "castle_v2" and restored.model_hash == "abcdef0123"
    assert (request.prompt, request.negative_prompt) == ("a castle", "fog")
    assert (request.steps, request.seed, request.guidance) == (30, 99, 5.5)
    assert (request.width, request.height, request.sampler) == (768, 512, "DPM++ 2M Karras")


@pytest.mark.parametrize(("fmt", "encoding"), [("JPEG", "utf-16-be"), ("JPEG", "utf-16-le"),
                                               ("WEBP", "utf-16-be")])  # fmt: skip
def test_reads_a1111_exif_user_comment(tmp_path: Path, fmt: str, encoding: str) -> None:
    image = Image.new("RGB", (16, 16), "white")
    exif = image.getexif()
    exif.get_ifd(0x8769)[0x9286] = b"UNICODE\x00" + A1111_TEXT.encode(encoding)
    path = tmp_path / f"a1111.{fmt.lower()}"
    image.save(path, format=fmt, exif=exif)
    restored = read_parameters(path)
    assert restored.source == "a1111"
    assert restored.fields["prompt"] == "a castle" and restored.fields["seed"] == 99


COMFY_GRAPH = {
    "3": {"class_type": "KSampler", "inputs": {
        "seed": 156680208700286, "steps": 20, "cfg": 8.0, "sampler_name": "euler_ancestral",
        "scheduler": "normal", "denoise": 1.0, "model": ["4", 0], "positive": ["6", 0],
        "negative": ["7", 0], "latent_image": ["5", 0]}},
    "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "v1-5-pruned.safetensors"}},
    "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 640, "batch_size": 1}},
    "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "beautiful scenery", "clip": ["4", 1]}},
    "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "text, watermark", "clip": ["4", 1]}},
    "9": {"class_type": "SaveImage", "inputs": {"images": ["8", 0]}},
}  # fmt: skip


def test_reads_comfyui_prompt_graph(tmp_path: Path) -> None:
    info = PngInfo()
    info.add_text("prompt", json.dumps(COMFY_GRAPH))
    info.add_text("workflow", "{}")
    path = tmp_path / "comfy.png"
    Image.new("RGB", (8, 8)).save(path, pnginfo=info)
    restored = read_parameters(path)
    assert restored.source == "comfyui"
    assert restored.model_name == "v1-5-pruned.safetensors"
    assert restored.fields == {
        "seed": 156680208700286, "steps": 20, "guidance": 8.0, "sampler": "Euler a",
        "prompt": "beautiful scenery", "negative_prompt": "text, watermark",
        "width": 512, "height": 640,
    }  # fmt: skip


def test_images_without_parameters_and_broken_files_give_one_line(tmp_path: Path) -> None:
    plain = tmp_path / "plain.png"
    Image.new("RGB", (8, 8)).save(plain)
    with pytest.raises(StudioError, match="carries no generation parameters"):
        read_parameters(plain)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(StudioError, match="cannot read image"):
        read_parameters(broken)
