"""Generative Studio: run generative models locally, offline, in one desktop studio."""

__version__ = "0.1.0"
