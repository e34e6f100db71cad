"""Typed, validated, versioned requests: everything one generation needs."""

from studio.core.requests.audio import MusicRequest, SpeechRequest
from studio.core.requests.base import request_from_dict, request_from_json
from studio.core.requests.image import ImageMode, ImageRequest
from studio.core.requests.latent import LatentWalkRequest, UnconditionalRequest
from studio.core.requests.samplers import DEFAULT_SAMPLER, SAMPLER_NAMES
from studio.core.requests.text import CodeRequest, Message, TextRequest
from studio.core.requests.translate import TranslateRequest

__all__ = [
    "DEFAULT_SAMPLER",
    "SAMPLER_NAMES",
    "CodeRequest",
    "ImageMode",
    "ImageRequest",
    "LatentWalkRequest",
    "Message",
    "MusicRequest",
    "SpeechRequest",
    "TextRequest",
    "TranslateRequest",
    "UnconditionalRequest",
    "request_from_dict",
    "request_from_json",
]
