"""The image engine: text-to-image, image-to-image and inpainting over diffusers."""

from studio.engines.image.engine import ImageEngine

__all__ = ["ImageEngine"]
