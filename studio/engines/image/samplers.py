"""User-facing sampler names -> diffusers schedulers, configured from the model's own."""

from __future__ import annotations

from typing import Any

from studio.core.errors import ValidationError
from studio.core.requests.samplers import DEFAULT_SAMPLER

# name -> (scheduler class, extra config)
SCHEDULERS: dict[str, tuple[str, dict[str, Any]]] = {
    "Euler": ("EulerDiscreteScheduler", {}),
    "Euler a": ("EulerAncestralDiscreteScheduler", {}),
    "Euler Karras": ("EulerDiscreteScheduler", {"use_karras_sigmas": True}),
    "DPM++ 2M": ("DPMSolverMultistepScheduler", {"algorithm_type": "dpmsolver++"}),
    "DPM++ 2M Karras": (
        "DPMSolverMultistepScheduler", {"algorithm_type": "dpmsolver++", "use_karras_sigmas": True},
    ),
    "DPM++ 2M SDE": ("DPMSolverMultistepScheduler", {"algorithm_type": "sde-dpmsolver++"}),
    "DPM++ 2M SDE Karras": (
        "DPMSolverMultistepScheduler", {"algorithm_type": "sde-dpmsolver++", "use_karras_sigmas": True},
    ),
    "DPM2": ("KDPM2DiscreteScheduler", {}),
    "DPM2 a": ("KDPM2AncestralDiscreteScheduler", {}),
    "DDIM": ("DDIMScheduler", {}),
    "DDPM": ("DDPMScheduler", {}),
    "UniPC": ("UniPCMultistepScheduler", {}),
    "LMS": ("LMSDiscreteScheduler", {}),
    "LMS Karras": ("LMSDiscreteScheduler", {"use_karras_sigmas": True}),
    "Heun": ("HeunDiscreteScheduler", {}),
    "PNDM": ("PNDMScheduler", {"skip_prk_steps": True}),  # as Stable Diffusion ships it
    "DEIS": ("DEISMultistepScheduler", {}),
}  # fmt: skip


def name_of(scheduler: Any) -> str:
    """The user-facing name of a scheduler instance (its class name if it has none)."""
    cls = type(scheduler).__name__
    karras = bool(getattr(scheduler.config, "use_karras_sigmas", False))
    algorithm = getattr(scheduler.config, "algorithm_type", None)
    for name, (scheduler_cls, extra) in SCHEDULERS.items():
        if scheduler_cls != cls or bool(extra.get("use_karras_sigmas")) != karras:
            continue
        if "algorithm_type" in extra and extra["algorithm_type"] != algorithm:
            continue
        return name
    return cls.removesuffix("Scheduler")


def is_flow_matching(scheduler: Any) -> bool:
    return "FlowMatch" in type(scheduler).__name__


def make_scheduler(name: str, original: Any) -> Any:
    """A scheduler for sampler `name`, built from the model's own scheduler config."""
    if name == DEFAULT_SAMPLER:
        return original
    if is_flow_matching(original):
        # SD3/Flux sample with flow matching; the noise-prediction samplers do not apply.
        if name == "Euler":
            return original
        raise ValidationError(
            f"sampler {name!r} does not apply to flow-matching models; use Default or Euler"
        )
    import diffusers

    cls_name, extra = SCHEDULERS[name]
    return getattr(diffusers, cls_name).from_config(original.config, **extra)
