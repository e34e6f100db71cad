"""`studio generate text` and `studio generate code` end to end, and every bad input as one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.cli.main import main
from studio.core.conversation import load_conversation
from studio.core.requests.text import Message
from studio.demo_models.text import CODE_EXAMPLE, build_tiny_llama

PROMPT, REPLY = CODE_EXAMPLE


@pytest.fixture(scope="module")
def chat_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_llama(tmp_path_factory.mktemp("text") / "chat", memorize=(CODE_EXAMPLE,))


@pytest.fixture(scope="module")
def fim_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_llama(tmp_path_factory.mktemp("text") / "coder", chat=False, fim="qwen")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def greedy(model: Path, out: Path, *extra: str) -> list[str]:
    return ["--model", str(model), "--temperature", "0", "--max-new-tokens", "60",
            "--out", str(out), *extra]  # fmt: skip


def test_text_streams_to_stdout_and_saves_reply_sidecar_gallery_and_conversation(
    capsys: pytest.CaptureFixture[str], chat_model: Path, tmp_path: Path
) -> None:
    chat = tmp_path / "chat.json"
    code, out, err = run(capsys, "generate", "text", "--prompt", PROMPT, "--conversation",
                         str(chat), *greedy(chat_model, tmp_path / "out"))  # fmt: skip
    assert code == 0, err
    assert out == REPLY + "\n"  # stdout carries the reply only
    reply, python, conversation = (Path(line) for line in err.splitlines())
    assert reply.suffix == ".md" and reply.read_text() == REPLY
    assert python.suffix == ".py" and python.read_text() == "def add(a, b):\n    return a + b\n"
    sidecar = json.loads(reply.with_name(reply.name + ".json").read_text())
    assert sidecar["request"]["type"] == "text" and sidecar["request"]["seed"] == -1
    assert 0 <= sidecar["seed"] < 2**32  # the seed actually used, so the reply can be repeated
    assert sidecar["run"]["template"] == "chat template" and sidecar["ai_generated"] is True
    assert conversation == chat
    code, out, _ = run(capsys, "gallery", "search", "Write add", "--json")
    rows = json.loads(out)
    assert code == 0 and {Path(r["path"]) for r in rows} == {reply, python}
    assert {r["task"] for r in rows} == {"text"}

    # The next turn continues the conversation file and exports it as Markdown.
    markdown = tmp_path / "chat.md"
    code, _, err = run(capsys, "generate", "text", "--prompt", "And subtract?", "--system", "Be brief.",
                       "--conversation", str(chat), "--export-markdown", str(markdown),
                       *greedy(chat_model, tmp_path / "out", "--max-new-tokens", "5"))  # fmt: skip
    assert code == 0, err
    saved = load_conversation(chat)
    assert saved.system == "Be brief." and len(saved.messages) == 4
    assert saved.messages[:2] == [Message("user", PROMPT), Message("assistant", REPLY)]
    assert str(markdown) in err.splitlines()
    assert "## User\n\nAnd subtract?" in markdown.read_text()
    second = json.loads(Path(err.splitlines()[0] + ".json").read_text())["request"]
    assert second["history"] == [["user", PROMPT], ["assistant", REPLY]]


def test_stop_and_seed_flags(
    capsys: pytest.CaptureFixture[str], chat_model: Path, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "generate", "text", "--prompt", PROMPT, "--stop", "```\n",
                         "--seed", "9", *greedy(chat_model, tmp_path))  # fmt: skip
    assert code == 0, err
    assert out == "Here you go:\n```python\ndef add(a, b):\n    return a + b\n"
    record = json.loads(Path(err.splitlines()[0] + ".json").read_text())
    assert record["seed"] == 9 and record["run"]["finish_reason"] == "stop"


def test_completion_mode_writes_no_conversation(
    capsys: pytest.CaptureFixture[str], chat_model: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "generate", "text", "--completion", "--prompt", "def add(",
                       *greedy(chat_model, tmp_path, "--max-new-tokens", "4"))  # fmt: skip
    assert code == 0, err
    [reply] = err.splitlines()
    assert json.loads(Path(reply + ".json").read_text())["run"]["template"] == "completion"


def test_code_chat_saves_the_code_block_with_its_extension(
    capsys: pytest.CaptureFixture[str], chat_model: Path, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "generate", "code", "--prompt", PROMPT,
                         *greedy(chat_model, tmp_path))  # fmt: skip
    assert code == 0, err
    assert out == REPLY + "\n"
    reply, python, _conversation = (Path(line) for line in err.splitlines())
    assert python.name == reply.stem + "-1.py"
    record = json.loads(python.with_name(python.name + ".json").read_text())
    assert record["request"]["type"] == "code" and record["run"]["language"] == "python"


def test_fill_in_the_middle_from_a_file(
    capsys: pytest.CaptureFixture[str], fim_model: Path, tmp_path: Path
) -> None:
    source = tmp_path / "main.rs"
    source.write_text("fn main() {\n    <CURSOR>\n}\n")
    code, out, err = run(capsys, "generate", "code", "--fim-file", str(source), "--seed", "3",
                         *greedy(fim_model, tmp_path / "out", "--max-new-tokens", "6"))  # fmt: skip
    assert code == 0, err
    [filled] = (Path(line) for line in err.splitlines())
    assert filled.suffix == ".rs" and source.read_text() == "fn main() {\n    <CURSOR>\n}\n"
    prefix, suffix = "fn main() {\n    ", "\n}\n"
    text = filled.read_text()
    assert text.startswith(prefix) and text.endswith(suffix)
    middle = text[len(prefix) : -len(suffix)]
    assert out in (middle, middle + "\n")  # the middle streamed (plus a final newline)
    record = json.loads(filled.with_name(filled.name + ".json").read_text())
    assert record["run"]["template"] == "fim qwen" and record["request"]["mode"] == "fim"

    code, _, err = run(capsys, "generate", "code", "--prefix", "x = ", "--suffix", "\n",
                       "--language", "python", *greedy(fim_model, tmp_path / "out",
                                                       "--max-new-tokens", "3"))  # fmt: skip
    assert code == 0 and Path(err.splitlines()[0]).suffix == ".py"


def test_context_overflow_note_goes_to_stderr(
    capsys: pytest.CaptureFixture[str], chat_model: Path, tmp_path: Path
) -> None:
    chat = tmp_path / "long.json"
    for turn in range(3):
        code, _, err = run(capsys, "generate", "text", "--prompt", f"question {turn} " + "x " * 40,
                           "--conversation", str(chat), *greedy(chat_model, tmp_path / "o"))  # fmt: skip
        assert code == 0, err
    notes = [line for line in err.splitlines() if line.startswith("studio: note: ")]
    assert notes and "oldest message(s) of the conversation" in notes[0]
    assert len(load_conversation(chat).messages) == 6  # the file keeps every turn


def bad_inputs(chat: Path, fim: Path, tiny_sd: Path, tmp: Path) -> list[tuple[list[str], str]]:
    (tmp / "broken.json").write_text("{oops")
    (tmp / "nomark.py").write_text("print()\n")
    text, code = ["generate", "text"], ["generate", "code"]
    return [
        ([*text, "--prompt", "hi", *greedy(tiny_sd, tmp)], "tiny-sd is an image model, not a text model"),
        ([*text, "--prompt", "", *greedy(chat, tmp)], "prompt is empty"),
        ([*text, "--prompt", "hi", "--top-p", "2", *greedy(chat, tmp)], "top_p must be in (0, 1] (got 2)"),
        ([*text, "--prompt", "hi", "--conversation", str(tmp / "broken.json"), *greedy(chat, tmp)],
         "broken.json is not valid JSON"),
        ([*text, "--prompt", "hi", "--completion", "--conversation", str(tmp / "c.json"),
          *greedy(chat, tmp)], "--conversation, --export-markdown and --system are for chat"),
        ([*text, "--prompt", "hi", *greedy(tmp / "missing", tmp)], "model not found"),
        ([*text, "--prompt", "hi " * 300, *greedy(chat, tmp)], "the prompt is too long for chat"),
        ([*code, "--prefix", "def f(", *greedy(chat, tmp)], "chat has no fill-in-the-middle tokens"),
        ([*code, "--fim-file", str(tmp / "nomark.py"), *greedy(fim, tmp)],
         "cursor marker '<CURSOR>' must appear exactly once in"),
        ([*code, "--fim-file", str(tmp / "absent.py"), *greedy(fim, tmp)], "cannot read"),
        ([*code, "--prompt", "", *greedy(fim, tmp)], "prompt is empty"),
        ([*code, "--prefix", "a", "--completion", *greedy(fim, tmp)],
         "--completion and fill-in-the-middle do not mix"),
    ]  # fmt: skip


def test_bad_inputs_are_one_line_and_write_nothing(
    capsys: pytest.CaptureFixture[str], chat_model: Path, fim_model: Path, tiny_sd: Path,
    tmp_path: Path,
) -> None:  # fmt: skip
    for argv, message in bad_inputs(chat_model, fim_model, tiny_sd, tmp_path):
        code, out, err = run(capsys, *argv)
        assert code == 2, (argv, err)
        assert err.startswith("studio: error: ") and err.count("\n") == 1, err
        assert message in err, (message, err)
        assert out == ""
    assert not list(tmp_path.rglob("*.md"))
    assert (tmp_path / "broken.json").read_text() == "{oops"


def test_help_says_where_the_reply_and_the_paths_go(capsys: pytest.CaptureFixture[str]) -> None:
    for task in ("text", "code"):
        with pytest.raises(SystemExit):
            main(["generate", task, "--help"])
        out = " ".join(capsys.readouterr().out.split())
        assert "streams to stdout" in out and "go to stderr" in out
