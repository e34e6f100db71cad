"""Unconditional models and latent walks: slerp, frame plans, frames, previews, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from studio.cli.main import main
from studio.core.errors import Cancelled, ValidationError
from studio.core.requests import ImageRequest, LatentWalkRequest, UnconditionalRequest
from studio.engines.image import ImageEngine
from studio.engines.latent_walk import seed_noise, slerp
from studio.engines.unconditional import UnconditionalEngine
from studio.engines.walk import iter_walk


@pytest.fixture(scope="module")
def tiny_ddpm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from studio.demo_models.unconditional import build_tiny_ddpm

    return build_tiny_ddpm(tmp_path_factory.mktemp("models") / "tiny-ddpm")


def test_slerp_keeps_the_ends_and_the_norm() -> None:
    a, b = seed_noise(1, (4, 8, 8)), seed_noise(2, (4, 8, 8))
    assert torch.allclose(slerp(a, b, 0.0), a) and torch.allclose(slerp(a, b, 1.0), b, atol=1e-5)
    middle = slerp(a, b, 0.5)
    assert abs(middle.norm() - a.norm()) / a.norm() < 0.05  # a straight line would lose ~30 %
    assert (0.5 * (a + b)).norm() < 0.8 * a.norm()


@pytest.mark.parametrize(("keys", "between", "loop", "frames"), [(2, 0, False, 2), (2, 3, False, 5),
                                                                  (3, 2, False, 7), (3, 2, True, 9)])  # fmt: skip
def test_frame_counts(keys: int, between: int, loop: bool, frames: int) -> None:
    request = LatentWalkRequest(
        model="m", seeds=tuple(range(keys)), frames_between=between, loop=loop
    )
    assert request.frame_count == frames == len(request.frame_plan())
    assert request.frame_plan()[0] == (0, 1, 0.0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"seeds": (1,)}, "at least two seeds or two prompts"),
        ({"seeds": (1, 2, 3), "prompts": ("a", "b")}, "give one seed or 3"),
        ({"seeds": (1, 2), "fps": 0}, "fps must be between 1 and 60"),
        ({"seeds": (1, -2)}, "seed must be between 0"),
        ({"seeds": (1, 2), "frames_between": 1000}, "frames_between must be between 0 and 240"),
    ],
)
def test_walk_requests_are_validated(changes: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        LatentWalkRequest(model="m", **changes)


def test_walk_starts_exactly_at_the_seeds_image(sd_engine: ImageEngine, tiny_sd: Path) -> None:
    request = LatentWalkRequest(model=str(tiny_sd), seeds=(5, 6), prompts=("a fox",), frames_between=1,
                                width=64, height=64, steps=2)  # fmt: skip
    frames = list(iter_walk(sd_engine, request))
    assert [(f.key_a, f.key_b, f.t) for f in frames] == [(0, 1, 0.0), (0, 1, 0.5), (1, 1, 0.0)]
    for seed, frame in ((5, frames[0]), (6, frames[2])):
        alone = sd_engine.images(ImageRequest(model=str(tiny_sd), prompt="a fox", seed=seed, width=64,
                                           height=64, steps=2))[0].image  # fmt: skip
        assert np.array_equal(np.asarray(alone), np.asarray(frame.image))
    assert not np.array_equal(np.asarray(frames[1].image), np.asarray(frames[0].image))


def test_walk_between_prompts_mixes_embeddings(sd_engine: ImageEngine, tiny_sd: Path) -> None:
    request = LatentWalkRequest(model=str(tiny_sd), seeds=(5,), prompts=("a fox", "a lighthouse"),
                                frames_between=1, width=64, height=64, steps=2)  # fmt: skip
    images = [np.asarray(f.image, dtype=np.int16) for f in iter_walk(sd_engine, request)]
    assert len(images) == 3 and np.abs(images[0] - images[2]).max() > 0


def test_unconditional_engine_is_deterministic_and_cancellable(tiny_ddpm: Path) -> None:
    engine = UnconditionalEngine.load(tiny_ddpm, device="cpu")
    request = UnconditionalRequest(
        model=str(tiny_ddpm), steps=3, seed=9, batch_size=2, sampler="DDIM"
    )
    seen: list[tuple[int, int]] = []
    first = [
        g
        for b in engine.iter_batches(request, progress=lambda d, t: seen.append((d, t)))
        for g in b
    ]
    again = [g for b in engine.iter_batches(request) for g in b]
    assert [g.seed for g in first] == [9, 10] and first[0].sampler == "DDIM"
    assert first[0].image.size == (32, 32) and seen[-1] == (3, 3)
    assert np.array_equal(np.asarray(first[1].image), np.asarray(again[1].image))
    with pytest.raises(Cancelled):
        list(engine.iter_batches(request, cancelled=lambda: True))
    with pytest.raises(ValidationError, match="takes no prompts"):
        list(iter_walk(engine, LatentWalkRequest(model="m", seeds=(1,), prompts=("a", "b"))))


def test_cli_unconditional_and_walk_write_files_and_gallery_rows(
    tiny_ddpm: Path, tiny_sd: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "unconditional", "--model", str(tiny_ddpm), "--steps", "2", "--seed", "4",
                 "--count", "2", "--out", str(tmp_path / "u")]) == 0  # fmt: skip
    paths = [Path(p) for p in capsys.readouterr().out.split()]
    assert len(paths) == 2 and all(Image.open(p).size == (32, 32) for p in paths)
    assert "Seed: 4" in Image.open(paths[0]).info["parameters"]
    argv = ["generate", "walk", "--model", str(tiny_sd), "--seeds", "1,2,3", "--prompt", "a cat",
            "--frames", "1", "--loop", "--size", "64", "--steps", "2", "--fps", "5",
            "--out", str(tmp_path / "w")]  # fmt: skip
    assert main(argv) == 0
    out = [Path(p) for p in capsys.readouterr().out.split()]
    frames, preview = out[:-1], out[-1]
    assert len(frames) == 6 and [f.name for f in frames][:2] == [
        "frame-00001.png",
        "frame-00002.png",
    ]
    assert (
        "Variation seed: 2, Variation seed strength: 0.5"
        in Image.open(frames[1]).info["parameters"]
    )
    with Image.open(preview) as gif:
        assert gif.n_frames == 6 and gif.info["duration"] == 200
    assert (preview.parent / "walk.gif.json").is_file()
    assert main(["gallery", "search", "cat", "--json"]) == 0
    assert '"task": "walk"' in capsys.readouterr().out


def test_cli_refuses_the_wrong_model_kind_in_one_line(
    tiny_sd: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "unconditional", "--model", str(tiny_sd), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "tiny-sd is an image model, not an unconditional model" in err
    assert len(err.strip().splitlines()) == 1
    assert (
        main(["generate", "walk", "--model", str(tiny_sd), "--seeds", "1", "--out", str(tmp_path)])
        == 2
    )
    assert "at least two seeds" in capsys.readouterr().err
