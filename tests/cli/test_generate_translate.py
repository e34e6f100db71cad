"""`studio generate translate` end to end: stdout, written files with sidecars, gallery rows,
and every bad input as one line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from studio.cli.main import main
from studio.demo_models.translate import build_tiny_marian, build_tiny_nllb


@pytest.fixture(scope="module")
def nllb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_nllb(tmp_path_factory.mktemp("models") / "tiny-nllb")


@pytest.fixture(scope="module")
def marian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_marian(tmp_path_factory.mktemp("models") / "opus-mt-pt-en")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def translate_args(model: Path, out: Path, *extra: str) -> list[str]:
    return ["generate", "translate", "--model", str(model), "--from", "pt", "--to", "en",
            "--out", str(out), *extra]  # fmt: skip


def test_text_goes_to_stdout_and_is_saved_with_its_record_and_a_gallery_row(
    capsys: pytest.CaptureFixture[str], nllb: Path, tmp_path: Path
) -> None:
    text = "O farol brilha. A noite cai.\n\nBom dia!"
    code, out, err = run(capsys, *translate_args(nllb, tmp_path / "o", "--text", text,
                                                 "--batch-size", "2"))  # fmt: skip
    assert code == 0, err
    written = Path(err.splitlines()[0])
    assert written.suffix == ".txt" and written.read_text(encoding="utf-8") + "\n" == out
    assert out.count("\n") == text.count("\n") + 1 and "\n\n" in out
    assert "done: 3 sentence(s) translated" in err
    sidecar = json.loads(Path(f"{written}.json").read_text(encoding="utf-8"))
    assert sidecar["ai_generated"] is True and sidecar["request"]["type"] == "translate"
    assert sidecar["request"]["text"] == text and sidecar["request"]["batch_size"] == 2
    assert sidecar["run"]["source"] == {
        "code": "pt",
        "name": "Portuguese",
        "model_code": "por_Latn",
    }
    assert sidecar["run"]["target"]["model_code"] == "eng_Latn"
    code, out, _ = run(capsys, "gallery", "search", "farol", "--json")
    rows = json.loads(out)
    assert code == 0 and [Path(r["path"]) for r in rows] == [written.resolve()]
    assert rows[0]["task"] == "translate" and rows[0]["model"] == "tiny-nllb"


def test_a_document_is_written_with_its_extension_and_its_path_printed(
    capsys: pytest.CaptureFixture[str], marian: Path, tmp_path: Path
) -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nOlá, mundo.\n\n2\n00:00:03,000 --> 00:00:04,000\nTchau!\n"
    source = tmp_path / "filme.srt"
    source.write_text(srt, encoding="utf-8")
    code, out, err = run(capsys, *translate_args(marian, tmp_path / "o", "--file", str(source)))
    assert code == 0, err
    [line] = out.splitlines()
    written = Path(line)
    assert written.suffix == ".srt" and written.name.endswith("filme.srt")
    translated = written.read_text(encoding="utf-8").split("\n")
    assert translated[:2] == srt.split("\n")[:2] and translated[4:6] == srt.split("\n")[4:6]
    assert len(translated) == len(srt.split("\n"))
    record = json.loads(Path(f"{written}.json").read_text(encoding="utf-8"))
    assert record["request"]["file"] == str(source) and record["run"]["input_file"] == "filme.srt"
    code, out, _ = run(capsys, "gallery", "search", "filme", "--json")
    assert [Path(r["path"]) for r in json.loads(out)] == [written.resolve()]


def bad_inputs(nllb: Path, tmp: Path) -> list[tuple[list[str], str]]:
    tmp.mkdir(exist_ok=True)
    (tmp / "notes.docx").write_bytes(b"PK")
    (tmp / "latin.txt").write_bytes("Olá".encode("latin-1"))
    (tmp / "numbers.txt").write_text("42\n", encoding="utf-8")
    out = ["--out", str(tmp / "o")]
    base = ["generate", "translate", "--model", str(nllb)]
    return [
        ([*base, "--from", "xx", "--to", "en", "--text", "Oi", *out],
         "unknown source language code 'xx' (use ISO 639-1 codes such as en, pt, de, or "
         "ISO 639-3 / FLORES-200 codes such as por, por_Latn)"),
        ([*base, "--from", "pt", "--to", "ja", "--text", "Oi", *out],
         "tiny-nllb does not translate into ja (Japanese); it translates into de, en, fr, pt"),
        ([*base, "--from", "pt", "--to", "por_Latn", "--text", "Oi", *out],
         "source and target language are both pt"),
        ([*base, "--from", "pt", "--to", "en", "--text", "  \n ", *out],
         "there is no text to translate (the text is empty)"),
        ([*base, "--from", "pt", "--to", "en", "--file", str(tmp / "missing.txt"), *out],
         f"file not found: {tmp / 'missing.txt'}"),
        ([*base, "--from", "pt", "--to", "en", "--file", str(tmp / "notes.docx"), *out],
         "notes.docx: unsupported file type '.docx'; translate .markdown, .md, .srt, .txt files"),
        ([*base, "--from", "pt", "--to", "en", "--file", str(tmp / "latin.txt"), *out],
         "latin.txt is not UTF-8 text (byte 0xe1 at offset 2); save it as UTF-8 and try again"),
        ([*base, "--from", "pt", "--to", "en", "--file", str(tmp / "numbers.txt"), *out],
         "numbers.txt has no words to translate"),
        ([*base, "--from", "pt", "--to", "en", "--text", "Oi", "--batch-size", "0", *out],
         "batch_size must be between 1 and 256 (got 0)"),
        (["generate", "translate", "--model", str(tmp / "none"), "--from", "pt", "--to", "en",
          "--text", "Oi", *out], f"model not found: {tmp / 'none'}"),
    ]  # fmt: skip


def test_every_bad_input_is_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], nllb: Path, tmp_path: Path
) -> None:
    for argv, message in bad_inputs(nllb, tmp_path / "bad"):
        code, out, err = run(capsys, *argv)
        assert (code, out) == (2, ""), (argv, err)
        assert err == f"studio: error: {message}\n", argv
    assert not (tmp_path / "bad" / "o").exists() or not any((tmp_path / "bad" / "o").rglob("*.*"))


def test_a_model_of_another_task_is_refused(
    capsys: pytest.CaptureFixture[str], tiny_sd: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, *translate_args(tiny_sd, tmp_path / "o", "--text", "Oi"))
    assert code == 2 and err.count("\n") == 1
    assert re.fullmatch(r"studio: error: tiny-sd is an? image model, not a translate model\n", err)


def test_cancel_writes_nothing(nllb: Path, tmp_path: Path) -> None:
    from studio.core.errors import Cancelled
    from studio.core.gallery import GalleryStore
    from studio.core.outputs.writer import OutputWriter
    from studio.core.requests.translate import TranslateRequest
    from studio.models.hashing import HashCache
    from studio.runtime.loaded_models import load_engine
    from studio.runtime.translation import translation_languages
    from tests.helpers import record_run

    assert translation_languages(str(nllb)).targets == ("de", "en", "fr", "pt")
    engine = load_engine("translate", str(nllb), device="cpu")
    request = TranslateRequest(model=str(nllb), source="pt", target="en", text="Um. Dois.")
    writer = OutputWriter(tmp_path / "o")
    with GalleryStore(tmp_path / "g.sqlite") as gallery, pytest.raises(Cancelled):
        record_run(engine, request, writer, gallery, HashCache(tmp_path / "h.json"),
                   cancelled=lambda: True)  # fmt: skip
    assert list((tmp_path / "o").rglob("*")) == []
