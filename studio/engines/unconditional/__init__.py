"""Unconditional image models (DDPM, DDIM, latent diffusion) run step by step."""

from studio.engines.unconditional.engine import UnconditionalEngine

__all__ = ["UnconditionalEngine"]
