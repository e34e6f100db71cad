"""OutputRecord: what the studio knows about one output, and how it is written down."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from studio import __version__
from studio.core.outputs.a1111 import format_number, format_parameters
from studio.core.requests import ImageRequest
from studio.core.requests.base import Request, request_from_dict

STUDIO_KEY = "generative-studio"
GENERATOR = f"Generative Studio {__version__}"


@dataclass(frozen=True)
class OutputRecord:
    """One output's provenance: the request, the seed it used, the model and run facts."""

    request: Request
    seed: int
    index: int = 0  # position within the request (0-based)
    model_name: str = ""
    model_hash: str | None = None  # A1111 short hash: first 10 hex of the file sha256
    sampler: str | None = None  # the sampler actually used (resolves "Default")
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    run: dict[str, Any] = field(default_factory=dict)  # device, dtype, timings, ...

    def to_dict(self) -> dict[str, Any]:
        return {
            "generator": GENERATOR,
            "request": self.request.to_dict(),
            "seed": self.seed,
            "index": self.index,
            "model_name": self.model_name,
            "model_hash": self.model_hash,
            "sampler": self.sampler,
            "created": self.created,
            "run": self.run,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutputRecord:
        return cls(
            request=request_from_dict(data["request"]),
            seed=int(data["seed"]),
            index=int(data.get("index", 0)),
            model_name=str(data.get("model_name", "")),
            model_hash=data.get("model_hash"),
            sampler=data.get("sampler"),
            created=str(data.get("created", "")),
            run=dict(data.get("run") or {}),
        )

    def a1111_parameters(self, size: tuple[int, int] | None = None) -> str:
        """A1111's `parameters` text; `size` is needed for requests that do not fix it."""
        request = self.request
        image = request if isinstance(request, ImageRequest) else None
        width, height = (image.width, image.height) if image else (size or (0, 0))
        params: dict[str, object] = {
            "Steps": getattr(request, "steps", None),
            "Sampler": self.sampler or getattr(request, "sampler", None),
            "CFG scale": format_number(image.guidance) if image else None,
            "Seed": self.seed,
            "Size": f"{width}x{height}" if width else None,
            "Model hash": self.model_hash,
            "Model": self.model_name or None,
            # A1111 writes a point between two seeds' noise (our walk frames) this way.
            "Variation seed": self.run.get("variation_seed"),
            "Variation seed strength": self.run.get("variation_strength"),
            "Denoising strength": (
                format_number(image.strength) if image and image.mode != "txt2img" else None
            ),
            "Batch size": image.batch_size if image and image.batch_size > 1 else None,
            "Batch pos": self.index % image.batch_size if image and image.batch_size > 1 else None,
            "Version": GENERATOR,
        }
        # A1111 keeps LoRAs in the prompt as <lora:name:weight>; tools read them from there.
        tags = "".join(f" <lora:{a['name']}:{a['weight']:g}>" for a in self.run.get("loras", []))
        prompt = getattr(request, "prompt", "")
        return format_parameters(prompt + tags, getattr(request, "negative_prompt", ""), params)


def sidecar_json(record: OutputRecord) -> str:
    """The record plus the IPTC AI label, for outputs that carry no metadata of their own."""
    from studio.core.outputs.xmp import TRAINED_ALGORITHMIC

    data = {"ai_generated": True, "digital_source_type": TRAINED_ALGORITHMIC, **record.to_dict()}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
