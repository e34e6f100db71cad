"""Grid images of sweeps: layout, labels, common cell size, failed and non-image tiles."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from studio.core.batch import BatchFileError, BatchPlan, grid_image, load_job_file

GREY = (128, 128, 128)


def plan_of(tmp_path: Path, axes: str) -> BatchPlan:
    job = tmp_path / "sweep.toml"
    job.write_text(f'[base]\nmodel = "m"\nprompt = "a cat"\n[grid]\n{axes}', encoding="utf-8")
    return load_job_file(job)


def colour(n: int) -> tuple[int, int, int]:
    return (30 + 25 * n, 200 - 20 * n, (70 * n) % 256)


def outputs_of(plan: BatchPlan, tmp_path: Path, size: tuple[int, int] = (48, 48)) -> dict:
    outputs: dict[str, Path | None] = {}
    for item in plan.items:
        path = tmp_path / f"{item.id}.png"
        Image.new("RGB", size, colour(item.index)).save(path)
        outputs[item.id] = path
    return outputs


def colours(image: Image.Image) -> set[tuple[int, ...]]:
    return {rgb for _count, rgb in image.getcolors(1 << 24) or []}


def where(sheet: Image.Image, rgb: tuple[int, int, int]) -> tuple[int, int, int, int]:
    """The box of the pixels of exactly this colour."""
    channels = zip(sheet.split(), rgb, strict=True)
    bands = [band.point(lambda v, c=c: 255 if v == c else 0) for band, c in channels]
    box = ImageChops.multiply(ImageChops.multiply(bands[0], bands[1]), bands[2]).getbbox()
    assert box is not None, f"{rgb} is not in the grid"
    return box


def test_3x3_grid_layout_and_labels(tmp_path: Path) -> None:
    plan = plan_of(
        tmp_path,
        'x = {field = "seed", values = [1, 2, 3]}\ny = {field = "steps", values = [4, 8, 12]}\n',
    )
    sheets = grid_image(plan, outputs_of(plan, tmp_path))
    assert [suffix for suffix, _ in sheets] == [""]
    sheet = sheets[0][1]
    boxes = {item.cell: where(sheet, colour(item.index)) for item in plan.items}
    left, top = boxes[(0, 0, 0)][:2]
    assert left > 0 and top > 0  # row labels on the left, column labels on top
    assert sheet.size == (left + 3 * 48, top + 3 * 48)
    for (x, y, _z), box in boxes.items():
        assert box == (left + 48 * x, top + 48 * y, left + 48 * (x + 1), top + 48 * (y + 1))
    column_band = sheet.crop((left, 0, sheet.width, top))
    row_band = sheet.crop((0, top, left, sheet.height))
    for band in (column_band, row_band):  # text was drawn: not one flat colour
        assert len(colours(band)) > 2


def test_2x2x2_grid_gives_one_sheet_per_z_value(tmp_path: Path) -> None:
    plan = plan_of(
        tmp_path,
        'x = {field = "seed", values = [1, 2]}\ny = {field = "guidance", values = [3, 4.5]}\n'
        'z = {field = "sampler", values = ["Euler a", "DDIM"]}\n',
    )
    sheets = grid_image(plan, outputs_of(plan, tmp_path))
    assert [suffix for suffix, _ in sheets] == ["sampler=Euler_a", "sampler=DDIM"]
    for z, (_suffix, sheet) in enumerate(sheets):
        for item in plan.items:
            present = colour(item.index) in colours(sheet)
            assert present == (item.cell is not None and item.cell[2] == z)
    first = sheets[0][1]
    assert where(first, colour(1))[0] > where(first, colour(0))[0]  # x runs left to right
    assert where(first, colour(2))[1] > where(first, colour(0))[1]  # y runs down


def test_failed_missing_and_non_image_cells(tmp_path: Path) -> None:
    plan = plan_of(tmp_path, 'x = {field = "seed", values = [1, 2, 3, 4]}\n')
    outputs = outputs_of(plan, tmp_path, size=(40, 40))
    ids = [item.id for item in plan.items]
    outputs[ids[1]] = None  # failed
    del outputs[ids[2]]  # never ran
    audio = tmp_path / "00003-song.wav"
    audio.write_bytes(b"RIFF")
    outputs[ids[3]] = audio
    (suffix, sheet), *rest = grid_image(plan, outputs)
    assert suffix == "" and not rest
    left, top = where(sheet, colour(0))[:2]
    assert left == 0  # no y axis: no row labels
    assert sheet.size == (4 * 40, top + 40)
    for x in (1, 2):  # grey tiles reading "failed"
        tile = sheet.crop((40 * x, top, 40 * (x + 1), top + 40))
        assert tile.getpixel((1, 1)) == GREY
        assert len(colours(tile)) > 1  # the word is written on it
    named = sheet.crop((120, top, 160, top + 40))
    assert named.getpixel((1, 1)) not in (GREY, (255, 255, 255))
    assert len(colours(named)) > 1  # the file name


def test_outputs_of_different_sizes_share_one_cell_size(tmp_path: Path) -> None:
    plan = plan_of(tmp_path, 'x = {field = "seed", values = [1, 2]}\n')
    big, small = tmp_path / "big.png", tmp_path / "small.png"
    Image.new("RGB", (1024, 768), (250, 0, 0)).save(big)
    Image.new("RGB", (32, 32), (0, 0, 250)).save(small)
    sheet = grid_image(plan, {plan.items[0].id: big, plan.items[1].id: small})[0][1]
    red, blue = where(sheet, (250, 0, 0)), where(sheet, (0, 0, 250))
    assert (red[2] - red[0], red[3] - red[1]) == (512, 384)  # shrunk to the 512 cap
    assert blue[2] - blue[0] == 384 and blue[0] == 512 + 64  # scaled up, centred in its cell
    assert sheet.width == 1024


def test_a_plan_without_grid_has_no_grid_image(tmp_path: Path) -> None:
    job = tmp_path / "jobs.txt"
    job.write_text("a\n", encoding="utf-8")
    with pytest.raises(BatchFileError, match="has no \\[grid\\] to draw"):
        grid_image(load_job_file(job, model="m"), {})
