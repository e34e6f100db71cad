"""The Parameters dock and its per-task forms."""

from studio.gui.parameters.dock import ParametersDock

__all__ = ["ParametersDock"]
