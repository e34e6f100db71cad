"""`studio batch`: resume after SIGKILL, grids, failures that do not sink the batch, devices."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.cli.main import main


def manifest(out: Path) -> dict[str, dict]:
    entries: dict[str, dict] = {}
    path = out / "manifest.jsonl"
    if path.exists():
        for line in path.read_text().splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a torn last line
            entries[entry["item"]] = entry
    return entries


def start_batch(jobfile: Path, model: Path, out: Path, home: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "STUDIO_HOME": str(home), "OMP_NUM_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-m", "studio", "batch", str(jobfile), "--model", str(model),
                             "--out", str(out)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def kill_when(
    process: subprocess.Popen[bytes], out: Path, lines: int, timeout: float = 120
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if len(manifest(out)) >= lines:
            time.sleep(random.uniform(0, 0.15))  # land anywhere within an item
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def test_done_when_fifty_items_survive_two_sigkills(
    tiny_sd: Path, tmp_path: Path, studio_home: Path
) -> None:
    jobfile = tmp_path / "prompts.csv"
    rows = [f"a lighthouse number {n},64,64,2" for n in range(50)]
    jobfile.write_text("prompt,width,height,steps\n" + "\n".join(rows) + "\n")
    out = tmp_path / "out"
    for at in sorted(random.sample(range(3, 45), 2)):
        kill_when(start_batch(jobfile, tiny_sd, out, studio_home), out, at)
    finished = start_batch(jobfile, tiny_sd, out, studio_home)
    _, err = finished.communicate(timeout=200)
    assert finished.returncode == 0, err.decode()[-2000:]
    entries = manifest(out)
    assert len(entries) == 50 and all(e["status"] == "done" for e in entries.values())
    pngs = sorted(out.rglob("*.png"))
    assert len(pngs) == 50
    assert {Path(e["path"]) for e in entries.values()} == set(pngs)
    for entry in entries.values():
        path = Path(entry["path"])
        import hashlib

        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"][0]
        assert f"Seed: {entry['seed']}," in Image.open(path).info["parameters"]
    leftovers = {p.name for p in out.rglob("*") if p.is_file()} - {p.name for p in pngs}
    assert leftovers == {"manifest.jsonl", "batch.json"}
    lines = (out / "manifest.jsonl").read_text().splitlines()
    assert len(lines) == 50  # compacted: one true line per item


def test_a_three_by_three_grid_sweep(
    tiny_sd: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jobfile = tmp_path / "sweep.toml"
    jobfile.write_text(
        f'[base]\nmodel = "{tiny_sd}"\nprompt = "a fox in the snow"\nwidth = 64\nheight = 64\nsteps = 2\n'
        '[grid]\nx = { field = "seed", values = [1, 2, 3] }\n'
        'y = { field = "prompt_sr", values = ["fox", "owl", "cat"] }\n'
    )
    assert main(["batch", str(jobfile), "--out", str(tmp_path / "out")]) == 0
    out, err = capsys.readouterr()
    grid = Path(out.strip().splitlines()[-1])
    assert grid.name == "grid.png"
    with Image.open(grid) as image:
        assert image.width > 3 * 64 and image.height > 3 * 64
    assert len(list((tmp_path / "out").glob("0*.png"))) == 9
    assert "9 made" in err


def test_a_failing_item_does_not_stop_the_others(
    tiny_sd: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jobfile = tmp_path / "items.jsonl"
    rows = [{"model": str(tiny_sd), "prompt": "one", "width": 64, "height": 64, "steps": 2},
            {"model": str(tmp_path / "no-such-model"), "prompt": "two"},
            {"model": str(tiny_sd), "prompt": "three", "width": 64, "height": 64, "steps": 2}]  # fmt: skip
    jobfile.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert main(["batch", str(jobfile), "--out", str(tmp_path / "out")]) == 1
    _, err = capsys.readouterr()
    entries = sorted(manifest(tmp_path / "out").values(), key=lambda e: e["index"])
    assert [e["status"] for e in entries] == ["done", "failed", "done"]
    assert "model not found" in entries[1]["error"]
    assert "2 made" in err and "1 failed" in err and "failed: 00001-" in err
    # The same command again redoes only the failed item (and fails it again).
    assert main(["batch", str(jobfile), "--out", str(tmp_path / "out")]) == 1
    assert "2 already there" in capsys.readouterr().err


def test_two_simulated_devices_make_what_one_makes(tiny_sd: Path, tmp_path: Path) -> None:
    jobfile = tmp_path / "p.csv"
    jobfile.write_text(
        "prompt,width,height,steps\n" + "\n".join(f"a cat {n},64,64,2" for n in range(6))
    )
    base = ["batch", str(jobfile), "--model", str(tiny_sd)]
    assert main([*base, "--out", str(tmp_path / "one"), "--devices", "cpu"]) == 0
    assert main([*base, "--out", str(tmp_path / "two"), "--devices", "cpu,cpu"]) == 0
    one, two = manifest(tmp_path / "one"), manifest(tmp_path / "two")
    assert set(one) == set(two) and {e["device"] for e in two.values()} == {"cpu"}
    for item, entry in one.items():
        a = np.asarray(Image.open(entry["path"]))
        b = np.asarray(Image.open(two[item]["path"]))
        assert np.array_equal(a, b)


def test_folder_in_folder_out(tiny_sd: Path, tmp_path: Path, make_image) -> None:  # type: ignore[no-untyped-def]
    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(3):
        Image.new("RGB", (64, 64), (40 * n, 80, 120)).save(inputs / f"photo-{n}.png")
    jobfile = tmp_path / "settings.toml"
    jobfile.write_text(f'[base]\nmodel = "{tiny_sd}"\nprompt = "oil painting"\nwidth = 64\nheight = 64\n'
                       'steps = 4\nstrength = 0.5\n')  # fmt: skip
    assert (
        main(["batch", str(jobfile), "--input-dir", str(inputs), "--out", str(tmp_path / "out")])
        == 0
    )
    entries = manifest(tmp_path / "out")
    assert len(entries) == 3
    params = [Image.open(e["path"]).info["parameters"] for e in entries.values()]
    assert all("Denoising strength: 0.5" in p for p in params)


def test_bad_batches_fail_in_one_line(
    tiny_sd: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"prompt": "ok"}\n{"prompt": \n')
    assert main(["batch", str(broken), "--model", str(tiny_sd), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "broken.jsonl:2" in err and len(err.strip().splitlines()) == 1
    first = tmp_path / "a.csv"
    first.write_text("prompt,width,height,steps\none,64,64,2\n")
    second = tmp_path / "b.csv"
    second.write_text("prompt,width,height,steps\ntwo,64,64,2\n")
    assert (
        main(["batch", str(first), "--model", str(tiny_sd), "--out", str(tmp_path / "shared")]) == 0
    )
    capsys.readouterr()
    assert (
        main(["batch", str(second), "--model", str(tiny_sd), "--out", str(tmp_path / "shared")])
        == 2
    )
    assert "holds another batch" in capsys.readouterr().err


def test_a_full_disk_stops_the_batch_cleanly_and_it_resumes(
    tiny_sd: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from studio.core.errors import OutputError
    from studio.core.outputs import writer

    jobfile = tmp_path / "p.csv"
    jobfile.write_text(
        "prompt,width,height,steps\n" + "\n".join(f"a dog {n},64,64,2" for n in range(4))
    )
    real_write = writer.write_atomic

    def full(path: Path, data: bytes, **kwargs: object) -> Path:
        raise OutputError(f"could not write {path}: No space left on device")

    monkeypatch.setattr(writer, "write_atomic", full)
    argv = ["batch", str(jobfile), "--model", str(tiny_sd), "--out", str(tmp_path / "out")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "batch stopped: could not write" in err and "No space left on device" in err
    assert not any(e["status"] == "failed" for e in manifest(tmp_path / "out").values())
    assert not list((tmp_path / "out").rglob("*.png")) and not list(
        (tmp_path / "out").rglob("*.part")
    )
    monkeypatch.setattr(writer, "write_atomic", real_write)
    assert main(argv) == 0
    assert len(manifest(tmp_path / "out")) == 4


def test_executor_passes_step_previews_through(tiny_sd: Path, tmp_path: Path) -> None:
    from studio.core.gallery import GalleryStore
    from studio.core.outputs.writer import OutputWriter
    from studio.core.paths import data_paths
    from studio.core.requests import ImageRequest
    from studio.models.catalog import ModelCatalog
    from studio.models.hashing import HashCache
    from studio.runtime.generation import RunEvents, Stores, run_request

    seen: list[tuple[tuple[int, int], int, int]] = []
    request = ImageRequest(model=str(tiny_sd), prompt="x", width=64, height=64, steps=6, seed=1)
    database = data_paths().ensure().database
    with ModelCatalog(database) as catalog, GalleryStore(database) as gallery:
        stores = Stores(OutputWriter(tmp_path), gallery, catalog, HashCache.default())
        events = RunEvents(preview=lambda img, d, t: seen.append((img.size, d, t)))
        done = run_request(request, stores, "cpu", events=events)
    assert len(done.paths) == 1 and [(d, t) for _, d, t in seen] == [(5, 6)]


def test_a_walk_line_in_a_job_file_writes_its_frames_and_resumes(tiny_sd: Path, tmp_path: Path,
                                                                 capsys) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    jobfile = tmp_path / "walks.jsonl"
    line = {"task": "walk", "model": str(tiny_sd), "seeds": [1, 2], "frames": 3,
            "prompts": ["a lighthouse"], "width": 64, "height": 64, "steps": 2}  # fmt: skip
    jobfile.write_text(json.dumps(line) + "\n")
    out = tmp_path / "out"
    assert main(["batch", str(jobfile), "--out", str(out)]) == 0
    [entry] = manifest(out).values()
    assert entry["status"] == "done" and entry["task"] == "walk"
    preview = Path(entry["path"])
    frames = sorted(preview.parent.glob("frame-*.png"))
    assert preview.name == "walk.gif" and len(frames) == 5  # 2 keyframes, 3 frames between
    with Image.open(preview) as gif:
        assert gif.n_frames == 5
    assert "Seed: 1" in Image.open(frames[0]).info["parameters"]
    before = preview.read_bytes()
    capsys.readouterr()
    assert main(["batch", str(jobfile), "--out", str(out)]) == 0  # done: nothing made again
    assert "1 already done" in capsys.readouterr().err or preview.read_bytes() == before
    assert len(list(out.rglob("walk.gif"))) == 1
