"""Reading generation parameters from a ComfyUI `prompt` chunk (the API graph).

The graph is `{node_id: {"class_type": ..., "inputs": {...}}}`; links are
`[node_id, output_index]`. We read the sampler node and follow its links to the
text encoders, the latent size and the checkpoint loader.
"""

from __future__ import annotations

import json
from typing import Any

_SAMPLERS = ("KSampler", "KSamplerAdvanced", "SamplerCustom")
_TEXT_KEYS = ("text", "text_g", "string", "value", "prompt")
# ComfyUI sampler (+ scheduler) -> our sampler names.
_SAMPLER_NAMES = {
    "euler": "Euler",
    "euler_ancestral": "Euler a",
    "heun": "Heun",
    "dpm_2": "DPM2",
    "dpm_2_ancestral": "DPM2 a",
    "lms": "LMS",
    "dpmpp_2m": "DPM++ 2M",
    "dpmpp_2m_sde": "DPM++ 2M SDE",
    "ddim": "DDIM",
    "ddpm": "DDPM",
    "uni_pc": "UniPC",
    "uni_pc_bh2": "UniPC",
    "deis": "DEIS",
}
_KARRAS_CAPABLE = {"Euler", "DPM++ 2M", "DPM++ 2M SDE", "LMS"}


def sampler_name(comfy_sampler: str, scheduler: str) -> str | None:
    name = _SAMPLER_NAMES.get(comfy_sampler)
    if name and scheduler == "karras" and name in _KARRAS_CAPABLE:
        return f"{name} Karras"
    return name


def parse_prompt_graph(text: str) -> dict[str, Any] | None:
    """Fields for an ImageRequest (plus 'model_name'), or None if no sampler node."""
    try:
        graph = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(graph, dict):
        return None
    nodes = {k: v for k, v in graph.items() if isinstance(v, dict)}
    sampler = next((n for n in nodes.values() if n.get("class_type") in _SAMPLERS), None)
    if sampler is None:
        return None
    inputs = sampler.get("inputs", {})
    fields: dict[str, Any] = {}
    seed = inputs.get("seed", inputs.get("noise_seed"))
    if isinstance(seed, int):
        fields["seed"] = seed
    if isinstance(inputs.get("steps"), int):
        fields["steps"] = inputs["steps"]
    if isinstance(inputs.get("cfg"), int | float):
        fields["guidance"] = float(inputs["cfg"])
    if isinstance(inputs.get("denoise"), int | float) and inputs["denoise"] < 1:
        fields["strength"] = float(inputs["denoise"])
    name = sampler_name(str(inputs.get("sampler_name", "")), str(inputs.get("scheduler", "")))
    if name:
        fields["sampler"] = name
    fields["prompt"] = _follow_text(nodes, inputs.get("positive")) or ""
    fields["negative_prompt"] = _follow_text(nodes, inputs.get("negative")) or ""
    latent = _node(nodes, inputs.get("latent_image"))
    if latent and latent.get("class_type", "").startswith("Empty"):
        size = latent.get("inputs", {})
        if isinstance(size.get("width"), int) and isinstance(size.get("height"), int):
            fields["width"], fields["height"] = size["width"], size["height"]
    model = _find_checkpoint(nodes, inputs.get("model"))
    if model:
        fields["model_name"] = model
    return fields


def _node(nodes: dict[str, Any], link: object) -> dict[str, Any] | None:
    if isinstance(link, list) and link:
        return nodes.get(str(link[0]))
    return None


def _follow_text(nodes: dict[str, Any], link: object, depth: int = 0) -> str | None:
    node = _node(nodes, link)
    if node is None or depth > 16:
        return None
    inputs = node.get("inputs", {})
    for key in _TEXT_KEYS:
        value = inputs.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, list):
            return _follow_text(nodes, value, depth + 1)
    # Pass-through nodes (conditioning combiners, ControlNet apply, ...): follow the first link.
    for value in inputs.values():
        if isinstance(value, list) and value and str(value[0]) in nodes:
            found = _follow_text(nodes, value, depth + 1)
            if found is not None:
                return found
    return None


def _find_checkpoint(nodes: dict[str, Any], link: object, depth: int = 0) -> str | None:
    node = _node(nodes, link)
    if node is None or depth > 16:
        return None
    inputs = node.get("inputs", {})
    for key in ("ckpt_name", "unet_name", "model_name"):
        if isinstance(inputs.get(key), str):
            return str(inputs[key])
    return _find_checkpoint(nodes, inputs.get("model"), depth + 1)
