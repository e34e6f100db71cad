"""Load a model ahead of its first job (the Models dock's Load), through the same model
cache the jobs use, so the first generation starts at once."""

from __future__ import annotations

from studio.core.errors import ModelError
from studio.core.modalities import MODALITIES
from studio.core.settings import load_settings
from studio.models.catalog import ModelCatalog
from studio.runtime.loaded_models import load_engine


def preload_task(model_task: str) -> str | None:
    """The task whose engine a model of catalog task `model_task` is loaded for: the
    first registered task that runs such models (an unconditional model: "unconditional")."""
    return next((m.name for m in MODALITIES if model_task in m.model_tasks), None)


def preload_model(model: str, catalog: ModelCatalog) -> str:
    """Load `model` (catalog id, name or path) on the settings' device; returns its name."""
    entry = catalog.find(model)
    task = preload_task(entry.task)
    if task is None or entry.task == "unknown":
        raise ModelError(
            f"{entry.name} is {entry.task or 'an unknown kind of'} model: not loadable"
        )
    settings = load_settings()
    load_engine(task, str(entry.id), settings.device, settings.precision, catalog)
    return entry.name
