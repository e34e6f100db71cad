"""Split long text into sentences (and sentences into pieces a voice model can take)."""

from __future__ import annotations

import re

# After . ! ? … (and closing quotes/brackets) followed by space; after CJK full stops
# with or without space; at blank lines or line breaks.
_SENTENCE_END = re.compile(r"(?<=[.!?…][\"'”’)\]])\s+|(?<=[.!?…])\s+|(?<=[。！？])\s*|\n+")
_CLAUSE_END = re.compile(r"(?<=[,;:，；：])\s+")


def split_sentences(text: str, max_chars: int) -> list[str]:
    """Sentences of `text` in order, none longer than `max_chars` (split at clause
    marks, then at spaces, then anywhere as a last resort)."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        sentence = " ".join(sentence.split())
        if sentence:
            pieces += _fit(sentence, max_chars)
    return pieces


def _fit(sentence: str, max_chars: int) -> list[str]:
    if len(sentence) <= max_chars:
        return [sentence]
    out: list[str] = []
    for clause in _CLAUSE_END.split(sentence):
        if out and len(out[-1]) + 1 + len(clause) <= max_chars:
            out[-1] += " " + clause
        elif len(clause) <= max_chars:
            out.append(clause)
        else:
            out += _by_words(clause, max_chars)
    return out


def _by_words(clause: str, max_chars: int) -> list[str]:
    out: list[str] = []
    for word in clause.split(" "):
        while len(word) > max_chars:  # one "word" longer than a piece: cut it
            out.append(word[:max_chars])
            word = word[max_chars:]
        if out and len(out[-1]) + 1 + len(word) <= max_chars:
            out[-1] += " " + word
        elif word:
            out.append(word)
    return out
