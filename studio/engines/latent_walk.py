"""Spherical interpolation through noise: the latent walks of the StyleGAN-style row.

Gaussian noise lives near a sphere; a straight line between two noise tensors passes
through low-norm noise the models never saw, so frames go grey. slerp keeps the norm.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch


def slerp(a: torch.Tensor, b: torch.Tensor, t: float, eps: float = 1e-7) -> torch.Tensor:
    flat_a, flat_b = a.flatten().double(), b.flatten().double()
    cos = torch.dot(flat_a, flat_b) / (flat_a.norm() * flat_b.norm()).clamp_min(eps)
    omega = torch.arccos(cos.clamp(-1.0, 1.0))
    if omega.abs() < 1e-4:  # nearly parallel: a straight line is the same and stable
        mixed = (1 - t) * flat_a + t * flat_b
    else:
        sin = torch.sin(omega)
        mixed = (torch.sin((1 - t) * omega) / sin) * flat_a + (torch.sin(t * omega) / sin) * flat_b
    return mixed.reshape(a.shape).to(a.dtype)


def seed_noise(seed: int, shape: Sequence[int]) -> torch.Tensor:
    """The noise a seed gives on any device: drawn on the CPU, as the image engine does."""
    return torch.randn(tuple(shape), generator=torch.Generator("cpu").manual_seed(seed))


def lerp(a: torch.Tensor, b: torch.Tensor, t: float) -> torch.Tensor:
    return a + (b - a) * t
