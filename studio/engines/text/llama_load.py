"""Opening a GGUF in llama.cpp: the checks made first, where its layers go, llama.cpp's log.

Before llama.cpp touches the file its header is read, so a truncated or corrupt file is one
line, and a model whose weights and context cache exceed the machine's RAM and VRAM
together is refused. On a GPU every layer is offloaded when all fit in free VRAM, else as
many as fit; the model's `gpu_layers` option overrides that (-1: all). The context is the
file's, capped at DEFAULT_CONTEXT tokens unless the model's `context_length` option says
more: the cache of an 8B model's 128k-token context alone takes 16 GB.

llama.cpp logs through one process-wide callback: here it goes to Python logging (logger
"llama_cpp") and its last lines are kept, to say in one line why a load failed.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.errors import BackendUnavailable, ModelError, one_line
from studio.models.identify.gguf_header import GGUFHeader, read_gguf_header
from studio.models.identify.gguf_types import file_type_name, tensor_bytes
from studio.models.loading.memory import machine_memory
from studio.models.spec import ModelSpec

DEFAULT_CONTEXT = 8192
RESERVE = 768 * 2**20  # VRAM left for llama.cpp's compute buffers and the CUDA context
GB = 2**30

log = logging.getLogger("llama_cpp")
_recent: deque[str] = deque(maxlen=40)
_load_lock = threading.Lock()
_callback: Any = None
_LEVELS = {3: logging.WARNING, 4: logging.ERROR}
_last_level = logging.DEBUG


@dataclass(frozen=True)
class LlamaPlan:
    context: int  # n_ctx
    trained_context: int | None
    layers: int
    gpu_layers: int  # 0: CPU only; -1: every layer and the output
    main_gpu: int
    device: str  # "cpu", "cuda:0", "mps"
    quantization: str
    file_bytes: int
    cache_bytes: int  # the context's KV cache (f16)
    notes: tuple[str, ...] = ()


def import_llama_cpp() -> Any:
    """llama_cpp, with its log routed here; BackendUnavailable when it is not installed."""
    global _callback
    try:
        import llama_cpp
    except (ImportError, OSError) as exc:  # OSError: a shared library that does not load
        raise BackendUnavailable(
            f"llama.cpp (llama-cpp-python) is not available here: {one_line(exc)}"
        ) from None
    if _callback is None:
        _callback = llama_cpp.llama_log_callback(_on_log)  # kept: C holds only a pointer
        llama_cpp.llama_log_set(_callback, ctypes.c_void_p(0))
    return llama_cpp


def _on_log(level: int, text: bytes, user_data: Any) -> None:
    global _last_level
    # ggml_log_level: 1 debug, 2 info, 3 warn, 4 error, 5 continues the previous line.
    _last_level = _last_level if level == 5 else _LEVELS.get(level, logging.DEBUG)
    line = text.decode("utf-8", errors="replace").rstrip()
    if line:
        _recent.append(line)
        log.log(_last_level, "%s", line)


def plan_load(spec: ModelSpec, device: Any, gpu_offload: bool) -> LlamaPlan:
    """Where and how the model goes (`device` a torch.device), or a one-line refusal."""
    header = read_gguf_header(spec.path, 0)  # ModelError for a truncated or corrupt file
    meta = header.metadata
    arch = str(meta.get("general.architecture") or "")
    layers = _int(meta.get(f"{arch}.block_count")) or 0
    trained = _int(spec.facts.get("context_length")) or _int(meta.get(f"{arch}.context_length"))
    wanted = _int(spec.options.get("context_length"))
    context = wanted or min(trained or DEFAULT_CONTEXT, DEFAULT_CONTEXT)
    file_type = _int(meta.get("general.file_type"))
    quantization = str(spec.facts.get("quantization") or "") or (
        file_type_name(file_type) if file_type is not None else "GGUF"
    )
    size = spec.path.stat().st_size
    cache = _cache_bytes(meta, arch, layers, context)
    ram, vram = machine_memory()
    if size + cache > ram + (vram or 0):
        has = f"{ram / GB:.1f} GB of RAM" + (f" and {vram / GB:.1f} GB of VRAM" if vram else "")
        raise ModelError(
            f"{spec.name} needs about {(size + cache) / GB:.1f} GB ({size / GB:.1f} GB of weights, "
            f"{cache / GB:.1f} GB of cache for {context} tokens), more than this machine's {has}"
        )
    notes: list[str] = []
    gpu_layers, main_gpu, where = 0, 0, "cpu"
    if device.type in ("cuda", "mps") and not gpu_offload:
        notes.append(
            "llama.cpp here was built without GPU support: it runs on the CPU "
            '(reinstall llama-cpp-python with CMAKE_ARGS="-DGGML_CUDA=on")'
        )
    elif device.type in ("cuda", "mps"):
        main_gpu = device.index or 0
        where = f"cuda:{main_gpu}" if device.type == "cuda" else "mps"
        option = spec.options.get("gpu_layers")
        if option is not None:
            gpu_layers = int(option)
        elif device.type == "cuda":
            gpu_layers = _layers_that_fit(header, layers, cache, _free_vram(main_gpu))
        else:
            gpu_layers = -1  # Metal shares the machine's memory
        if gpu_layers == 0:
            where = "cpu"
        elif 0 < gpu_layers < layers:
            notes.append(
                f"{gpu_layers} of {spec.name}'s {layers} layers fit in VRAM; the rest run on the CPU"
            )
    return LlamaPlan(
        context, trained, layers, gpu_layers, main_gpu, where, quantization, size, cache,
        tuple(notes),
    )  # fmt: skip


def open_llama(llama_cpp: Any, spec: ModelSpec, plan: LlamaPlan) -> Any:
    """The llama_cpp.Llama for `plan`; a load failure in one line (BackendUnavailable when
    llama.cpp does not know the architecture, so transformers may try)."""
    threads = _int(spec.options.get("threads"))
    with _load_lock:
        _recent.clear()
        try:
            return llama_cpp.Llama(
                model_path=str(spec.path), n_ctx=plan.context, n_gpu_layers=plan.gpu_layers,
                main_gpu=plan.main_gpu, n_threads=threads, verbose=False,
            )  # fmt: skip
        except (ValueError, RuntimeError, OSError) as exc:
            lines, failure = list(_recent), str(exc)
    unknown = next((line for line in lines if "unknown model architecture" in line), None)
    if unknown is not None:
        architecture = unknown.rsplit(":", 1)[-1].strip(" '")
        raise BackendUnavailable(
            f"llama.cpp {llama_cpp.__version__} does not know the {architecture} architecture"
        )
    reason = next((line for line in reversed(lines) if "error" in line.lower()), failure)
    raise ModelError(f"llama.cpp cannot load {spec.name}: {one_line(reason, 200)}")


def _cache_bytes(meta: dict[str, Any], arch: str, layers: int, context: int) -> int:
    """The KV cache of `context` tokens in f16: 2 (K, V) x kv heads x head size x 2 bytes."""
    heads = _int(meta.get(f"{arch}.attention.head_count")) or 1
    kv_heads = _int(meta.get(f"{arch}.attention.head_count_kv")) or heads
    width = _int(meta.get(f"{arch}.embedding_length")) or 0
    key = _int(meta.get(f"{arch}.attention.key_length")) or width // heads
    value = _int(meta.get(f"{arch}.attention.value_length")) or key
    return layers * context * kv_heads * (key + value) * 2


def _layers_that_fit(header: GGUFHeader, layers: int, cache: int, free: int) -> int:
    """-1 when everything fits in `free` VRAM, else how many layers (with their cache) do."""
    if layers <= 0:
        return -1
    in_layers = output = 0
    for tensor in header.tensors:
        nbytes = tensor_bytes(tensor.type, tensor.elements) or 0
        if tensor.name.startswith("blk."):
            in_layers += nbytes
        elif tensor.name.startswith("output"):
            output += nbytes
    if in_layers + output + cache + RESERVE <= free:
        return -1
    per_layer = (in_layers + cache) / layers
    return max(0, min(layers, int((free - RESERVE) // per_layer)))


def _free_vram(index: int) -> int:
    import torch

    try:
        return int(torch.cuda.mem_get_info(index)[0])
    except (RuntimeError, AssertionError):  # torch without CUDA beside a CUDA llama.cpp
        return 0


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def gguf_path(spec: ModelSpec) -> Path:
    """The file llama.cpp opens; a GGUF inside a llamafile is refused in one line."""
    if spec.kind == "llamafile" or spec.facts.get("offset"):
        raise ModelError(
            f"{spec.name} is a llamafile: run it on its own, or extract its GGUF to load it here"
        )
    if not spec.path.is_file():
        raise ModelError(f"{spec.name} is not a GGUF file ({spec.path})")
    return spec.path
