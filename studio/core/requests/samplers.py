"""User-facing sampler names (the ones AUTOMATIC1111 and InvokeAI users know).

The engine maps each to a diffusers scheduler; "Default" keeps the model's own.
"""

DEFAULT_SAMPLER = "Default"

SAMPLER_NAMES: tuple[str, ...] = (
    DEFAULT_SAMPLER,
    "Euler",
    "Euler a",
    "Euler Karras",
    "DPM++ 2M",
    "DPM++ 2M Karras",
    "DPM++ 2M SDE",
    "DPM++ 2M SDE Karras",
    "DPM2",
    "DPM2 a",
    "DDIM",
    "DDPM",
    "UniPC",
    "LMS",
    "LMS Karras",
    "Heun",
    "PNDM",
    "DEIS",
)


def canonical_sampler(name: str) -> str | None:
    """The canonical spelling of a sampler name, matched case-insensitively."""
    wanted = " ".join(name.split()).casefold()
    for known in SAMPLER_NAMES:
        if known.casefold() == wanted:
            return known
    return None
