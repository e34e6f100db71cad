"""PNG encoding with the studio's metadata: A1111 parameters, full record JSON, XMP label."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from studio.core.outputs.record import GENERATOR, STUDIO_KEY, OutputRecord
from studio.core.outputs.xmp import XMP_KEY, source_type, xmp_packet
from studio.core.requests import ImageRequest

if TYPE_CHECKING:
    from PIL import Image


def png_bytes(image: Image.Image, record: OutputRecord, *, strip_metadata: bool = False) -> bytes:
    """Encode `image` as PNG carrying every piece of metadata `record` holds.

    `strip_metadata` (the privacy setting) keeps only the AI label: the XMP packet with
    its DigitalSourceType and creator tool, without prompt, parameters or date.
    """
    from PIL.PngImagePlugin import PngInfo

    request = record.request
    edited = isinstance(request, ImageRequest) and request.mode != "txt2img"
    info = PngInfo()
    if not strip_metadata:
        # add_text writes tEXt when the text is latin-1 and iTXt otherwise, as A1111 does.
        info.add_text("parameters", record.a1111_parameters(image.size))
        info.add_itxt(STUDIO_KEY, record.to_json())
    description = "AI-generated image" + (" (edited from a source image)" if edited else "")
    created = "" if strip_metadata else record.created
    info.add_itxt(XMP_KEY, xmp_packet(source_type(edited), GENERATOR, created, description))
    if not strip_metadata:
        info.add_text("Software", GENERATOR)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info, compress_level=4)
    return buffer.getvalue()
