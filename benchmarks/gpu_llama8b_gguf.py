"""llama.cpp on a GPU with a full-size Llama-3-8B shape: tokens/s with every layer offloaded.

The model has Llama-3-8B's configuration (128256-token vocabulary, hidden 4096, 32 layers,
14336 FFN, 32 heads, 8 KV heads) and random weights, written as a Q4_0 (or Q8_0) GGUF
tensor by tensor: random quantized blocks go straight to disk, so memory stays at one
tensor (the 0.3 GB embedding) however big the file (about 4.4 GB in Q4_0). No download:
the vocabulary is synthetic (byte-level spellings), and prompts are token ids.

It then loads the file with llama-cpp-python (`n_gpu_layers=-1`), evaluates a prompt and
decodes greedily, and prints prompt and decoding tokens/s, load time and the offload line
of llama.cpp's log. `--small` makes a tiny model of the same layout, to test the script on
a CPU (tests/benchmarks/test_gpu_llama8b_gguf.py).

    python benchmarks/gpu_llama8b_gguf.py [--small] [--quant Q4_0] [--prompt 512] [--tokens 128]
        [--context 4096] [--keep PATH]

Needs numpy, gguf and a llama-cpp-python built with CUDA (CMAKE_ARGS="-DGGML_CUDA=on").
"""

from __future__ import annotations

import argparse
import ctypes
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

LLAMA_8B = {"vocab": 128256, "hidden": 4096, "layers": 32, "ffn": 14336, "heads": 32,
            "kv_heads": 8, "context": 8192, "rope_theta": 500000.0}  # fmt: skip
SMALL = {"vocab": 512, "hidden": 128, "layers": 2, "ffn": 256, "heads": 4, "kv_heads": 2,
         "context": 512, "rope_theta": 10000.0}  # fmt: skip
# Bytes per block of 32 weights: an f16 scale, then 4-bit (Q4_0) or 8-bit (Q8_0) values.
BLOCKS = {"Q4_0": 18, "Q8_0": 34}
FILE_TYPES = {"Q4_0": 2, "Q8_0": 7}
SCALE = 0.02 / 4.6  # Q4_0's uniform nibbles then have a standard deviation of about 0.02


def tensors(c: dict[str, Any]) -> list[tuple[str, tuple[int, ...]]]:
    """(GGUF name, numpy shape) of every tensor, in file order."""
    head = c["hidden"] // c["heads"]
    shapes = [("token_embd.weight", (c["vocab"], c["hidden"]))]
    for n in range(c["layers"]):
        shapes += [
            (f"blk.{n}.attn_norm.weight", (c["hidden"],)),
            (f"blk.{n}.attn_q.weight", (c["hidden"], c["hidden"])),
            (f"blk.{n}.attn_k.weight", (c["kv_heads"] * head, c["hidden"])),
            (f"blk.{n}.attn_v.weight", (c["kv_heads"] * head, c["hidden"])),
            (f"blk.{n}.attn_output.weight", (c["hidden"], c["hidden"])),
            (f"blk.{n}.ffn_norm.weight", (c["hidden"],)),
            (f"blk.{n}.ffn_gate.weight", (c["ffn"], c["hidden"])),
            (f"blk.{n}.ffn_up.weight", (c["ffn"], c["hidden"])),
            (f"blk.{n}.ffn_down.weight", (c["hidden"], c["ffn"])),
        ]  # fmt: skip
    return [*shapes, ("output_norm.weight", (c["hidden"],)), ("output.weight", (c["vocab"], c["hidden"]))]  # fmt: skip


def random_blocks(rng: Any, shape: tuple[int, ...], quant: str) -> Any:
    """Random rows of quantized blocks (uint8, rows x row bytes), scales set to SCALE."""
    import numpy as np

    rows, cols = shape
    blocks = cols // 32
    data = rng.integers(0, 256, size=(rows, blocks, BLOCKS[quant]), dtype=np.uint8)
    scale = SCALE if quant == "Q4_0" else SCALE * 4.6 / 73  # int8 values: std about 73
    data[:, :, :2] = np.frombuffer(np.float16(scale).tobytes(), dtype=np.uint8)
    return data.reshape(rows, blocks * BLOCKS[quant])


def write_model(path: Path, c: dict[str, Any], quant: str) -> Path:
    import gguf
    import numpy as np

    kind = gguf.GGMLQuantizationType[quant]
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name(f"random llama {c['hidden']}x{c['layers']} {quant}")
    writer.add_file_type(FILE_TYPES[quant])
    writer.add_quantization_version(gguf.GGML_QUANT_VERSION)
    writer.add_vocab_size(c["vocab"])
    writer.add_context_length(c["context"])
    writer.add_embedding_length(c["hidden"])
    writer.add_block_count(c["layers"])
    writer.add_feed_forward_length(c["ffn"])
    writer.add_head_count(c["heads"])
    writer.add_head_count_kv(c["kv_heads"])
    writer.add_rope_dimension_count(c["hidden"] // c["heads"])
    writer.add_rope_freq_base(c["rope_theta"])
    writer.add_layer_norm_rms_eps(1e-5)
    # A synthetic byte-level vocabulary: the 256 byte symbols, then distinct fillers.
    symbols = [chr(b) if 33 <= b <= 126 else chr(256 + b) for b in range(256)]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("gpt-2")
    writer.add_token_list([*symbols, "Ġt", *(f"Ġt{i}" for i in range(c["vocab"] - 257))])
    writer.add_token_types([1] * c["vocab"])
    writer.add_token_merges(["Ġ t"])  # llama.cpp wants a merge table; one is enough
    writer.add_bos_token_id(0)
    writer.add_eos_token_id(1)
    layout = tensors(c)
    for name, shape in layout:  # the table first: the header holds every tensor's place
        if len(shape) == 1:
            writer.add_tensor_info(name, shape, np.dtype(np.float32), shape[0] * 4)
        else:
            row = shape[1] // 32 * BLOCKS[quant]
            writer.add_tensor_info(name, (shape[0], row), np.dtype(np.uint8), shape[0] * row, kind)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    rng = np.random.default_rng(0)
    for _name, shape in layout:  # then the data, one tensor in memory at a time
        if len(shape) == 1:
            writer.write_tensor_data(np.ones(shape, dtype=np.float32))
        else:
            writer.write_tensor_data(random_blocks(rng, shape, quant))
    writer.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="a tiny model (tests on CPU)")
    parser.add_argument("--quant", default="Q4_0", choices=sorted(BLOCKS))
    parser.add_argument("--prompt", type=int, default=512, help="prompt tokens")
    parser.add_argument("--tokens", type=int, default=128, help="tokens to decode")
    parser.add_argument("--context", type=int, default=4096)
    parser.add_argument("--keep", type=Path, help="write the GGUF here and keep it")
    args = parser.parse_args()

    import llama_cpp
    import numpy as np

    config = SMALL if args.small else LLAMA_8B
    log: list[str] = []
    callback = llama_cpp.llama_log_callback(
        lambda level, text, data: log.append(text.decode(errors="replace"))
    )
    llama_cpp.llama_log_set(callback, ctypes.c_void_p(0))
    gpu = bool(llama_cpp.llama_supports_gpu_offload())
    if not gpu and not args.small:
        sys.exit(
            "this llama-cpp-python has no GPU support: rebuild it with CMAKE_ARGS=-DGGML_CUDA=on"
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "llama.gguf"
        started = time.perf_counter()
        write_model(path, config, args.quant)
        written = time.perf_counter() - started
        started = time.perf_counter()
        llama = llama_cpp.Llama(str(path), n_gpu_layers=-1, n_ctx=min(args.context, config["context"]),
                                n_batch=512, verbose=False)  # fmt: skip
        loaded = time.perf_counter() - started
        prompt = np.random.default_rng(1).integers(256, config["vocab"], args.prompt).tolist()
        started = time.perf_counter()
        llama.eval(prompt)
        prompt_s = time.perf_counter() - started
        stamps: list[float] = []
        for _token in llama.generate(prompt, temp=0.0, reset=True):  # the prompt is cached
            stamps.append(time.perf_counter())
            if len(stamps) >= args.tokens:
                break
        decode = (len(stamps) - 1) / (stamps[-1] - stamps[0])
        size = path.stat().st_size
        llama.close()
    offload = next((line.strip() for line in log if "offloaded" in line), "no offload line")
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"llama-cpp-python {llama_cpp.__version__}, GPU offload {'on' if gpu else 'off'}")  # fmt: skip
    print(f"model: {'small' if args.small else 'Llama-3-8B shape'}, {args.quant}, {size / 2**30:.2f} GiB, "
          f"written in {written:.1f} s, loaded in {loaded:.1f} s; {offload}")  # fmt: skip
    print(
        f"prompt: {args.prompt} tokens in {prompt_s * 1000:.0f} ms = {args.prompt / prompt_s:.0f} tokens/s"
    )
    print(f"decode: {len(stamps)} tokens, {decode:.1f} tokens/s (greedy, after the first token)")


if __name__ == "__main__":
    main()
