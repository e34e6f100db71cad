"""ImageEngine: runs ImageRequests on a loaded diffusers pipeline, batch by batch."""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from studio.core.errors import Cancelled, GenerationError, ModelError, ValidationError
from studio.core.requests import ImageRequest, LatentWalkRequest
from studio.engines.contract import (
    CancelledFn,
    Events,
    GeneratedImage,
    PreviewFn,
    ProgressFn,
    concrete_seed,
    images_or_frames,
    no_progress,
)
from studio.engines.devices import dtype_name, resolve_device, resolve_dtype
from studio.engines.image.inputs import load_inputs
from studio.engines.image.previews import LatentPreviewer, StepPreviews
from studio.engines.image.samplers import make_scheduler, name_of
from studio.engines.resident import ResidentModel
from studio.models.loading.adapters import Adapter, AdapterState
from studio.models.loading.diffusers_pipeline import (
    LoadedPipeline,
    apply_memory_options,
    load_pipeline,
)
from studio.models.spec import ModelSpec, resolve


class ImageEngine(ResidentModel):
    """One loaded image model on one device. Not thread-safe: one worker drives it."""

    WEIGHTS = "loaded.pipe"

    def __init__(self, loaded: LoadedPipeline) -> None:
        self.loaded = loaded
        # The contract's identity fields, as the pipeline was loaded.
        self.name, self.path, self.family = loaded.name, loaded.path, loaded.family
        self.device, self.dtype = loaded.device, loaded.dtype
        self._default_scheduler = loaded.pipe.scheduler
        self.memory_options: list[str] = []
        self.adapters = AdapterState(loaded)
        # How LoRA/embedding references become files; the runtime swaps in a catalog lookup.
        self.resolver: Callable[[str], ModelSpec] = resolve

    @classmethod
    def load(
        cls, model: str | Path | ModelSpec, device: str = "auto", precision: str = "auto"
    ) -> ImageEngine:
        """Load a pipeline folder or a single-file checkpoint, by spec or by path."""
        spec = model if isinstance(model, ModelSpec) else resolve(str(model))
        if spec.kind in ("lora", "embedding", "vae", "peft"):
            raise ModelError(f"{spec.name} is a {spec.kind}, not a model to generate with")
        if spec.path.is_file() and (spec.kind != "checkpoint" or spec.task != "image"):
            raise ModelError(f"{spec.path.name} is not an image checkpoint ({spec.reason})")
        torch_device = resolve_device(device)
        dtype = resolve_dtype(torch_device, precision, spec.family)
        if spec.kind == "checkpoint":
            from studio.models.loading.single_file import load_single_file_pipeline

            loaded = load_single_file_pipeline(
                spec.path, spec.family, torch_device, dtype, spec.config_dirs, spec.allow_pickle
            )
        else:
            loaded = load_pipeline(spec.path, torch_device, dtype, allow_pickle=spec.allow_pickle)
        engine = cls(loaded)
        engine.memory_options = apply_memory_options(loaded, spec.options)
        return engine

    def use_memory_options(self, options: dict[str, Any]) -> list[str]:
        """Turn on memory savers (VAE tiling, CPU offload, ...); returns those applied."""
        return apply_memory_options(self.loaded, options)

    def release(self) -> None:
        self.loaded._modes.clear()  # img2img/inpaint pipelines share the same weights
        super().release()

    def run(self, request: ImageRequest | LatentWalkRequest, events: Events) -> Iterator[Any]:
        """The engine contract: each image as its batch completes, or a walk's frames."""
        return images_or_frames(self, request, events, lambda: self.iter_batches(
            request, events.progress, events.cancelled, events.preview))  # type: ignore[arg-type]  # fmt: skip

    def images(
        self, request: ImageRequest, progress: ProgressFn = no_progress,
        cancelled: CancelledFn = lambda: False, preview: PreviewFn | None = None,
        preview_every: int = 5, tiny_vae: Path | None = None,
    ) -> list[GeneratedImage]:  # fmt: skip
        batches = self.iter_batches(request, progress, cancelled, preview, preview_every, tiny_vae)
        return [image for batch in batches for image in batch]

    def iter_batches(
        self, request: ImageRequest, progress: ProgressFn = no_progress,
        cancelled: CancelledFn = lambda: False, preview: PreviewFn | None = None,
        preview_every: int = 5, tiny_vae: Path | None = None,
    ) -> Iterator[list[GeneratedImage]]:  # fmt: skip
        """Yield each batch's images as it completes; raise Cancelled between or within steps.

        A batch cancelled part-way is discarded whole: nothing half-denoised is returned.
        `preview(image, done, total)` gets a small image of the latents every `preview_every`
        steps (never a batch's last): a linear approximation, or TAESD when `tiny_vae` names
        an AutoencoderTiny folder. A failing preview is logged and skipped, never raised.
        """
        if preview is not None and preview_every < 1:
            raise ValidationError(f"preview_every must be at least 1, not {preview_every}")
        pipe = self.loaded.for_mode(request.mode)
        pipe.scheduler = make_scheduler(request.sampler, self._default_scheduler)
        adapters = self._apply_adapters(request)
        sampler = name_of(pipe.scheduler)
        init, mask = load_inputs(request)
        base_seed = concrete_seed(request.seed)
        kwargs = self._call_kwargs(pipe, request, init, mask)
        previews: StepPreviews | None = None
        extra: dict[str, Any] = {}
        if preview is not None:
            aspect = request.height / request.width  # unpacks Flux's packed latents
            previewer = LatentPreviewer(self.loaded.family, tiny_vae, aspect)
            previews = StepPreviews(preview, previewer, preview_every)
            extra = {"callback_on_step_end_tensor_inputs": ["latents"]}  # the default; be sure
        steps = _StepCallback(progress, cancelled, request.batch_count, previews)
        for batch in range(request.batch_count):
            if cancelled():
                raise Cancelled()
            first = batch * request.batch_size
            seeds = [request.seed_for(first + i, base_seed) for i in range(request.batch_size)]
            started = time.perf_counter()
            with torch.inference_mode():
                result = pipe(
                    **kwargs,
                    generator=[torch.Generator("cpu").manual_seed(s) for s in seeds],
                    callback_on_step_end=steps,
                    **extra,
                )
            steps.batch_done()
            run = self._run_facts((time.perf_counter() - started) / request.batch_size)
            if adapters:
                run["loras"] = adapters
            yield [
                GeneratedImage(_to_pil(array, self.name), seed, first + i, sampler, dict(run))
                for i, (array, seed) in enumerate(zip(result.images, seeds, strict=True))
            ]

    def _apply_adapters(self, request: ImageRequest) -> list[dict[str, Any]]:
        """Activate exactly the request's LoRAs (with weights) and load its embeddings."""
        loras = [self._adapter(ref, weight, "lora") for ref, weight in request.loras]
        self.adapters.activate_loras(loras)
        self.adapters.load_embeddings(
            [self._adapter(ref, 1.0, "embedding") for ref in request.embeddings]
        )
        return [{"name": a.name, "weight": a.weight} for a in loras]

    def _adapter(self, ref: str, weight: float, kind: str) -> Adapter:
        spec = self.resolver(ref)
        if spec.kind != kind:
            raise ModelError(
                f"{spec.name} is a {spec.kind}, not a {'LoRA' if kind == 'lora' else kind}"
            )
        return Adapter(spec.path, spec.name, spec.family, weight)

    def _call_kwargs(
        self, pipe: Any, request: ImageRequest, init: Image.Image | None, mask: Image.Image | None
    ) -> dict[str, Any]:
        accepted = inspect.signature(pipe.__call__).parameters
        kwargs: dict[str, Any] = {
            "prompt": request.prompt,
            "num_inference_steps": request.steps,
            "guidance_scale": request.guidance,
            "num_images_per_prompt": request.batch_size,
            "output_type": "np",
        }
        if request.negative_prompt:
            if "negative_prompt" not in accepted:
                raise ValidationError(
                    f"{self.name} ({self.loaded.family}) takes no negative prompt"
                )
            kwargs["negative_prompt"] = request.negative_prompt
        if "width" in accepted:  # img2img takes its size from the init image
            kwargs["width"], kwargs["height"] = request.width, request.height
        if request.mode != "txt2img":
            kwargs["image"], kwargs["strength"] = init, request.strength
        if request.mode == "inpaint":
            kwargs["mask_image"] = mask
        return kwargs

    def _run_facts(self, seconds_per_image: float) -> dict[str, Any]:
        return {
            "device": str(self.loaded.device),
            "dtype": dtype_name(self.loaded.dtype),
            "pipeline": self.loaded.pipeline_class,
            **({"memory_options": self.memory_options} if self.memory_options else {}),
            "seconds": round(seconds_per_image, 3),
        }


class _StepCallback:
    """diffusers' step-end callback: reports progress over all batches, cancels by raising."""

    def __init__(
        self, progress: ProgressFn, cancelled: CancelledFn, batch_count: int,
        previews: StepPreviews | None = None,
    ) -> None:  # fmt: skip
        self.progress, self.cancelled, self.batch_count = progress, cancelled, batch_count
        self.previews = previews
        self.done = 0  # steps finished in earlier batches
        self.per_batch = 0

    def __call__(
        self, pipe: Any, step: int, timestep: Any, tensors: dict[str, Any]
    ) -> dict[str, Any]:
        if self.cancelled():
            # Raising aborts at once; setting pipe._interrupt would still VAE-decode a result.
            raise Cancelled()
        self.per_batch = pipe.num_timesteps  # fewer than `steps` for img2img (strength)
        done, total = self.done + step + 1, self.per_batch * self.batch_count
        self.progress(done, total)
        if self.previews is not None:
            self.previews.after_step(step, self.per_batch, tensors, done, total)
        return tensors

    def batch_done(self) -> None:
        self.done += self.per_batch


def _to_pil(array: np.ndarray, model: str) -> Image.Image:
    if not np.isfinite(array).all():
        raise GenerationError(
            f"{model} produced NaN values (often fp16 overflow in the VAE); try --precision fp32"
        )
    pixels = (np.clip(array, 0.0, 1.0) * 255).round().astype(np.uint8)
    if pixels.max() == 0:
        raise GenerationError(
            f"{model} produced an all-black image (a safety filter or a broken VAE); "
            "try --precision fp32 or another VAE"
        )
    return Image.fromarray(pixels)
