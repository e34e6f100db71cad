"""GGUF headers read by the studio itself: every fact of a real tiny Llama, a real-size
vocabulary in milliseconds, and bad files (truncated, hostile counts) as one line."""

from __future__ import annotations

import shutil
import struct
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.core.errors import ModelError
from studio.models.identify import identify_path
from studio.models.identify.from_gguf import chat_template, identify_gguf
from studio.models.identify.gguf_header import GGUFArray, read_gguf_header
from tests.models.gguf_files import kv_string, raw_gguf, string, write_gguf


def _one_line(exc: pytest.ExceptionInfo[ModelError]) -> str:
    message = str(exc.value)
    assert message and "\n" not in message and len(message) < 200
    return message


def _expected_parameters(folder: Path) -> int:
    from safetensors.numpy import load_file

    weights = load_file(folder / "model.safetensors")
    tied = weights["model.embed_tokens.weight"].size  # written again as output.weight
    return sum(array.size for array in weights.values()) + tied


@pytest.mark.parametrize(
    ("quant", "types"), [("F32", {"F32": 21}), ("Q8_0", {"F32": 5, "Q8_0": 16})]
)
def test_every_fact_of_a_tiny_llama(tiny_gguf: dict[str, Path], quant: str, types) -> None:  # type: ignore[no-untyped-def]
    found = identify_path(tiny_gguf[quant])
    assert (found.task, found.family, found.kind, found.format) == ("text", "llama", "gguf", "gguf")
    assert not found.problem and found.known
    assert found.facts == {
        "architecture": "llama", "name": f"tiny-{quant}",
        "parameters": _expected_parameters(tiny_gguf["hf"]), "quantization": quant,
        "tensor_types": types, "context_length": 256, "chat_template": True, "fim": True,
        "vocabulary": 300,
    }  # fmt: skip


def test_the_header_agrees_with_the_gguf_package(tiny_gguf: dict[str, Path]) -> None:
    import gguf

    ours = read_gguf_header(tiny_gguf["Q8_0"])
    theirs = gguf.GGUFReader(tiny_gguf["Q8_0"])
    for key, field in theirs.fields.items():
        if key.startswith("GGUF."):  # the reader's own entries: version and counts
            continue
        if field.types[0] == gguf.GGUFValueType.ARRAY:
            assert ours.metadata[key] == GGUFArray(int(field.types[-1]), len(field.data)), key
        else:
            assert ours.metadata[key] == field.contents(), key
    assert [(t.name, t.shape, t.type, t.offset) for t in ours.tensors] == [
        (t.name, tuple(int(d) for d in t.shape), int(t.tensor_type), int(t.data_offset) - theirs.data_offset)
        for t in theirs.tensors
    ]  # fmt: skip
    assert ours.data_start == theirs.data_offset
    assert not ours.big_endian and ours.version == 3


def test_the_chat_template_text_is_kept(tiny_gguf: dict[str, Path]) -> None:
    from studio.demo_models.text import CHAT_TEMPLATE

    assert chat_template(read_gguf_header(tiny_gguf["F32"])) == CHAT_TEMPLATE


def test_a_real_size_vocabulary_reads_in_milliseconds(big_vocab_gguf: Path) -> None:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        header = read_gguf_header(big_vocab_gguf)
        best = min(best, time.perf_counter() - started)
    assert header.array_length("tokenizer.ggml.tokens") == 150_000
    assert header.array_length("tokenizer.ggml.merges") == 150_000
    assert identify_gguf(big_vocab_gguf).facts["vocabulary"] == 150_000
    assert best < 0.5, f"{best:.3f} s"  # ~25 ms here; gguf.GGUFReader takes ~6 s


def _cut_points(data: bytes, data_start: int) -> dict[str, int]:
    return {
        "empty": 0, "in the magic": 3, "in the counts": 20,
        "in the first key": 30,
        "in the vocabulary": data.index(b"tokenizer.ggml.tokens") + 200,
        "in the tensor table": data.index(b"blk.0.attn_q.weight"),
        "in the data": data_start + 100, "one byte short": len(data) - 1,
    }  # fmt: skip


def test_a_file_cut_anywhere_is_one_line_saying_truncated(
    tiny_gguf: dict[str, Path], tmp_path: Path
) -> None:
    data = tiny_gguf["F32"].read_bytes()
    for where, cut in _cut_points(data, read_gguf_header(tiny_gguf["F32"]).data_start).items():
        path = tmp_path / f"cut-{cut}.gguf"
        path.write_bytes(data[:cut])
        with pytest.raises(ModelError) as exc:
            read_gguf_header(path)
        assert "truncated" in _one_line(exc), where
        found = identify_path(path)
        assert found.problem == str(exc.value) and found.task == "unknown", where


def _array(key: str, element_type: int, count: int) -> bytes:
    return string(key) + struct.pack("<IIQ", 9, element_type, count)


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        ({"tensors": 2**40}, "it claims 1099511627776 tensors"),
        ({"kv_count": 2**40}, "it claims 1099511627776 metadata pairs"),
        ({"kv": string(b"general.name", 2**60), "kv_count": 1}, "a metadata key claims 1152921504606846976 bytes"),
        ({"kv": kv_string("general.name", b"x", 2**60)}, "general.name claims 1152921504606846976 bytes"),
        ({"kv": _array("general.tags", 8, 2**40), "kv_count": 1}, "1099511627776 elements in general.tags"),
        ({"kv": _array("general.tags", 77, 1), "kv_count": 1}, "an array of type 77"),
        ({"kv": string("general.x") + struct.pack("<I", 99), "kv_count": 1}, "value type 99"),
        ({"tensors": 1, "tail": string("t") + struct.pack("<I", 9) + b"\0" * 80}, "9 dimensions"),
        ({"magic": b"GGML"}, "is not a GGUF file (it starts with b'GGML'"),
        ({"version": 1}, "GGUF version 1; the studio reads versions 2 and 3"),
        ({"version": 2**31}, "GGUF version 2147483648"),
    ],
)  # fmt: skip
def test_hostile_headers_are_one_line(tmp_path: Path, header, fragment: str) -> None:  # type: ignore[no-untyped-def]
    path = raw_gguf(tmp_path / "bad.gguf", **header)
    started = time.perf_counter()
    with pytest.raises(ModelError) as exc:
        read_gguf_header(path)
    assert fragment in _one_line(exc)
    assert time.perf_counter() - started < 0.5


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cut=st.integers(0, 12_000),
    flips=st.lists(st.tuples(st.integers(0, 12_000), st.integers(0, 255)), max_size=4),
)
def test_damaged_headers_never_crash(
    tiny_gguf: dict[str, Path], tmp_path: Path, cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(tiny_gguf["F32"].read_bytes()[: cut if cut < 12_000 else None])
    for position, value in flips:
        if position < len(data):
            data[position] = value
    path = tmp_path / "damaged.gguf"
    path.write_bytes(bytes(data))
    try:
        read_gguf_header(path)
    except ModelError as exc:
        assert str(exc) and "\n" not in str(exc)
    assert identify_path(path).task in ("text", "unknown")


def test_big_endian_files_are_read_and_refused(tmp_path: Path) -> None:
    path = write_gguf(
        tmp_path / "be.gguf", "llama", {"llama.context_length": 4096}, big_endian=True
    )
    header = read_gguf_header(path)
    assert header.big_endian and header.integer("llama.context_length") == 4096
    assert header.tensors[0].shape == (32, 4)
    found = identify_path(path)
    assert "big-endian" in found.problem and found.facts["context_length"] == 4096


def test_a_projector_goes_with_a_text_model(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "mmproj-model-f16.gguf", "clip",
                      {"clip.has_vision_encoder": True, "clip.projector_type": "mlp"})  # fmt: skip
    found = identify_path(path)
    assert (found.task, found.kind, found.format) == ("unknown", "mmproj", "gguf")
    assert "vision projector" in found.reason and found.facts["projector"] == "mlp"


def test_a_lora_adapter(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "lora.gguf", "llama",
                      {"general.type": "adapter", "adapter.type": "lora", "adapter.lora.alpha": 16.0})  # fmt: skip
    found = identify_path(path)
    assert (found.task, found.family, found.kind, found.format) == ("text", "llama", "lora", "gguf")
    assert "lora adapter" in found.reason and found.facts["adapter"] == "lora"


@pytest.mark.parametrize(
    ("arch", "values", "reason"),
    [
        ("flux", {}, "diffusion model"),
        ("bert", {}, "embedding encoder"),
        ("llama", {"general.type": "imatrix"}, "of type 'imatrix'"),
    ],
)
def test_ggufs_the_studio_does_not_run(tmp_path: Path, arch: str, values, reason: str) -> None:  # type: ignore[no-untyped-def]
    found = identify_path(write_gguf(tmp_path / "m.gguf", arch, values))
    assert found.task == "unknown" and reason in found.reason and not found.problem


def test_without_a_file_type_the_quantization_is_guessed(tmp_path: Path) -> None:
    facts = identify_path(write_gguf(tmp_path / "m.gguf", "qwen2", {})).facts
    assert facts["quantization"] == "F32" and facts["parameters"] == 128
    assert facts["context_length"] is None and facts["vocabulary"] is None


def test_a_gguf_without_a_suffix_is_sniffed(tiny_gguf: dict[str, Path], tmp_path: Path) -> None:
    blob = (
        tmp_path
        / "blobs"
        / "sha256-6a0746a1ec1aef3e7ec53868f220ff6e389f6f8ef87a01d77c96807de94ca2aa"
    )
    blob.parent.mkdir()
    shutil.copyfile(tiny_gguf["Q8_0"], blob)
    misnamed = shutil.copyfile(tiny_gguf["Q8_0"], tmp_path / "model.bin")
    for path in (blob, misnamed):
        found = identify_path(path)
        assert (found.task, found.family, found.format) == ("text", "llama", "gguf")
        assert found.facts["quantization"] == "Q8_0"
    (tmp_path / "notes").write_bytes(b"GGU")
    assert identify_path(tmp_path / "notes").format == "file"


def test_the_type_tables_match_llama_cpps() -> None:
    import gguf

    from studio.models.identify.gguf_types import FILE_TYPES, TENSOR_TYPES

    tensor_types = {int(t): (t.name, *gguf.GGML_QUANT_SIZES[t]) for t in gguf.GGMLQuantizationType}
    file_types = {
        int(t): t.name.removeprefix("MOSTLY_").removeprefix("ALL_")
        for t in gguf.LlamaFileType if t != gguf.LlamaFileType.GUESSED
    }  # fmt: skip
    assert (tensor_types, file_types) == (TENSOR_TYPES, FILE_TYPES)


def test_a_split_models_first_part_does_not_guess_its_size(tmp_path: Path) -> None:
    values = {"split.no": 0, "split.count": 3, "general.size_label": "7B"}
    facts = identify_path(write_gguf(tmp_path / "m-00001-of-00003.gguf", "llama", values)).facts
    assert (facts["parts"], facts["parameters"], facts["size_label"]) == (3, None, "7B")
