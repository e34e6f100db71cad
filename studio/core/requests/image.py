"""ImageRequest: text-to-image, image-to-image and inpainting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from studio.core.errors import ValidationError
from studio.core.requests.base import Request
from studio.core.requests.checks import check_choice, check_float, check_int, check_text
from studio.core.requests.samplers import DEFAULT_SAMPLER, SAMPLER_NAMES, canonical_sampler

ImageMode = Literal["txt2img", "img2img", "inpaint"]
IMAGE_MODES: tuple[str, ...] = ("txt2img", "img2img", "inpaint")

MIN_SIZE, MAX_SIZE = 64, 4096
MAX_STEPS = 500
MAX_SEED = 2**32 - 1  # A1111's range; -1 means "pick one at random"
MAX_BATCH_SIZE, MAX_BATCH_COUNT = 64, 10_000
MAX_PROMPT = 20_000
MAX_LORA_WEIGHT = 5.0


@dataclass(frozen=True)
class ImageRequest(Request):
    TYPE: ClassVar[str] = "image"

    model: str
    prompt: str
    negative_prompt: str = ""
    mode: ImageMode = "txt2img"
    width: int = 512
    height: int = 512
    steps: int = 25
    guidance: float = 7.0
    sampler: str = DEFAULT_SAMPLER
    seed: int = -1
    batch_size: int = 1
    batch_count: int = 1
    strength: float = 0.75
    init_image: str | None = None
    mask_image: str | None = None
    # (model reference, weight) pairs; the reference is a catalog id, name or path.
    loras: tuple[tuple[str, float], ...] = ()
    # Textual-inversion references; each file's name is its token in prompts.
    embeddings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_text("model", self.model, 4096)
        if not self.model.strip():
            raise ValidationError("model must name a model (got an empty string)")
        check_text("prompt", self.prompt, MAX_PROMPT)
        check_text("negative_prompt", self.negative_prompt, MAX_PROMPT)
        check_choice("mode", self.mode, IMAGE_MODES)
        for name in ("width", "height"):
            value = check_int(name, getattr(self, name), MIN_SIZE, MAX_SIZE)
            if value % 8:
                raise ValidationError(f"{name} must be a multiple of 8 (got {value})")
        check_int("steps", self.steps, 1, MAX_STEPS)
        object.__setattr__(self, "guidance", check_float("guidance", self.guidance, 0, 100))
        check_int("seed", self.seed, -1, MAX_SEED)
        check_int("batch_size", self.batch_size, 1, MAX_BATCH_SIZE)
        check_int("batch_count", self.batch_count, 1, MAX_BATCH_COUNT)
        strength = check_float("strength", self.strength, 0, 1, low_open=True)
        object.__setattr__(self, "strength", strength)
        self._check_sampler()
        self._check_images()
        self._check_adapters()

    def _check_sampler(self) -> None:
        if not isinstance(self.sampler, str) or canonical_sampler(self.sampler) is None:
            raise ValidationError(
                f"unknown sampler {self.sampler!r}; known samplers: {', '.join(SAMPLER_NAMES)}"
            )
        object.__setattr__(self, "sampler", canonical_sampler(self.sampler))

    def _check_images(self) -> None:
        for name in ("init_image", "mask_image"):
            value = getattr(self, name)
            if value is not None:
                check_text(name, value, 4096)
        if self.mode == "txt2img" and (self.init_image or self.mask_image):
            raise ValidationError("txt2img takes no init image or mask (use img2img or inpaint)")
        if self.mode in ("img2img", "inpaint") and not self.init_image:
            raise ValidationError(f"{self.mode} needs an init image")
        if self.mode == "inpaint" and not self.mask_image:
            raise ValidationError("inpaint needs a mask image")
        if self.mode == "img2img" and self.mask_image:
            raise ValidationError("a mask needs inpaint mode, not img2img")

    def _check_adapters(self) -> None:
        if not isinstance(self.loras, list | tuple) or not isinstance(
            self.embeddings, list | tuple
        ):
            raise ValidationError("loras and embeddings must be lists")
        loras = []
        for item in self.loras:
            if not isinstance(item, list | tuple) or len(item) != 2:
                raise ValidationError(f"each LoRA must be [model, weight] (got {item!r})")
            ref = check_text("LoRA model", item[0], 4096)
            loras.append(
                (
                    ref,
                    check_float(
                        f"weight of LoRA {ref}", item[1], -MAX_LORA_WEIGHT, MAX_LORA_WEIGHT
                    ),
                )
            )
        object.__setattr__(self, "loras", tuple(loras))
        embeddings = tuple(check_text("embedding", e, 4096) for e in self.embeddings)
        object.__setattr__(self, "embeddings", embeddings)

    @property
    def image_count(self) -> int:
        return self.batch_size * self.batch_count

    def seed_for(self, index: int, base_seed: int) -> int:
        """The seed of image `index` (0-based), A1111-style: base seed + index."""
        return (base_seed + index) % (MAX_SEED + 1)
