"""LlamaVocab: a llama.cpp model's vocabulary with the face of a transformers tokenizer.

The studio's prompt building (prompts.py: chat template, fallback layout, context fitting;
fim.py: fill-in-the-middle tokens) and ReplyText (streaming, stop strings) take a
tokenizer; this gives them llama.cpp's, so both text backends build the same prompts.

The chat template is the GGUF's own `tokenizer.chat_template`, rendered by llama-cpp-python's
Jinja2ChatFormatter (a sandboxed Jinja environment, set up as transformers sets up its own).
Control tokens that a user's text happens to contain ("<|im_end|>") stay text: they are
marked before rendering and encoded without special-token parsing, as transformers'
`sanitize_control_tokens` does.
"""

from __future__ import annotations

import ctypes
import functools
import re
from typing import Any

import llama_cpp
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

# Private-use characters around a user's control token while the template renders.
_START, _END = "\U000f0000", "\U000f0001"
_SPECIAL = llama_cpp.LLAMA_TOKEN_ATTR_CONTROL | llama_cpp.LLAMA_TOKEN_ATTR_USER_DEFINED


class LlamaVocab:
    def __init__(self, llama: llama_cpp.Llama) -> None:
        self.llama, self.vocab = llama, llama._model.vocab
        self.size = llama_cpp.llama_vocab_n_tokens(self.vocab)
        template = llama.metadata.get("tokenizer.chat_template")
        self.chat_template: str | None = template or None
        eos, bos = llama.token_eos(), llama.token_bos()
        self.eos_token_id = eos if eos >= 0 else None
        self._eos_text = self.text(eos) if eos >= 0 else ""
        self._bos_text = self.text(bos) if bos >= 0 else ""
        self._pieces: dict[tuple[int, bool], bytes] = {}

    # The transformers tokenizer surface that prompts.py and fim.py use.

    def __call__(
        self, text: str, add_special_tokens: bool = True, split_special_tokens: bool = False
    ) -> dict[str, list[int]]:
        return {"input_ids": self.encode(text, bos=add_special_tokens, special=not split_special_tokens)}  # fmt: skip

    def encode(self, text: str, *, bos: bool, special: bool) -> list[int]:
        """`bos`: add what the model's vocabulary says to add (llama.cpp's add_special)."""
        if not text and not bos:
            return []
        return list(self.llama.tokenize(text.encode("utf-8"), add_bos=bos, special=special))

    def decode(self, ids: list[int], skip_special_tokens: bool = True) -> str:
        pieces = b"".join(self.piece_bytes(token, not skip_special_tokens) for token in ids)
        return pieces.decode("utf-8", errors="replace")

    def get_vocab(self) -> dict[str, int]:
        return self._vocab

    def apply_chat_template(
        self, messages: list[dict[str, str]], add_generation_prompt: bool = True,
        tokenize: bool = True, return_dict: bool = False, sanitize_control_tokens: bool = True,
    ) -> list[int]:  # fmt: skip
        if not self.chat_template:
            raise ValueError("the model has no chat template")
        marked = [{**m, "content": self._mark(m["content"])} for m in messages]
        formatter = self._formatter(add_generation_prompt)
        rendered = formatter(messages=marked).prompt
        # Even pieces: template and plain text; odd pieces: a user's control token, as text.
        ids: list[int] = []
        for index, piece in enumerate(self._markers.split(rendered)):
            if piece:
                ids += self.encode(piece, bos=False, special=index % 2 == 0)
        return ids

    # What the llama.cpp engine needs besides.

    def text(self, token: int) -> str:
        """The token as the vocabulary spells it ("Ġword", "<|im_end|>")."""
        raw = llama_cpp.llama_vocab_get_text(self.vocab, token)
        return raw.decode("utf-8", errors="replace") if raw else ""

    def piece(self, token: int) -> str:
        """The token as text for people, control tokens included (for token alternatives)."""
        return self.piece_bytes(token, True).decode("utf-8", errors="replace")

    def piece_bytes(self, token: int, special: bool) -> bytes:
        key = (token, special)
        piece = self._pieces.get(key)
        if piece is None:
            size = 64
            while True:  # llama-cpp-python's own buffer (32 bytes) cuts long tokens
                buffer = ctypes.create_string_buffer(size)
                n = llama_cpp.llama_token_to_piece(self.vocab, token, buffer, size, 0, special)
                if n >= 0:
                    break
                size = -n
            piece = self._pieces[key] = buffer.raw[:n]
        return piece

    def is_end(self, token: int) -> bool:
        return bool(llama_cpp.llama_vocab_is_eog(self.vocab, token))

    @functools.cached_property
    def _vocab(self) -> dict[str, int]:
        vocab: dict[str, int] = {}
        for token in range(self.size):
            vocab.setdefault(self.text(token), token)
        return vocab

    @functools.cached_property
    def _control_texts(self) -> list[str]:
        attr = llama_cpp.llama_vocab_get_attr
        texts = [self.text(t) for t in range(self.size) if attr(self.vocab, t) & _SPECIAL]
        return sorted(filter(None, texts), key=len, reverse=True)  # longest match first

    @functools.cached_property
    def _control(self) -> re.Pattern[str]:
        return re.compile("|".join(map(re.escape, self._control_texts)) or "(?!)")

    @functools.cached_property
    def _markers(self) -> re.Pattern[str]:
        # A marked token is captured (odd pieces of split); a lone marker just splits.
        return re.compile(f"{_START}({self._control.pattern}){_END}|[{_START}{_END}]")

    def _mark(self, content: Any) -> Any:
        if not isinstance(content, str):
            return content
        content = content.replace(_START, "").replace(_END, "")
        return self._control.sub(lambda m: f"{_START}{m.group(0)}{_END}", content)

    @functools.cache  # noqa: B019 - one formatter per vocabulary and flag, kept with the model
    def _formatter(self, add_generation_prompt: bool) -> Jinja2ChatFormatter:
        assert self.chat_template is not None
        return Jinja2ChatFormatter(
            self.chat_template, self._eos_text, self._bos_text, add_generation_prompt
        )
