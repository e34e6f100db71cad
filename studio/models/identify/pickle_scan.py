"""Look inside pickle-based weights (.ckpt/.pt/.bin) without executing them.

pickletools.genops only decodes opcodes: nothing is imported or called. Any global
outside the small set that plain tensor files use marks the file as carrying code.
"""

from __future__ import annotations

import pickletools
import zipfile
from pathlib import Path

from studio.models.identify.identity import Identity, unknown

SAFE_GLOBALS = {
    ("collections", "OrderedDict"),
    ("torch._utils", "_rebuild_tensor_v2"),
    ("torch._utils", "_rebuild_parameter"),
    ("torch", "Size"),
    ("torch", "device"),
    ("builtins", "set"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy", "dtype"),
    ("_codecs", "encode"),
}
_STORAGE_MODULE = "torch"
_MAX_PICKLE = 64 * 2**20


def pickle_globals(path: Path) -> tuple[set[tuple[str, str]], list[str]]:
    """(globals the pickle would import, string keys it holds). Raises ValueError if unreadable."""
    data = _pickle_bytes(path)
    found: set[tuple[str, str]] = set()
    strings: list[str] = []
    pushed: list[object] = []  # recent pushed values; enough to resolve STACK_GLOBAL
    memo: dict[int, object] = {}
    for opcode, arg, _pos in pickletools.genops(data):
        name = opcode.name
        if name == "GLOBAL":
            module, _, attr = str(arg).partition(" ")
            found.add((module, attr))
        elif name == "STACK_GLOBAL":
            module, attr = (pushed[-2], pushed[-1]) if len(pushed) >= 2 else ("?", "?")
            found.add((str(module), str(attr)))
        elif name == "MEMOIZE":
            memo[len(memo)] = pushed[-1] if pushed else None
        elif name in ("PUT", "BINPUT", "LONG_BINPUT"):
            memo[int(arg)] = pushed[-1] if pushed else None
        elif name in ("GET", "BINGET", "LONG_BINGET"):
            pushed.append(memo.get(int(arg)))
        elif isinstance(arg, str):
            pushed.append(arg)
            if len(strings) < 5000:
                strings.append(arg)
        else:
            pushed.append(None)
        del pushed[:-4]
    return found, strings


def _pickle_bytes(path: Path) -> bytes:
    if zipfile.is_zipfile(path):  # torch.save's format: a zip holding data.pkl
        with zipfile.ZipFile(path) as archive:
            name = next((n for n in archive.namelist() if n.endswith("data.pkl")), None)
            if name is None:
                raise ValueError("no data.pkl inside the archive")
            return archive.read(name)[:_MAX_PICKLE]
    with path.open("rb") as handle:
        return handle.read(_MAX_PICKLE)


def unsafe_globals(found: set[tuple[str, str]]) -> list[str]:
    return sorted(
        f"{module}.{name}"
        for module, name in found
        if (module, name) not in SAFE_GLOBALS
        and not (module == _STORAGE_MODULE and name.endswith("Storage"))
    )


def identify_pickle(path: Path) -> Identity:
    try:
        found, strings = pickle_globals(path)
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        return unknown(
            "checkpoint",
            "pickle",
            "unreadable",
            problem=f"{path.name} is not a readable pickle: {exc}",
        )
    dangerous = unsafe_globals(found)
    if dangerous:
        return unknown(
            "checkpoint", "pickle", "pickle",
            problem=f"{path.name} contains code ({', '.join(dangerous[:3])}): it will never be loaded",
        )  # fmt: skip
    keys = [s for s in strings if "." in s and " " not in s]
    family = _family_from_keys(keys)
    reason = "pickle weights: refused unless you allow this model (they can run code)"
    if family:
        return Identity("image", family, "checkpoint", "pickle", reason)
    return unknown("checkpoint", "pickle", reason)


def _family_from_keys(keys: list[str]) -> str | None:
    for prefix, family in (
        ("conditioner.embedders.1.", "sdxl"),
        ("cond_stage_model.model.", "sd2"),
        ("cond_stage_model.transformer.", "sd1"),
    ):
        if any(k.startswith(prefix) for k in keys):
            return family
    return None
