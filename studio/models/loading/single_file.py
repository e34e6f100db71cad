"""Load A1111/ComfyUI-style single-file SD checkpoints with local configuration only.

diffusers' `from_single_file` guesses a Hub repository from the checkpoint's keys and
downloads its configs and tokenizers; with `local_files_only=True` and nothing cached
it even retries *online*. Passing `config=<local diffusers folder>` is the only path
that never reaches the Hub, so a config folder is always chosen here: an installed
diffusers model of the same family, else the one shipped in resources/model-configs.
"""

from __future__ import annotations

import pickle
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from studio.core.errors import ModelError, one_line
from studio.core.resources import resources_dir
from studio.models.loading.diffusers_pipeline import LoadedPipeline, family_of, read_model_index
from studio.models.loading.quiet import quiet_hf_libraries

# family -> (label for messages, pipeline class, components its config folder must describe)
FAMILIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "sd1": ("SD 1.x", "StableDiffusionPipeline", ("unet", "vae", "text_encoder", "tokenizer")),
    "sd2": ("SD 2.x", "StableDiffusionPipeline", ("unet", "vae", "text_encoder", "tokenizer")),
    "sdxl": ("SDXL", "StableDiffusionXLPipeline",
             ("unet", "vae", "text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2")),
}  # fmt: skip
# A text-encoder key only that family's checkpoints carry: catches a wrong family early,
# with a clear message instead of a shape error deep inside diffusers.
_MARKERS = {
    "sd1": "cond_stage_model.transformer.text_model.embeddings.position_embedding.weight",
    "sd2": "cond_stage_model.model.token_embedding.weight",
    "sdxl": "conditioner.embedders.1.model.positional_embedding",
}
_UNET_PREFIX = "model.diffusion_model."
PICKLE_SUFFIXES = (".ckpt", ".pt", ".pth")
_SHAPE = re.compile(  # diffusers: "<key> expected shape torch.Size([..]), but got torch.Size([..])"
    r"(\S+) expected shape (?:torch\.Size\()?(\[[^\]]*\])\)?, but got (?:torch\.Size\()?(\[[^\]]*\])"
)
_LIBRARY_ERRORS = (OSError, ValueError, KeyError, RuntimeError, TypeError, IndexError)


def load_single_file_pipeline(
    path: Path, family: str, device: torch.device, dtype: torch.dtype,
    config_dirs: Sequence[Path] = (), allow_pickle: bool = False,
) -> LoadedPipeline:  # fmt: skip
    """Load the checkpoint at `path`. Never reaches the network.

    `config_dirs`: installed diffusers folders of this family, tried in order before the
    shipped configuration. Pickle checkpoints load only with `allow_pickle`, and then
    only their plain tensors (`weights_only=True`).
    """
    if family not in FAMILIES:
        raise ModelError(f"single-file {family} checkpoints are not supported yet (sd1, sd2, sdxl)")
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"model not found: {path}")
    suffix = path.suffix.lower()
    if suffix in PICKLE_SUFFIXES:
        if not allow_pickle:
            raise ModelError(
                f"{path.name} is a pickle checkpoint, which can run code when loaded; refused. "
                "Convert it to .safetensors first, or allow pickle checkpoints (plain tensors only)"
            )
        with tempfile.TemporaryDirectory(prefix="studio-ckpt-", ignore_cleanup_errors=True) as tmp:
            converted = _pickle_to_safetensors(path, Path(tmp) / f"{path.stem}.safetensors")
            # disable_mmap: read into memory so the temporary file can go (Windows too).
            return _load(converted, path, family, device, dtype, config_dirs, disable_mmap=True)
    if suffix != ".safetensors":
        raise ModelError(f"{path.name}: not a .safetensors checkpoint")
    return _load(path, path, family, device, dtype, config_dirs, disable_mmap=False)


def config_source(family: str, config_dirs: Sequence[Path] = ()) -> Path:
    """The diffusers-format folder whose configs and tokenizers describe `family`."""
    label = FAMILIES[family][0]
    for folder in [*config_dirs, resources_dir() / "model-configs" / family]:
        if _usable_config(Path(folder), family):
            return Path(folder)
    raise ModelError(
        f"no configuration for {label} single-file checkpoints: add any {label} model in "
        f"diffusers format to a model folder, or restore resources/model-configs/{family}"
    )


def _usable_config(folder: Path, family: str) -> bool:
    try:
        index = read_model_index(folder)
    except ModelError:
        return False
    if family_of(str(index["_class_name"])) != ("sdxl" if family == "sdxl" else "sd"):
        return False
    return (folder / "scheduler" / "scheduler_config.json").is_file() and all(
        _has_config(folder / component) for component in FAMILIES[family][2]
    )


def _has_config(folder: Path) -> bool:
    if folder.name.startswith("tokenizer"):
        return any(folder.glob("*.json"))
    return (folder / "config.json").is_file()


def _check_keys(path: Path, name: str, family: str) -> None:
    """Read only the header: a corrupt file or a wrong family fails here, in one line."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="pt") as handle:
            keys = set(handle.keys())
    except Exception as exc:  # safetensors raises its own SafetensorError for bad headers
        raise ModelError(f"{name} is not a readable .safetensors file (truncated or corrupt): "
                         f"{_first_line(exc)}") from None  # fmt: skip
    label = FAMILIES[family][0]
    if not any(k.startswith(_UNET_PREFIX) for k in keys):
        raise ModelError(f"{name} is not a full {label} checkpoint (no {_UNET_PREFIX}* weights; "
                         "a LoRA, VAE or embedding?)")  # fmt: skip
    found = [f for f, marker in _MARKERS.items() if marker in keys]
    if family not in found:
        looks = f"it looks like {FAMILIES[found[0]][0]}" if found else "no text encoder found"
        raise ModelError(f"{name} is not an {label} checkpoint ({looks})")


def _load(
    weights: Path, original: Path, family: str, device: torch.device, dtype: torch.dtype,
    config_dirs: Sequence[Path], disable_mmap: bool,
) -> LoadedPipeline:  # fmt: skip
    label, class_name, _ = FAMILIES[family]
    _check_keys(weights, original.name, family)
    config = config_source(family, config_dirs)
    quiet_hf_libraries()  # before diffusers is imported: it warns while importing
    import diffusers
    from diffusers.loaders.single_file_utils import SingleFileComponentError

    extra: dict[str, Any] = {}
    if family != "sdxl":  # single-file checkpoints carry no safety checker
        extra = {
            "safety_checker": None,
            "feature_extractor": None,
            "requires_safety_checker": False,
        }
    try:
        pipe = getattr(diffusers, class_name).from_single_file(
            str(weights), config=str(config), local_files_only=True, dtype=dtype,
            disable_mmap=disable_mmap, **extra,
        )  # fmt: skip
    except (*_LIBRARY_ERRORS, SingleFileComponentError) as exc:
        raise _explain(exc, original.name, label, config) from None
    _refuse_missing_weights(pipe, original.name, label, config)
    try:
        pipe.to(device)
    except (RuntimeError, torch.OutOfMemoryError) as exc:
        raise ModelError(f"cannot move {original.name} to {device}: {_first_line(exc)}") from None
    pipe.set_progress_bar_config(disable=True)
    return LoadedPipeline(original, original.stem, family, class_name, pipe, device, dtype)


def _explain(exc: BaseException, name: str, label: str, config: Path) -> ModelError:
    text = _first_line(exc)
    if shape := _SHAPE.search(text):
        return ModelError(f"{name} does not match the {label} configuration in {config}: "
                          f"{shape[1]} is {shape[3]}, expected {shape[2]}")  # fmt: skip
    if "meta tensor" in text:  # a weight the config needs was not in the file (see below)
        return ModelError(f"{name}: weights are missing: its keys do not match the {label} "
                          f"configuration in {config}")  # fmt: skip
    return ModelError(f"cannot load {name} as {label}: {text}")


def _refuse_missing_weights(pipe: Any, name: str, label: str, config: Path) -> None:
    """diffusers loads into empty (meta) tensors and leaves any key it did not find empty.

    Today its final dtype cast fails on those (handled in _explain); this guard keeps an
    unfilled weight from ever reaching generation should that cast go away.
    """
    for component, module in pipe.components.items():
        if not isinstance(module, torch.nn.Module):
            continue
        missing = [n for n, p in module.named_parameters() if p.device.type == "meta"]
        if missing:
            raise ModelError(
                f"{name}: {len(missing)} {component} weights (e.g. {missing[0]}) are missing: its "
                f"keys do not match the {label} configuration in {config}"
            )


def _pickle_to_safetensors(path: Path, target: Path) -> Path:
    """Plain tensors only (`weights_only`): anything else is refused, never retried unsafely."""
    from safetensors.torch import save_file

    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        raise ModelError(
            f"{path.name} contains code or objects that are not plain tensors; refused"
        ) from None
    except (*_LIBRARY_ERRORS, EOFError) as exc:
        raise ModelError(f"cannot read {path.name} (corrupt?): {_first_line(exc)}") from None
    while isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]
    items = state.items() if isinstance(state, dict) else ()
    tensors = {k: v for k, v in items if isinstance(v, torch.Tensor)}
    if not tensors:
        raise ModelError(f"{path.name} holds no tensors: not a model checkpoint")
    seen: set[int] = set()
    for key, value in tensors.items():  # safetensors refuses tensors that share memory
        value = value.contiguous()
        pointer = value.untyped_storage().data_ptr()
        tensors[key] = value.clone() if pointer in seen else value
        seen.add(pointer)
    save_file(tensors, str(target))
    return target


def _first_line(exc: BaseException) -> str:
    """The first line, cut after the first sentence: library advice that follows rarely applies."""
    line = one_line(exc, None)
    return line if len(line) <= 160 else line.split(". ")[0]
