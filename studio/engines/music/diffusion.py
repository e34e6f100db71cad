"""Diffusers audio pipelines: AudioLDM 2, AudioLDM, MusicLDM, Stable Audio.

These pipelines only take the old `callback(step, timestep, latents)` with
`callback_steps`; cancel is a raise inside it (nothing is decoded after that).
One window only: they make what length they make (Stable Audio up to its maximum).
"""

from __future__ import annotations

import inspect
import time
import types
import warnings
from typing import Any

import numpy as np
import torch

from studio.core.errors import Cancelled, ModelError, ValidationError, one_line
from studio.core.requests.audio import MusicRequest
from studio.engines.contract import CancelledFn, ProgressFn
from studio.engines.devices import dtype_name, resolve_device, resolve_dtype
from studio.engines.music.clip import AudioClip, ClipEngine, finished_clip
from studio.engines.resident import ResidentModel, SpecNamed
from studio.models.loading.quiet import quiet_hf_libraries
from studio.models.spec import ModelSpec

_LOAD_ERRORS = (OSError, ValueError, KeyError, RuntimeError, TypeError, ImportError)


class DiffusionMusicEngine(ClipEngine, ResidentModel, SpecNamed):
    """One loaded diffusers text-to-audio pipeline on one device."""

    WEIGHTS = "pipe"

    def __init__(self, spec: ModelSpec, pipe: Any, device: torch.device) -> None:
        self.spec, self.pipe, self.device = spec, pipe, device
        self.pipeline_class = type(pipe).__name__
        vocoder = getattr(pipe, "vocoder", None)
        if vocoder is not None:  # AudioLDM family: mel spectrogram -> HiFi-GAN, mono
            self.sample_rate, self.channels = int(vocoder.config.sampling_rate), 1
        else:  # Stable Audio: the VAE decodes waveforms directly
            self.sample_rate = int(pipe.vae.config.sampling_rate)
            self.channels = int(pipe.vae.config.audio_channels)
        self._accepted = inspect.signature(pipe.__call__).parameters

    @classmethod
    def load(
        cls, spec: ModelSpec, device: str = "auto", precision: str = "auto"
    ) -> DiffusionMusicEngine:
        quiet_hf_libraries()
        from diffusers import DiffusionPipeline

        torch_device = resolve_device(device)
        dtype = resolve_dtype(torch_device, precision, spec.family)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)  # torch's weight_norm notice
                pipe = DiffusionPipeline.from_pretrained(
                    spec.path, dtype=dtype, local_files_only=True,
                    use_safetensors=None if spec.allow_pickle else True,
                )  # fmt: skip
        except _LOAD_ERRORS as exc:
            line = one_line(exc)
            if "torchsde" in line:
                line = "its scheduler needs the torchsde package, which is not installed"
            raise ModelError(f"cannot load {spec.name} ({spec.family}): {line}") from None
        _patch_language_model(pipe)
        pipe.set_progress_bar_config(disable=True)
        return cls(spec, pipe.to(torch_device), torch_device)

    def check(self, request: MusicRequest) -> None:
        if request.melody or request.continue_from:
            what = "melody conditioning" if request.melody else "continuing a clip"
            raise ValidationError(f"{self.name} ({self.pipeline_class}) cannot do {what}")
        if not request.prompt.strip():
            raise ValidationError(f"{self.name} needs a prompt")
        if request.negative_prompt and "negative_prompt" not in self._accepted:
            raise ValidationError(f"{self.name} ({self.pipeline_class}) takes no negative prompt")

    def _clip(
        self, request: MusicRequest, seed: int, progress: ProgressFn, cancelled: CancelledFn
    ) -> AudioClip:
        steps = request.steps

        def callback(step: int, timestep: Any, latents: Any) -> None:
            if cancelled():
                raise Cancelled()  # aborts at once; nothing is decoded
            progress(min(step + 1, steps), steps)

        kwargs: dict[str, Any] = {
            "prompt": request.prompt, "num_inference_steps": steps,
            "guidance_scale": request.guidance, "callback": callback, "callback_steps": 1,
            "generator": torch.Generator("cpu").manual_seed(seed), "output_type": "np",
        }  # fmt: skip
        if request.negative_prompt:
            kwargs["negative_prompt"] = request.negative_prompt
        length = "audio_length_in_s" if "audio_length_in_s" in self._accepted else "audio_end_in_s"
        kwargs[length] = request.seconds
        started = time.perf_counter()
        try:
            with torch.inference_mode(), warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)  # transformers' cache deprecations
                audios = self.pipe(**kwargs).audios
        except ValueError as exc:  # e.g. longer than Stable Audio's maximum
            raise ValidationError(f"{self.name}: {one_line(exc)}") from None
        audio = np.asarray(audios[0], dtype=np.float32)  # (samples,) or (channels, samples)
        run = {
            "device": str(self.device), "dtype": dtype_name(self.pipe.dtype),
            "pipeline": self.pipeline_class, "steps": steps,
            "seconds": round(time.perf_counter() - started, 3),
        }  # fmt: skip
        return finished_clip(audio, self.sample_rate, seed, self.name, run)


def _patch_language_model(pipe: Any) -> None:
    """AudioLDM 2 drives its GPT2Model language model with GenerationMixin helpers that
    transformers 5 only gives to generative heads (diffusers issue #12630). Lend the
    one it calls to this instance; a model that has it is left alone."""
    model = getattr(pipe, "language_model", None)
    if model is None or hasattr(model, "_update_model_kwargs_for_generation"):
        return
    from transformers import GenerationMixin

    model._update_model_kwargs_for_generation = types.MethodType(
        GenerationMixin._update_model_kwargs_for_generation, model
    )
