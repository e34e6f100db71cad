"""Loading model files into memory: the only part of studio.models that imports torch."""
