"""Fenced code blocks in a Markdown reply, each with the file extension of its language."""

from __future__ import annotations

import re
from dataclasses import dataclass

EXTENSIONS = {
    "python": ".py", "py": ".py", "python3": ".py", "javascript": ".js", "js": ".js",
    "jsx": ".jsx", "typescript": ".ts", "ts": ".ts", "tsx": ".tsx", "rust": ".rs", "rs": ".rs",
    "go": ".go", "golang": ".go", "c": ".c", "h": ".h", "cpp": ".cpp", "c++": ".cpp",
    "cxx": ".cpp", "hpp": ".hpp", "csharp": ".cs", "c#": ".cs", "cs": ".cs", "java": ".java",
    "kotlin": ".kt", "kt": ".kt", "swift": ".swift", "ruby": ".rb", "rb": ".rb", "php": ".php",
    "sh": ".sh", "bash": ".sh", "shell": ".sh", "zsh": ".sh", "console": ".sh",
    "powershell": ".ps1", "ps1": ".ps1", "bat": ".bat", "json": ".json", "yaml": ".yaml",
    "yml": ".yaml", "toml": ".toml", "ini": ".ini", "xml": ".xml", "html": ".html",
    "css": ".css", "scss": ".scss", "sql": ".sql", "markdown": ".md", "md": ".md",
    "lua": ".lua", "r": ".r", "julia": ".jl", "scala": ".scala", "haskell": ".hs",
    "dockerfile": ".dockerfile", "makefile": ".mk", "make": ".mk", "diff": ".diff",
    "patch": ".diff", "latex": ".tex", "tex": ".tex", "dart": ".dart", "zig": ".zig",
}  # fmt: skip
# An opening fence: 3+ backticks or tildes, then an optional info string ("python title=x").
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")


@dataclass(frozen=True)
class CodeBlock:
    language: str  # as the reply tagged it, lower case; "" when untagged
    code: str
    extension: str  # ".py", ...; ".txt" for an unknown or missing language


def extension_for(language: str) -> str:
    return EXTENSIONS.get(language.strip().lower(), ".txt")


def extract_code_blocks(text: str, default_language: str = "") -> list[CodeBlock]:
    """Every fenced block, in order. An unclosed final fence runs to the end of the text
    (a reply cut by max_new_tokens still yields its code)."""
    blocks: list[CodeBlock] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence = opening["fence"]
        info = opening["info"].strip().split()
        language = (info[0] if info else default_language).lower()
        body: list[str] = []
        i += 1
        while i < len(lines) and not _closes(lines[i], fence):
            body.append(lines[i])
            i += 1
        i += 1  # past the closing fence
        code = "\n".join(body)
        if code.strip():
            blocks.append(CodeBlock(language, code + "\n", extension_for(language)))
    return blocks


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return (
        len(line) - len(line.lstrip(" ")) <= 3
        and stripped.startswith(fence)
        and set(stripped) == {fence[0]}
    )
