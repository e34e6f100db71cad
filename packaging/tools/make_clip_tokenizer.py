"""Build the CLIP BPE tokenizer files (vocab.json, merges.txt) without the Hugging Face Hub.

The CLIP merges ship inside PyPI packages (e.g. open_clip_torch's
`open_clip/bpe_simple_vocab_16e6.txt.gz`). This rebuilds the vocabulary exactly as
OpenAI's SimpleTokenizer does, which is also what HF's `openai/clip-vit-large-patch14`
tokenizer holds: 256 byte-level characters, the same with `</w>`, one token per merge
(the first 49152 - 256 - 2), then `<|startoftext|>` and `<|endoftext|>`: 49408 tokens.

    python packaging/tools/make_clip_tokenizer.py SOURCE OUT_DIR [--pad-token "!"]

SOURCE is the .txt.gz or an open_clip_torch wheel. Standard library only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import zipfile
from pathlib import Path

WHEEL_MEMBER = "open_clip/bpe_simple_vocab_16e6.txt.gz"
MERGES = 49152 - 256 - 2
SPECIALS = ("<|startoftext|>", "<|endoftext|>")


def bytes_to_unicode() -> dict[int, str]:
    """OpenAI's reversible byte -> printable character table (same order as theirs)."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1)]
    printable += range(ord("®"), ord("ÿ") + 1)
    codes = list(printable)
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            codes.append(256 + extra)
            extra += 1
    return dict(zip(printable, map(chr, codes), strict=True))


def read_merges(source: Path) -> list[tuple[str, str]]:
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            raw = gzip.decompress(wheel.read(WHEEL_MEMBER))
    else:
        raw = gzip.decompress(source.read_bytes())
    lines = raw.decode("utf-8").split("\n")[1 : MERGES + 1]  # line 0 is a version header
    merges = [tuple(line.split()) for line in lines]
    if len(merges) != MERGES or any(len(m) != 2 for m in merges):
        raise SystemExit(f"{source}: not a CLIP BPE merges file")
    return merges  # type: ignore[return-value]


def build(merges: list[tuple[str, str]]) -> dict[str, int]:
    chars = list(bytes_to_unicode().values())
    tokens = chars + [c + "</w>" for c in chars] + ["".join(m) for m in merges] + list(SPECIALS)
    vocab = {token: i for i, token in enumerate(tokens)}
    if len(vocab) != 49408:
        raise SystemExit(f"vocabulary has {len(vocab)} distinct tokens, expected 49408")
    return vocab


def write(out: Path, vocab: dict[str, int], merges: list[tuple[str, str]], pad: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    body = "".join(f"{a} {b}\n" for a, b in merges)
    (out / "merges.txt").write_text("#version: 0.2\n" + body, encoding="utf-8")
    specials = {"bos_token": SPECIALS[0], "eos_token": SPECIALS[1], "unk_token": SPECIALS[1]}
    specials["pad_token"] = pad
    config = {
        "tokenizer_class": "CLIPTokenizer", "model_max_length": 77, "do_lower_case": True,
        "add_prefix_space": False, "errors": "replace", **specials,
    }  # fmt: skip
    for name, data in (("special_tokens_map.json", specials), ("tokenizer_config.json", config)):
        (out / name).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="bpe_simple_vocab_16e6.txt.gz or open_clip wheel")
    parser.add_argument("out", type=Path, nargs="+", help="tokenizer folder(s) to write")
    parser.add_argument("--pad-token", default="<|endoftext|>", help='"!" for OpenCLIP models')
    args = parser.parse_args()
    merges = read_merges(args.source)
    vocab = build(merges)
    for out in args.out:
        write(out, vocab, merges, args.pad_token)
        print(f"wrote {out}: {len(vocab)} tokens, {len(merges)} merges")


if __name__ == "__main__":
    main()
