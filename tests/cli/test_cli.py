"""The `studio` command: happy paths and every bad input as one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def generate_args(model: Path, out: Path, *extra: str) -> list[str]:
    return ["generate", "image", "--model", str(model), "--prompt", "a lighthouse, at dusk",
            "--steps", "3", "--size", "64x64", "--seed", "11", "--out", str(out), *extra]  # fmt: skip


def test_generate_prints_each_path_on_stdout(
    capsys: pytest.CaptureFixture[str], tiny_sd: Path, tmp_path: Path
) -> None:
    code, out, err = run(capsys, *generate_args(tiny_sd, tmp_path / "out", "--count", "2",
                                                "--sampler", "euler a"))  # fmt: skip
    assert code == 0, err
    paths = [Path(line) for line in out.splitlines()]
    assert len(paths) == 2 and all(p.is_file() and p.suffix == ".png" for p in paths)
    assert "done: 2 image(s)" in err
    # An independent A1111-metadata reader reads back what we asked for.
    from sd_parsers import ParserManager

    info = ParserManager().parse(paths[1])
    assert info is not None
    sampler = info.samplers[0]
    assert sampler.prompts[0].value == "a lighthouse, at dusk"
    assert (sampler.parameters["seed"], sampler.parameters["steps"]) == ("12", "3")
    assert sampler.name == "Euler a"

    code, out, _ = run(capsys, "gallery", "search", "lighthouse", "--json")
    rows = json.loads(out)
    assert code == 0 and {Path(r["path"]) for r in rows} == set(paths)
    assert {r["seed"] for r in rows} == {11, 12}
    code, out, _ = run(capsys, "gallery", "search", "lighthouse")
    assert code == 0 and len(out.splitlines()) == 2 and "seed 11" in out


def test_img2img_and_inpaint_from_the_command_line(
    capsys: pytest.CaptureFixture[str],
    tiny_sd: Path,
    tmp_path: Path,
    make_image,  # type: ignore[no-untyped-def]
) -> None:
    init, mask = make_image("i.png", (64, 64)), make_image("m.png", (64, 64), mode="L")
    code, _, err = run(capsys, *generate_args(tiny_sd, tmp_path / "o", "--init-image", str(init),
                                                "--strength", "0.6"))  # fmt: skip
    assert code == 0, err
    code, _, err = run(capsys, *generate_args(tiny_sd, tmp_path / "o", "--init-image", str(init),
                                                "--mask", str(mask)))  # fmt: skip
    assert code == 0, err


def bad_inputs(tiny_sd: Path, tmp: Path) -> list[tuple[list[str], str]]:
    tmp.mkdir(exist_ok=True)
    (tmp / "not-a-pipeline").mkdir(exist_ok=True)
    (tmp / "a-file").write_text("")
    (tmp / "broken.png").write_text("no")
    from PIL import Image

    Image.new("RGB", (64, 64)).save(tmp / "init.png")
    Image.new("L", (32, 32)).save(tmp / "small-mask.png")
    return [
        (generate_args(tmp / "missing", tmp / "o"), "model not found"),
        (generate_args(tmp / "not-a-pipeline", tmp / "o"), "is not a diffusers pipeline folder"),
        (generate_args(tiny_sd, tmp / "o", "--sampler", "Eulr"), "unknown sampler 'Eulr'"),
        (generate_args(tiny_sd, tmp / "o", "--size", "100x64"), "width must be a multiple of 8"),
        (generate_args(tiny_sd, tmp / "o", "--size", "big"), "size must look like 512x768"),
        (generate_args(tiny_sd, tmp / "o", "--steps", "0"), "steps must be between 1 and 500"),
        (generate_args(tiny_sd, tmp / "o", "--steps", "many"), "invalid int value: 'many'"),
        (generate_args(tiny_sd, tmp / "o", "--init-image", str(tmp / "init.png"), "--strength", "2"),
         "strength must be in (0, 1]"),
        (generate_args(tiny_sd, tmp / "o", "--init-image", str(tmp / "broken.png")), "cannot read init image"),
        (generate_args(tiny_sd, tmp / "o", "--init-image", str(tmp / "init.png"), "--mask",
                       str(tmp / "small-mask.png")), "mask is 32x32 but the init image is 64x64"),
        (generate_args(tiny_sd, tmp / "o", "--mask", str(tmp / "small-mask.png")), "needs an init image"),
        (generate_args(tiny_sd, tmp / "a-file" / "o"), "cannot create output folder"),
        (generate_args(tiny_sd, tmp / "o", "--name-template", "../{prompt}"), "must not contain '..'"),
        (generate_args(tiny_sd, tmp / "o", "--device", "cuda"), "no CUDA GPU is available"),
        (["generate", "image", "--prompt", "x"], "the following arguments are required: --model"),
        (["teleport"], "invalid choice: 'teleport'"),
    ]  # fmt: skip


def test_every_bad_input_exits_non_zero_with_one_line(
    capsys: pytest.CaptureFixture[str], tiny_sd: Path, tmp_path: Path
) -> None:
    for argv, message in bad_inputs(tiny_sd, tmp_path / "bad"):
        code, out, err = run(capsys, *argv)
        assert code == 2, (argv, err)
        assert message in err, (argv, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
        assert out == ""
    assert (
        not list((tmp_path / "bad" / "o").rglob("*.png"))
        if (tmp_path / "bad" / "o").exists()
        else True
    )


def test_unexpected_errors_are_one_line_with_a_log(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, studio_home: Path
) -> None:
    def explode(args: object) -> int:
        raise RuntimeError("kaboom")

    monkeypatch.setattr("studio.cli.doctor_command.run_doctor", explode)
    code, _, err = run(capsys, "doctor")
    assert code == 1 and err.count("\n") == 1
    assert "unexpected error: RuntimeError: kaboom" in err
    assert "kaboom" in (studio_home / "logs" / "cli-errors.log").read_text()


def test_version_and_doctor(capsys: pytest.CaptureFixture[str], studio_home: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.strip() == "studio 0.1.0"
    code, out, _ = run(capsys, "doctor", "--json")
    report = json.loads(out)
    assert code == 0, report["problems"]
    assert report["libraries"]["diffusers"] and report["libraries"]["libsndfile"]
    assert report["devices"][0]["name"] == "cpu"
    assert report["offline"]["offline"] is True
    assert report["data"]["home"] == str(studio_home)
    code, out, _ = run(capsys, "doctor")
    assert code == 0 and "Offline mode:      on" in out
