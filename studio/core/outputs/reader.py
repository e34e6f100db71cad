"""Restore generation parameters from an image: ours, AUTOMATIC1111's or ComfyUI's."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.errors import StudioError, ValidationError
from studio.core.outputs.a1111 import parse_parameters, parse_size
from studio.core.outputs.comfyui import parse_prompt_graph, sampler_name
from studio.core.outputs.record import STUDIO_KEY, OutputRecord
from studio.core.outputs.xmp import XMP_KEY, read_source_type
from studio.core.requests import ImageRequest
from studio.core.requests.samplers import canonical_sampler

_EXIF_IFD, _USER_COMMENT = 0x8769, 0x9286
_LORA_TAG = re.compile(r"<lora:([^:>]+):(-?[\d.]+)>")


@dataclass
class RestoredParameters:
    """What an image says about how it was made. `fields` are ImageRequest fields."""

    source: str  # "studio", "a1111" or "comfyui"
    fields: dict[str, Any]
    model_name: str | None = None
    model_hash: str | None = None
    record: OutputRecord | None = None  # complete, for our own images
    ai_label: str | None = None  # the XMP DigitalSourceType, when present
    notes: list[str] = field(default_factory=list)  # what could not be mapped

    def to_request(self, model: str | None = None) -> ImageRequest:
        """An ImageRequest, run against `model` (default: the model the image names)."""
        if (
            self.record is not None
            and model is None
            and isinstance(self.record.request, ImageRequest)
        ):
            return self.record.request.replace(seed=self.record.seed)
        chosen = model or self.model_name
        if not chosen:
            raise ValidationError("the image does not name its model; choose one")
        fields = {
            k: v for k, v in self.fields.items() if k not in ("mode", "init_image", "mask_image")
        }
        return ImageRequest(model=chosen, **fields)


def read_parameters(path: Path) -> RestoredParameters:
    """Parameters from the image at `path`; StudioError when it carries none we know."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            info = dict(image.info)
            exif = image.getexif().get_ifd(_EXIF_IFD).get(_USER_COMMENT)
    except (OSError, UnidentifiedImageError) as exc:
        raise StudioError(f"cannot read image {path}: {exc}") from None
    ai_label = read_source_type(str(info[XMP_KEY])) if XMP_KEY in info else None
    restored = _from_chunks(info, exif)
    if restored is None:
        raise StudioError(f"{path.name} carries no generation parameters this studio can read")
    restored.ai_label = ai_label
    return restored


def _from_chunks(info: dict[str, Any], exif_comment: object) -> RestoredParameters | None:
    if STUDIO_KEY in info:
        record = OutputRecord.from_dict(json.loads(info[STUDIO_KEY]))
        fields = {k: v for k, v in record.request.to_dict().items() if k not in ("type", "schema")}
        fields["seed"] = record.seed
        return RestoredParameters(
            "studio", fields, record.model_name, record.model_hash, record=record
        )
    text = info.get("parameters")
    if text is None and exif_comment is not None:
        text = decode_user_comment(exif_comment)
    if isinstance(text, str) and text.strip():
        return from_a1111_text(text)
    if isinstance(info.get("prompt"), str):
        fields = parse_prompt_graph(info["prompt"])
        if fields is not None:
            model = fields.pop("model_name", None)
            return RestoredParameters("comfyui", fields, model)
    return None


def from_a1111_text(text: str) -> RestoredParameters:
    prompt, negative, params = parse_parameters(text)
    loras = tuple((name, float(weight)) for name, weight in _LORA_TAG.findall(prompt))
    prompt = _LORA_TAG.sub("", prompt).strip()
    fields: dict[str, Any] = {"prompt": prompt, "negative_prompt": negative}
    if loras:
        fields["loras"] = loras
    notes: list[str] = []
    converters = {"Steps": ("steps", int), "Seed": ("seed", int), "CFG scale": ("guidance", float),
                  "Denoising strength": ("strength", float)}  # fmt: skip
    for key, (name, convert) in converters.items():
        if key in params:
            try:
                fields[name] = convert(params[key])
            except ValueError:
                notes.append(f"ignored {key}: {params[key]!r}")
    if "Size" in params and (size := parse_size(params["Size"])):
        fields["width"], fields["height"] = size
    if "Sampler" in params:
        name = _a1111_sampler(params["Sampler"], params.get("Schedule type", ""))
        if name:
            fields["sampler"] = name
        else:
            notes.append(f"sampler {params['Sampler']!r} has no equivalent here")
    return RestoredParameters(
        "a1111", fields, params.get("Model"), params.get("Model hash"), notes=notes
    )


def _a1111_sampler(name: str, schedule: str) -> str | None:
    # Newer A1111 writes "DPM++ 2M" + "Schedule type: Karras"; older "DPM++ 2M Karras".
    if schedule.lower() == "karras" and canonical_sampler(f"{name} Karras"):
        return canonical_sampler(f"{name} Karras")
    return canonical_sampler(name) or sampler_name(name.lower(), schedule.lower())


def decode_user_comment(raw: object) -> str | None:
    """EXIF UserComment: an 8-byte charset header, then the text (A1111 writes UTF-16)."""
    if isinstance(raw, str):
        return raw
    if not isinstance(raw, bytes) or len(raw) < 8:
        return None
    header, body = raw[:8], raw[8:]
    if header.startswith(b"UNICODE"):
        # Big-endian per the EXIF spec (and piexif); some writers use little-endian.
        odd_zeros = body[1::2].count(0)
        even_zeros = body[0::2].count(0)
        encoding = "utf-16-le" if odd_zeros > even_zeros else "utf-16-be"
        return body.decode(encoding, errors="replace").rstrip("\x00")
    if header.startswith(b"ASCII"):
        return body.decode("ascii", errors="replace").rstrip("\x00")
    return raw.decode("utf-8", errors="replace").rstrip("\x00")
