"""Labelled grid images of a sweep, A1111 X/Y/Z-plot style: one sheet per z value.

Columns follow x (labels on top), rows follow y (labels on the left). Every output is
scaled into one common cell size; a failed or missing item is a grey "failed" tile and
an output that is no image (audio, text) is a tile with its file name.
"""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from studio.core.batch.items import BatchPlan, file_error

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp")
CELL_MAX = 512  # longest side of a cell, in pixels
WHITE, INK, FAILED, OTHER = (255, 255, 255), (20, 20, 20), (128, 128, 128), (224, 226, 234)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def grid_image(
    plan: BatchPlan, outputs: dict[str, Path | None], *, cell_max: int = CELL_MAX
) -> list[tuple[str, Image.Image]]:
    """(name suffix, sheet) per z value; the suffix is the z label made file-name safe
    ("" without a z axis). `outputs` maps item ids to their file (None: failed)."""
    grid = plan.grid
    if grid is None:
        raise file_error(plan.source, None, "the job file has no [grid] to draw")
    files = {item.cell: outputs.get(item.id) for item in plan.items if item.cell is not None}
    cell = _cell_size([p for p in files.values() if p is not None], cell_max)
    font = _font(max(14, round(min(cell) / 16)))
    columns, rows, layers = grid.shape
    sheets, used = [], set()
    for z in range(layers):
        title = grid.z.labels[z] if grid.z else None
        suffix = _slug(title) if title else ""
        if suffix in used:
            suffix = f"{suffix}-{z + 1}"
        used.add(suffix)
        row_labels = grid.y.labels if grid.y else None
        sheet = _Sheet(cell, font, grid.x.labels, row_labels, title)
        for y in range(rows):
            for x in range(columns):
                sheet.paste(x, y, _tile(files.get((x, y, z)), cell, font))
        sheets.append((suffix, sheet.image))
    return sheets


class _Sheet:
    """The canvas: an optional title, column labels, row labels, then the cells."""

    def __init__(
        self, cell: tuple[int, int], font: Font, columns: tuple[str, ...],
        rows: tuple[str, ...] | None, title: str | None,
    ) -> None:  # fmt: skip
        self.cell, self.font = cell, font
        probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
        self.line_height = _line_height(font)
        self.pad = self.line_height // 3
        width, height = cell
        wrapped_columns = [_wrap(probe, t, font, width - 2 * self.pad, 3) for t in columns]
        self.left = 0
        if rows:
            widest = max(probe.textlength(t, font=font) for t in rows)
            self.left = int(
                min(max(widest, 4 * self.line_height), max(width, 10 * self.line_height))
            )
            self.left += 2 * self.pad
        self.title_height = self.line_height + 2 * self.pad if title else 0
        band = max(len(lines) for lines in wrapped_columns) * self.line_height + 2 * self.pad
        self.top = self.title_height + band
        count = len(rows) if rows else 1
        size = (self.left + len(columns) * width, self.top + count * height)
        self.image = Image.new("RGB", size, WHITE)
        draw = ImageDraw.Draw(self.image)
        if title:
            self._text(draw, [title], (0, 0, size[0], self.title_height))
        for n, lines in enumerate(wrapped_columns):
            x0 = self.left + n * width
            self._text(draw, lines, (x0, self.title_height, x0 + width, self.top))
        for n, label in enumerate(rows or ()):
            y0 = self.top + n * height
            max_lines = max(1, (height - 2 * self.pad) // self.line_height)
            lines = _wrap(draw, label, font, self.left - 2 * self.pad, max_lines)
            self._text(draw, lines, (0, y0, self.left, y0 + height))

    def _text(self, draw: ImageDraw.ImageDraw, lines: list[str], box: tuple[int, ...]) -> None:
        _centred(draw, lines, self.font, box, self.line_height, INK)

    def paste(self, x: int, y: int, tile: Image.Image) -> None:
        self.image.paste(tile, (self.left + x * self.cell[0], self.top + y * self.cell[1]))


def _tile(path: Path | None, cell: tuple[int, int], font: Font) -> Image.Image:
    if path is None or not Path(path).is_file():
        return _message_tile("failed", cell, font, FAILED, WHITE)
    path = Path(path)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        try:
            with Image.open(path) as image:
                picture = ImageOps.contain(image.convert("RGB"), cell)
        except (OSError, UnidentifiedImageError, ValueError):
            pass  # unreadable: show its name like any other file
        else:
            tile = Image.new("RGB", cell, WHITE)
            tile.paste(picture, ((cell[0] - picture.width) // 2, (cell[1] - picture.height) // 2))
            return tile
    return _message_tile(path.name, cell, font, OTHER, INK)


def _message_tile(
    text: str, cell: tuple[int, int], font: Font, fill: tuple[int, ...], ink: tuple[int, ...]
) -> Image.Image:
    tile = Image.new("RGB", cell, fill)
    draw = ImageDraw.Draw(tile)
    height = _line_height(font)
    lines = _wrap(draw, text, font, cell[0] - height, max(1, cell[1] // height - 1))
    _centred(draw, lines, font, (0, 0, *cell), height, ink)
    return tile


def _cell_size(paths: list[Path], cell_max: int) -> tuple[int, int]:
    """The largest output's size, shrunk to fit cell_max; 256 x 256 when there is none."""
    width = height = 0
    for path in paths:
        if Path(path).suffix.lower() in IMAGE_SUFFIXES:
            try:
                with Image.open(path) as image:  # reads the header only
                    width, height = max(width, image.width), max(height, image.height)
            except (OSError, UnidentifiedImageError, ValueError):
                continue
    if not width:
        return (256, 256)
    scale = min(1.0, cell_max / max(width, height))
    return (max(32, round(width * scale)), max(32, round(height * scale)))


def _font(size: int) -> Font:
    try:
        return ImageFont.load_default(size=size)
    except (ImportError, OSError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def _line_height(font: Font) -> int:
    box = font.getbbox("Ag|")
    return int(box[3] - box[1]) + max(2, int(box[3] - box[1]) // 3)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: Font, width: int, max_lines: int
) -> list[str]:
    """Words wrapped to `width`; too long or too many lines end in "..."."""
    lines: list[str] = []
    for word in text.split() or [""]:
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(joined, font=font) <= width:
            lines[-1] = joined
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1] + "..."]
    return [_fit(draw, line, font, width) for line in lines]


def _fit(draw: ImageDraw.ImageDraw, line: str, font: Font, width: int) -> str:
    if draw.textlength(line, font=font) <= width:
        return line
    while len(line) > 1 and draw.textlength(line + "...", font=font) > width:
        line = line[:-1]
    return line.rstrip() + "..."


def _centred(
    draw: ImageDraw.ImageDraw, lines: list[str], font: Font, box: tuple[int, ...],
    line_height: int, ink: tuple[int, ...],
) -> None:  # fmt: skip
    x0, y0, x1, y1 = box
    top = y0 + (y1 - y0 - len(lines) * line_height) // 2
    for n, line in enumerate(lines):
        x = x0 + (x1 - x0 - draw.textlength(line, font=font)) / 2
        draw.text((x, top + n * line_height), line, font=font, fill=ink)


def _slug(label: str) -> str:
    """A label as part of a file name: "sampler=Euler a" -> "sampler=Euler_a"."""
    return re.sub(r"[^A-Za-z0-9=._+-]+", "_", label).strip("_.")[:80] or "z"
