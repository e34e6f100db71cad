"""Tiny untrained demo models, built from config on this computer in seconds, offline.

Tests use them to run the real loading and generation code; a first run with no models
gets one per task (install.py). Their outputs are noise: they are untrained. The
builders import torch/diffusers/transformers inside functions, so importing a module
here stays cheap.
"""

DEMO_NOTE = "Untrained demo model built from config: its outputs are noise."
