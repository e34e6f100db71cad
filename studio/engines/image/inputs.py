"""Init images and masks: read, checked against each other, sized for the request."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from studio.core.errors import ValidationError
from studio.core.requests import ImageRequest


def open_image(path: str, what: str, mode: str) -> Image.Image:
    try:
        with Image.open(Path(path)) as image:
            image = ImageOps.exif_transpose(image)
            return image.convert(mode)
    except FileNotFoundError:
        raise ValidationError(f"{what} not found: {path}") from None
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise ValidationError(f"cannot read {what} {path}: {exc}") from None


def load_inputs(request: ImageRequest) -> tuple[Image.Image | None, Image.Image | None]:
    """(init image, mask) resized to the request size; mask must match the init image."""
    if request.init_image is None:
        return None, None
    init = open_image(request.init_image, "init image", "RGB")
    mask = open_image(request.mask_image, "mask", "L") if request.mask_image else None
    if mask is not None and mask.size != init.size:
        raise ValidationError(
            f"mask is {mask.width}x{mask.height} but the init image is "
            f"{init.width}x{init.height}; they must be the same size"
        )
    size = (request.width, request.height)
    if init.size != size:
        init = init.resize(size, Image.Resampling.LANCZOS)
        if mask is not None:
            mask = mask.resize(size, Image.Resampling.NEAREST)
    return init, mask
