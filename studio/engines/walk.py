"""Latent walks: frames along slerp paths between seeds' noise (and lerps between prompts),
for UNet text-to-image models and unconditional models alike."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from PIL import Image

from studio.core.errors import Cancelled, ValidationError
from studio.core.requests import LatentWalkRequest
from studio.engines.contract import CancelledFn, ProgressFn, no_progress
from studio.engines.image.engine import ImageEngine, _to_pil
from studio.engines.image.samplers import make_scheduler, name_of
from studio.engines.latent_walk import lerp, seed_noise, slerp
from studio.engines.unconditional import UnconditionalEngine

_EMBED_NAMES = ("prompt_embeds", "negative_prompt_embeds", "pooled_prompt_embeds",
                "negative_pooled_prompt_embeds")  # fmt: skip


@dataclass
class WalkFrame:
    index: int
    image: Image.Image
    key_a: int
    key_b: int
    t: float
    sampler: str


def iter_walk(
    engine: ImageEngine | UnconditionalEngine, request: LatentWalkRequest,
    progress: ProgressFn = no_progress, cancelled: CancelledFn = lambda: False,
) -> Iterator[WalkFrame]:  # fmt: skip
    plan = request.frame_plan()
    total = len(plan) * request.steps
    if isinstance(engine, UnconditionalEngine):
        if request.prompts:
            raise ValidationError(f"{engine.name} is unconditional: a walk on it takes no prompts")
        keys = [
            seed_noise(request.seed_at(k), engine.sample_shape) for k in range(request.keyframes)
        ]
        for index, (a, b, t) in enumerate(plan):

            def step(done: int, _n: int, offset: int = index * request.steps) -> None:
                progress(offset + done, total)

            noise = slerp(keys[a], keys[b], t)[None]
            image = engine.sample(noise, request.steps, request.sampler, 0.0, step, cancelled)[0]
            yield WalkFrame(index, image, a, b, t, engine.sampler_name)
        return
    yield from _walk_text_to_image(engine, request, plan, total, progress, cancelled)


def _walk_text_to_image(
    engine: ImageEngine, request: LatentWalkRequest, plan: list[tuple[int, int, float]], total: int,
    progress: ProgressFn, cancelled: CancelledFn,
) -> Iterator[WalkFrame]:  # fmt: skip
    pipe = engine.loaded.pipe
    if not request.prompts:
        raise ValidationError(f"{engine.name} is a text-to-image model: give the walk a prompt")
    unet = getattr(pipe, "unet", None)
    if unet is None:
        raise ValidationError(
            f"latent walks need a UNet model (SD 1.x/2.x/XL); {engine.name} is not one"
        )
    pipe.scheduler = make_scheduler(request.sampler, engine._default_scheduler)
    sampler = name_of(pipe.scheduler)
    scale = pipe.vae_scale_factor
    shape = (1, unet.config.in_channels, request.height // scale, request.width // scale)
    keys = [seed_noise(request.seed_at(k), shape) for k in range(request.keyframes)]
    embeds = _prompt_embeds(pipe, request) if len(set(request.prompts)) > 1 else None
    for index, (a, b, t) in enumerate(plan):
        if cancelled():
            raise Cancelled()

        def on_step(
            pipe: Any, step: int, _t: Any, tensors: dict[str, Any], offset: int = index
        ) -> dict[str, Any]:
            if cancelled():
                raise Cancelled()
            progress(offset * request.steps + step + 1, total)
            return tensors

        kwargs: dict[str, Any] = {
            "latents": slerp(keys[a], keys[b], t).to(engine.loaded.device, engine.loaded.dtype),
            "num_inference_steps": request.steps, "guidance_scale": request.guidance,
            "width": request.width, "height": request.height, "output_type": "np",
            "callback_on_step_end": on_step,
        }  # fmt: skip
        if embeds is None:
            kwargs["prompt"] = request.prompts[0]
            kwargs["negative_prompt"] = request.negative_prompt or None
        else:
            kwargs.update({n: _mix(embeds[a][n], embeds[b][n], t) for n in embeds[a]})
        with torch.inference_mode():
            array = pipe(**kwargs).images[0]
        yield WalkFrame(index, _to_pil(np.asarray(array), engine.name), a, b, t, sampler)


def _prompt_embeds(pipe: Any, request: LatentWalkRequest) -> list[dict[str, Any]]:
    """Each keyframe's prompt encoded once; frames between them mix the embeddings."""
    out = []
    for key in range(request.keyframes):
        with torch.inference_mode():
            encoded = pipe.encode_prompt(
                prompt=request.prompt_at(key), device=pipe.device, num_images_per_prompt=1,
                do_classifier_free_guidance=request.guidance > 1,
                negative_prompt=request.negative_prompt or None,
            )  # fmt: skip
        out.append({n: v for n, v in zip(_EMBED_NAMES, encoded, strict=False) if v is not None})
    return out


def _mix(a: torch.Tensor, b: torch.Tensor, t: float) -> torch.Tensor:
    return lerp(a, b, t) if t else a
