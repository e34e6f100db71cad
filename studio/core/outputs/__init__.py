"""Outputs: file naming, atomic writes, and the metadata every output carries."""
