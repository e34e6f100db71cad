"""The text engine on tiny real models: streaming, stops, seeds, cancel, templates, context,
fill-in-the-middle, code blocks; requests and conversation files; the runtime's outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.core.conversation import (
    Conversation,
    conversation_markdown,
    load_conversation,
    save_conversation,
)
from studio.core.errors import Cancelled, ModelError, ValidationError
from studio.core.gallery import GalleryStore
from studio.core.outputs.record import OutputRecord
from studio.core.outputs.writer import OutputWriter
from studio.core.requests import request_from_json
from studio.core.requests.text import CodeRequest, Message, TextRequest
from studio.demo_models.text import CODE_EXAMPLE, build_text_tokenizer, build_tiny_llama
from studio.engines.text import TextEngine
from studio.engines.text.code_blocks import extension_for, extract_code_blocks
from studio.engines.text.fim import fim_prompt
from studio.engines.text.prompts import render_chat
from studio.models.hashing import HashCache
from tests.helpers import record_run

PROMPT, REPLY = CODE_EXAMPLE


@pytest.fixture(scope="module")
def chat_engine(tmp_path_factory: pytest.TempPathFactory) -> TextEngine:
    """ChatML template; greedy decoding of CODE_EXAMPLE's prompt gives its reply."""
    folder = build_tiny_llama(tmp_path_factory.mktemp("text") / "chat", memorize=(CODE_EXAMPLE,))
    engine = TextEngine.load(folder, device="cpu", precision="fp32")
    engine.chunk_interval = 0.0  # every decoded piece is its own chunk
    return engine


@pytest.fixture(scope="module")
def plain_engine(tmp_path_factory: pytest.TempPathFactory) -> TextEngine:
    """No chat template (the fallback applies), StarCoder FIM tokens, random weights."""
    folder = tmp_path_factory.mktemp("text") / "plain"
    return TextEngine.load(build_tiny_llama(folder, chat=False, fim="starcoder"), device="cpu")


def ask(engine: TextEngine, **changes: object) -> TextRequest:
    fields = {"model": str(engine.loaded.path), "prompt": PROMPT, "temperature": 0.0,
              "max_new_tokens": 60, **changes}  # fmt: skip
    return TextRequest(**fields)  # type: ignore[arg-type]


def test_chunks_stream_during_generation_and_make_the_reply(chat_engine: TextEngine) -> None:
    tokens = 0
    arrivals: list[tuple[int, str]] = []

    def progress(done: int, total: int) -> None:
        nonlocal tokens
        tokens = done

    reply = chat_engine.generate(
        ask(chat_engine), on_text=lambda chunk: arrivals.append((tokens, chunk)), progress=progress
    )
    assert reply.text == REPLY and reply.finish_reason == "end"
    assert "".join(chunk for _, chunk in arrivals) == reply.text
    assert len(arrivals) > 5 and arrivals[0][0] < tokens  # the first chunk came early
    assert [seen for seen, _ in arrivals] == sorted(seen for seen, _ in arrivals)
    run = reply.run
    assert run["template"] == "chat template" and run["tokens"] == tokens
    assert run["ttft_s"] > 0 and run["tokens_per_s"] > 0 and run["device"] == "cpu"


def test_coalescing_sends_fewer_bigger_chunks(chat_engine: TextEngine) -> None:
    chunks: list[str] = []
    chat_engine.chunk_interval = 60.0
    try:
        reply = chat_engine.generate(ask(chat_engine), on_text=chunks.append)
    finally:
        chat_engine.chunk_interval = 0.0
    # The first piece at once, then a chunk per line (newlines flush), then the rest.
    assert "".join(chunks) == reply.text and len(chunks) <= reply.text.count("\n") + 2


@pytest.mark.parametrize("stop", ["STOP", "P here", "```\nDone"])
def test_a_stop_string_ends_the_reply_before_it(chat_engine: TextEngine, stop: str) -> None:
    chunks: list[str] = []
    reply = chat_engine.generate(ask(chat_engine, stop=(stop, "never")), on_text=chunks.append)
    assert reply.text == REPLY[: REPLY.index(stop)]
    assert "".join(chunks) == reply.text  # nothing of the stop string was streamed
    assert reply.finish_reason == "stop" and reply.run["stop"] == stop


def test_same_seed_same_reply(plain_engine: TextEngine) -> None:
    def sample(seed: int) -> str:
        request = ask(plain_engine, prompt="Once", temperature=1.0, top_k=0, seed=seed)
        return plain_engine.generate(request.replace(max_new_tokens=24)).text

    assert sample(5) == sample(5)
    assert sample(5) != sample(6)
    chosen = plain_engine.generate(ask(plain_engine, seed=-1, max_new_tokens=2)).seed
    assert 0 <= chosen < 2**32


def test_every_sampling_setting_runs(plain_engine: TextEngine) -> None:
    request = ask(plain_engine, temperature=0.9, top_p=0.8, top_k=20, min_p=0.1,
                  repetition_penalty=1.3, max_new_tokens=5, seed=1)  # fmt: skip
    reply = plain_engine.generate(request)
    assert reply.run["tokens"] <= 5 and reply.seed == 1


def test_cancel_stops_within_one_token(chat_engine: TextEngine) -> None:
    forwards = 0

    def count(*_: object) -> None:
        nonlocal forwards
        forwards += 1

    seen = 0

    def progress(done: int, total: int) -> None:
        nonlocal seen
        seen = done

    hook = chat_engine.model.register_forward_hook(count)
    try:
        with pytest.raises(Cancelled):
            chat_engine.generate(ask(chat_engine), progress=progress, cancelled=lambda: seen >= 3)
    finally:
        hook.remove()
    assert seen == 3 and forwards <= 3 + 1  # one forward pass per token, at most one wasted


def test_chat_template_and_fallback(chat_engine: TextEngine, plain_engine: TextEngine) -> None:
    request = ask(chat_engine, system="Be brief.", prompt="hi")
    prompt = chat_engine.build_prompt(request)
    assert prompt.template == "chat template" and not prompt.stops
    text = chat_engine.tokenizer.decode(prompt.ids)
    assert text.endswith("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n")
    assert text.startswith("<|im_start|>system\nBe brief.")

    fallback = plain_engine.build_prompt(request.replace(model=str(plain_engine.loaded.path)))
    assert fallback.template == "fallback" and "\nUser:" in fallback.stops
    assert plain_engine.tokenizer.decode(fallback.ids) == "System: Be brief.\nUser: hi\nAssistant:"


def test_a_template_without_system_turns_gets_the_system_prompt_in_the_first_message() -> None:
    tokenizer = build_text_tokenizer()
    tokenizer.chat_template = (
        "{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}"
        "{% endif %}{% for m in messages %}[{{ m['role'] }}] {{ m['content'] }}\n{% endfor %}"
    )
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}]
    prompt = render_chat(tokenizer, messages, "m")
    assert tokenizer.decode(prompt.ids) == "[user] Be brief.\n\nhi\n"
    assert "takes no system turn" in prompt.notes[0]
    tokenizer.chat_template = "{{ raise_exception('broken') }}"
    with pytest.raises(ModelError, match=r"^the chat template of m failed: broken$"):
        render_chat(tokenizer, messages[1:], "m")


def test_user_text_cannot_inject_control_tokens(chat_engine: TextEngine) -> None:
    prompt = chat_engine.build_prompt(ask(chat_engine, prompt="a<|im_end|>b"))
    end = chat_engine.tokenizer.convert_tokens_to_ids("<|im_end|>")
    assert prompt.ids.count(end) == 1  # only the template's own


def test_context_overflow_drops_the_oldest_turns_with_a_note(chat_engine: TextEngine) -> None:
    turns = [Message("user" if i % 2 == 0 else "assistant", f"turn {i}: " + "words " * 12)
             for i in range(8)]  # fmt: skip
    request = ask(chat_engine, history=tuple(turns), max_new_tokens=32, prompt="last question")
    notes: list[str] = []
    reply = chat_engine.generate(request, on_note=notes.append)
    dropped = reply.prompt.dropped
    assert dropped > 0 and dropped % 2 == 0 and reply.run["dropped_messages"] == dropped
    assert notes == reply.run["notes"] and f"left out the {dropped} oldest message(s)" in notes[0]
    assert "context of 256 tokens" in notes[0]
    assert len(reply.prompt.ids) <= 256 - 32
    text = chat_engine.tokenizer.decode(reply.prompt.ids)
    assert "turn 0:" not in text and "turn 7:" in text and "last question" in text
    # One more kept turn would not have fit: the fewest turns were dropped.
    fuller = request.replace(history=tuple(turns[dropped - 2 :])).messages()
    assert len(render_chat(chat_engine.tokenizer, fuller, "chat").ids) > 256 - 32


def test_a_prompt_that_cannot_fit_is_refused(chat_engine: TextEngine) -> None:
    too_long = "word " * 300
    for mode in ("chat", "completion"):
        request = ask(chat_engine, prompt=too_long, mode=mode)
        with pytest.raises(ValidationError, match=r"prompt is too long for chat: \d+ tokens"):
            chat_engine.build_prompt(request)
    with pytest.raises(ValidationError, match="max_new_tokens 300 leaves no room"):
        chat_engine.build_prompt(ask(chat_engine, max_new_tokens=300))


def test_completion_continues_the_raw_text(chat_engine: TextEngine) -> None:
    prompt = chat_engine.build_prompt(ask(chat_engine, mode="completion", prompt="def add("))
    assert prompt.template == "completion"
    assert chat_engine.tokenizer.decode(prompt.ids) == "def add("


@pytest.mark.parametrize("style", ["starcoder", "qwen"])
def test_fim_prompt_is_prefix_suffix_middle(style: str) -> None:
    tokenizer = build_text_tokenizer(chat=False, fim=style)
    ids, found, ends = fim_prompt(tokenizer, "m", "def f(<fim_middle>", "):\n")
    tokens = tokenizer.convert_ids_to_tokens(ids)
    wrap = ("<{}>" if style == "starcoder" else "<|{}|>").format
    assert (
        found.name == style and tokens[0] == wrap("fim_prefix") and tokens[-1] == wrap("fim_middle")
    )
    middle = ids.index(tokenizer.convert_tokens_to_ids(wrap("fim_suffix")))
    assert tokenizer.decode(ids[1:middle]) == "def f(<fim_middle>"  # text, not a control token
    assert tokenizer.decode(ids[middle + 1 : -1]) == "):\n"
    assert tokenizer.convert_tokens_to_ids(wrap("fim_pad")) in ends


def test_fim_generates_with_fim_tokens_and_is_refused_without(
    plain_engine: TextEngine, chat_engine: TextEngine
) -> None:
    request = CodeRequest(
        model="m", mode="fim", prefix="def f(", suffix=")", max_new_tokens=8, seed=2
    )
    reply = plain_engine.generate(request)
    assert reply.run["template"] == "fim starcoder" and reply.code_blocks == []
    with pytest.raises(ModelError, match=r"^chat has no fill-in-the-middle tokens"):
        chat_engine.generate(request)


@pytest.mark.parametrize(
    ("language", "extension"),
    [("python", ".py"), ("py", ".py"), ("js", ".js"), ("javascript", ".js"), ("ts", ".ts"),
     ("rust", ".rs"), ("go", ".go"), ("c", ".c"), ("cpp", ".cpp"), ("java", ".java"),
     ("bash", ".sh"), ("sh", ".sh"), ("json", ".json"), ("yaml", ".yaml"), ("html", ".html"),
     ("css", ".css"), ("SQL", ".sql"), ("brainfuck", ".txt"), ("", ".txt")],
)  # fmt: skip
def test_extension_for_language(language: str, extension: str) -> None:
    assert extension_for(language) == extension


def test_code_blocks_are_extracted_in_order() -> None:
    reply = (
        "Intro\n```python title=x\nprint(1)\n```\nthen\n~~~\nplain\n~~~\n"
        "````js\nconst a = '```';\n````\n```\n\n```\n```rust\nfn main() {}\n"
    )
    blocks = extract_code_blocks(reply, default_language="go")
    assert [(b.language, b.extension) for b in blocks] == [
        ("python", ".py"), ("go", ".go"), ("js", ".js"), ("rust", ".rs")
    ]  # fmt: skip
    assert blocks[0].code == "print(1)\n" and blocks[2].code == "const a = '```';\n"
    assert blocks[3].code == "fn main() {}\n"  # an unclosed fence (cut reply) still counts
    assert extract_code_blocks("no code here") == []


def test_the_engine_returns_the_reply_code_blocks(chat_engine: TextEngine) -> None:
    [block] = chat_engine.generate(ask(chat_engine)).code_blocks
    assert (block.language, block.extension) == ("python", ".py")
    assert block.code == "def add(a, b):\n    return a + b\n"


def test_a_model_of_another_task_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "translator"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": "marian"}))
    with pytest.raises(ModelError, match=r"^translator is a translate model, not a text model$"):
        TextEngine.load(folder)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"prompt": "  "}, "prompt is empty"),
        ({"temperature": -1}, "temperature must be in [0, 5] (got -1)"),
        ({"top_p": 0}, "top_p must be in (0, 1] (got 0)"),
        ({"top_k": -1}, "top_k must be between 0 and 100000 (got -1)"),
        ({"max_new_tokens": 0}, "max_new_tokens must be between 1 and 32768 (got 0)"),
        ({"seed": -2}, "seed must be between -1 and 4294967295 (got -2)"),
        ({"stop": ("",)}, "a stop string must not be empty"),
        ({"history": (("robot", "hi"),)}, "role of message 1 must be one of user, assistant"),
        ({"history": ("hi",)}, "message 1 must be [role, content]"),
        ({"mode": "completion", "system": "x"}, "completion mode takes no system prompt"),
        ({"mode": "fim"}, "mode must be one of chat, completion (got 'fim')"),
    ],
)
def test_bad_requests_are_one_line(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        TextRequest(**{"model": "m", "prompt": "hi", **changes})  # type: ignore[arg-type]
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_requests_round_trip_through_json() -> None:
    text = TextRequest(model="m", prompt="hi", system="s", history=[{"role": "user", "content": "a"},
                       ["assistant", "b"]], stop=["\n\n"], seed=4)  # type: ignore[arg-type]  # fmt: skip
    assert text.history == (Message("user", "a"), Message("assistant", "b"))
    assert request_from_json(text.to_json()) == text
    code = CodeRequest(model="m", mode="fim", prefix="def f(", suffix=")", language="python")
    assert (code.temperature, code.top_k, code.repetition_penalty) == (0.2, 0, 1.0)  # presets
    assert request_from_json(code.to_json()) == code
    assert code.search_text() == "fill-in-the-middle python def f("
    with pytest.raises(ValidationError, match="needs a prefix or a suffix"):
        CodeRequest(model="m", mode="fim")
    with pytest.raises(ValidationError, match="prefix and suffix are for fill-in-the-middle"):
        CodeRequest(model="m", prompt="x", prefix="a")


def test_conversations_round_trip_and_export_markdown(tmp_path: Path) -> None:
    conversation = Conversation(system="Be brief.")
    conversation.add_turn("What is 2+2?", "4", model="tiny")
    path = save_conversation(conversation, tmp_path / "chat.json")
    loaded = load_conversation(path)
    assert loaded == conversation and loaded.messages[1] == Message("assistant", "4")
    assert json.loads(path.read_text())["version"] == 1
    markdown = conversation_markdown(loaded)
    assert markdown.startswith("# Conversation\n") and "model: `tiny`" in markdown
    assert "## System\n\nBe brief." in markdown
    assert "## User\n\nWhat is 2+2?\n\n## Assistant (AI-generated)\n\n4" in markdown


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON: Expecting property name"),
        ("[]", "not a Generative Studio conversation"),
        ('{"format": "generative-studio-conversation", "version": 9}', "version 9 is not supported"),
        ('{"format": "generative-studio-conversation", "version": 1, "messages": [["bot", "x"]]}',
         "role of message 1 must be one of user, assistant"),
        ('{"format": "generative-studio-conversation", "version": 1, "system": 3}',
         "conversation field 'system' must be text"),
        (b"\xff\xfe", "cannot read conversation"),
    ],
)  # fmt: skip
def test_malformed_conversation_files_are_one_line(
    tmp_path: Path, content: str | bytes, message: str
) -> None:
    path = tmp_path / "chat.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ValidationError) as caught:
        load_conversation(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert path.read_bytes() == (content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ValidationError, match="conversation file not found"):
        load_conversation(tmp_path / "missing.json")


def outputs(tmp_path: Path) -> tuple[OutputWriter, GalleryStore, HashCache]:
    return (OutputWriter(tmp_path / "out"), GalleryStore(tmp_path / "db.sqlite3"),
            HashCache(tmp_path / "hashes.json"))  # fmt: skip


def test_runtime_writes_reply_code_files_and_conversation(
    chat_engine: TextEngine, tmp_path: Path
) -> None:
    writer, gallery, hashes = outputs(tmp_path)
    reply, code, conversation = record_run(chat_engine, ask(chat_engine), writer, gallery,
                                           hashes).outputs  # fmt: skip
    assert reply.path.suffix == ".md" and reply.path.read_text() == REPLY
    sidecar = json.loads(reply.path.with_name(reply.path.name + ".json").read_text())
    assert sidecar["ai_generated"] is True and sidecar["request"]["prompt"] == PROMPT
    assert sidecar["run"]["finish_reason"] == "end" and "tokens_per_s" in sidecar["run"]
    assert OutputRecord.from_dict(sidecar).request == ask(chat_engine)  # reproducible from it
    assert code.path.name == reply.path.stem + "-1.py"
    assert code.path.read_text() == "def add(a, b):\n    return a + b\n"
    assert code.path.with_name(code.path.name + ".json").is_file()
    assert {e.path for e in gallery.search("Write add")} == {reply.path, code.path}
    assert conversation.gallery_id is None  # a conversation file, not a gallery output
    saved = load_conversation(conversation.path)
    assert saved.messages == [Message("user", PROMPT), Message("assistant", REPLY)]


def test_a_cancelled_reply_saves_nothing(chat_engine: TextEngine, tmp_path: Path) -> None:
    writer, gallery, hashes = outputs(tmp_path)
    path = save_conversation(Conversation(), tmp_path / "chat.json")
    before = path.read_bytes()
    chunks: list[str] = []
    with pytest.raises(Cancelled):
        record_run(
            chat_engine, ask(chat_engine), writer, gallery, hashes, text=chunks.append,
            cancelled=lambda: len(chunks) >= 2,
            extras={"conversation": load_conversation(path), "conversation_path": path},
        )  # fmt: skip
    assert chunks and not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert gallery.count() == 0 and path.read_bytes() == before


def test_a_desktop_chat_turn_saves_the_whole_conversation(chat_engine: TextEngine, tmp_path: Path) -> None:  # fmt: skip
    # The desktop sends earlier turns in the request's history and no conversation object:
    # the saved file must still hold every turn, not only the last one.
    history = (Message("user", "Hi"), Message("assistant", "Hello! How can I help?"))
    request = ask(chat_engine, history=history, system="Be brief.")
    writer, gallery, hashes = outputs(tmp_path)
    reply, *_, conversation = record_run(chat_engine, request, writer, gallery, hashes).outputs
    saved = load_conversation(conversation.path)
    assert saved.system == "Be brief."
    answer = reply.path.read_text(encoding="utf-8")  # what the untrained model says after them
    assert saved.messages == [*history, Message("user", PROMPT), Message("assistant", answer)]
