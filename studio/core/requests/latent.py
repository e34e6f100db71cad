"""Unconditional image generation and latent walks (the StyleGAN-style exploration row)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from studio.core.errors import ValidationError
from studio.core.requests.base import Request
from studio.core.requests.checks import check_float, check_int, check_text
from studio.core.requests.image import (
    MAX_BATCH_COUNT,
    MAX_BATCH_SIZE,
    MAX_SEED,
    MAX_SIZE,
    MAX_STEPS,
    MIN_SIZE,
)
from studio.core.requests.samplers import DEFAULT_SAMPLER, canonical_sampler

MAX_KEYFRAMES = 64
MAX_FRAMES_BETWEEN = 240


def _check_sampler(sampler: object) -> str:
    name = canonical_sampler(sampler) if isinstance(sampler, str) else None
    if name is None:
        raise ValidationError(f"unknown sampler {sampler!r}")
    return name


@dataclass(frozen=True)
class UnconditionalRequest(Request):
    """Images from an unconditional model (DDPM, DDIM, latent diffusion): no prompt."""

    TYPE: ClassVar[str] = "unconditional"

    model: str
    steps: int = 50
    seed: int = -1
    batch_size: int = 1
    batch_count: int = 1
    sampler: str = DEFAULT_SAMPLER
    eta: float = 0.0  # DDIM's noise: 0 is deterministic

    def __post_init__(self) -> None:
        if not check_text("model", self.model, 4096).strip():
            raise ValidationError("model must name a model (got an empty string)")
        check_int("steps", self.steps, 1, MAX_STEPS)
        check_int("seed", self.seed, -1, MAX_SEED)
        check_int("batch_size", self.batch_size, 1, MAX_BATCH_SIZE)
        check_int("batch_count", self.batch_count, 1, MAX_BATCH_COUNT)
        object.__setattr__(self, "eta", check_float("eta", self.eta, 0, 1))
        object.__setattr__(self, "sampler", _check_sampler(self.sampler))

    def search_text(self) -> str:
        return "unconditional"

    @property
    def image_count(self) -> int:
        return self.batch_size * self.batch_count


@dataclass(frozen=True)
class LatentWalkRequest(Request):
    """Frames along a spherical path through noise between seeds (and prompts, when given).

    Keyframe k uses seeds[k] (and prompts[k]); `frames_between` frames are interpolated
    between neighbours; `loop` also walks from the last keyframe back to the first.
    """

    TYPE: ClassVar[str] = "walk"

    model: str
    seeds: tuple[int, ...]
    prompts: tuple[str, ...] = ()  # one per keyframe, or one for all, or none (unconditional)
    negative_prompt: str = ""
    frames_between: int = 8
    loop: bool = False
    width: int = 512
    height: int = 512
    steps: int = 25
    guidance: float = 7.0
    sampler: str = DEFAULT_SAMPLER
    fps: int = 8

    def __post_init__(self) -> None:
        if not check_text("model", self.model, 4096).strip():
            raise ValidationError("model must name a model (got an empty string)")
        seeds = tuple(check_int("seed", s, 0, MAX_SEED) for s in self.seeds)
        prompts = tuple(check_text("prompt", p, 20_000) for p in self.prompts)
        keyframes = max(len(seeds), len(prompts))
        if keyframes < 2:
            raise ValidationError("a walk needs at least two seeds or two prompts")
        if keyframes > MAX_KEYFRAMES:
            raise ValidationError(
                f"a walk takes at most {MAX_KEYFRAMES} keyframes (got {keyframes})"
            )
        if len(seeds) not in (1, keyframes) or len(prompts) not in (0, 1, keyframes):
            raise ValidationError(
                f"give one seed or {keyframes}, and no prompt, one prompt or {keyframes} "
                f"(got {len(seeds)} seeds and {len(prompts)} prompts)"
            )
        object.__setattr__(self, "seeds", seeds)
        object.__setattr__(self, "prompts", prompts)
        check_text("negative_prompt", self.negative_prompt, 20_000)
        check_int("frames_between", self.frames_between, 0, MAX_FRAMES_BETWEEN)
        if not isinstance(self.loop, bool):
            raise ValidationError(f"loop must be true or false (got {self.loop!r})")
        for name in ("width", "height"):
            if check_int(name, getattr(self, name), MIN_SIZE, MAX_SIZE) % 8:
                raise ValidationError(f"{name} must be a multiple of 8 (got {getattr(self, name)})")
        check_int("steps", self.steps, 1, MAX_STEPS)
        object.__setattr__(self, "guidance", check_float("guidance", self.guidance, 0, 100))
        object.__setattr__(self, "sampler", _check_sampler(self.sampler))
        check_int("fps", self.fps, 1, 60)

    @property
    def keyframes(self) -> int:
        return max(len(self.seeds), len(self.prompts))

    @property
    def frame_count(self) -> int:
        segments = self.keyframes if self.loop else self.keyframes - 1
        return segments * (self.frames_between + 1) + (0 if self.loop else 1)

    def seed_at(self, key: int) -> int:
        return self.seeds[key % len(self.seeds)]  # one seed: the same noise, prompts vary

    def prompt_at(self, key: int) -> str:
        return self.prompts[key % len(self.prompts)] if self.prompts else ""

    def frame_plan(self) -> list[tuple[int, int, float]]:
        """(keyframe a, keyframe b, t) for every frame: t=0 is a, t->1 approaches b."""
        segments = self.keyframes if self.loop else self.keyframes - 1
        steps = self.frames_between + 1
        plan = [
            (k, (k + 1) % self.keyframes, j / steps) for k in range(segments) for j in range(steps)
        ]
        if not self.loop:
            plan.append((self.keyframes - 1, self.keyframes - 1, 0.0))
        return plan

    def search_text(self) -> str:
        return " / ".join(self.prompts) or "latent walk"
