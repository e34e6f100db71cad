"""Regenerate the interface translations: lupdate over studio/gui, then lrelease.

    .venv/bin/python packaging/tools/update_translations.py            # update .ts, build .qm
    .venv/bin/python packaging/tools/update_translations.py --check    # exit 1 if incomplete
    .venv/bin/python packaging/tools/update_translations.py --new de   # start studio_de.ts

English is the source language (the strings in the code), so it has no .ts file. lupdate
merges into each resources/i18n/studio_<lang>.ts and keeps every existing translation; new
strings arrive as type="unfinished" (translate them, e.g. in Qt Linguist: `linguist` sits
beside lupdate), strings gone from the code are dropped. Locations are left out so that
code edits elsewhere do not churn the file.

The binaries are called directly, from the PySide6 package (or PATH): the pyside6-lupdate
and -lrelease wrappers have failed on installs split into PySide6-Essentials + -Addons.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "studio" / "gui"
I18N = ROOT / "resources" / "i18n"
SOURCE_LANGUAGE = "en"


def find_tool(name: str) -> Path | None:
    """Qt's `lupdate` or `lrelease` as PySide6 ships it (None when not installed)."""
    import PySide6

    for folder in PySide6.__path__:
        for where in (Path(folder), Path(folder) / "Qt" / "libexec"):
            for candidate in (where / name, where / f"{name}.exe"):
                if candidate.is_file():
                    return candidate
    found = shutil.which(name)
    return Path(found) if found else None


def need_tool(name: str) -> Path:
    tool = find_tool(name)
    if tool is None:
        raise SystemExit(f"Qt's {name} is not installed (it comes with PySide6)")
    return tool


def source_files() -> list[Path]:
    return sorted(SOURCES.rglob("*.py"))


def lupdate(ts: Path, language: str, drop_vanished: bool = True) -> None:
    """Merge the strings of the code into `ts` (created when missing); strings no longer in
    the code are dropped, or kept marked type="vanished" (drop_vanished=False)."""
    command = [str(need_tool("lupdate")), "-silent", "-locations", "none",
               *(["-no-obsolete"] if drop_vanished else []),
               "-source-language", SOURCE_LANGUAGE, "-target-language", language,
               *map(str, source_files()), "-ts", str(ts)]  # fmt: skip
    subprocess.run(command, check=True, cwd=ROOT)


def lrelease(ts: Path, qm: Path) -> None:
    command = [str(need_tool("lrelease")), "-silent", str(ts), "-qm", str(qm)]
    subprocess.run(command, check=True, cwd=ROOT)


def language_of(ts: Path) -> str:
    return ts.stem.removeprefix("studio_")


def problems(ts: Path) -> list[str]:
    """Strings without a finished translation, one line each ("" list: complete)."""
    lines = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = "missing" if translation is None else translation.get("type") or ""
            if kind or not (translation is not None and translation.text):
                lines.append(f"{kind or 'empty'}: {name}: {message.findtext('source')!r}")
    return lines


def check(ts: Path) -> list[str]:
    """lupdate into a copy of `ts`: strings of the code without a translation there
    ("unfinished") and translations of strings the code no longer has ("vanished")."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / ts.name
        shutil.copyfile(ts, copy)
        lupdate(copy, language_of(ts), drop_vanished=False)
        return problems(copy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report what is untranslated")
    parser.add_argument("--new", metavar="LANG", help="start studio_LANG.ts (e.g. de, pt_BR)")
    args = parser.parse_args()
    if args.new:
        ts = I18N / f"studio_{args.new}.ts"
        if ts.exists():
            raise SystemExit(f"{ts} already exists")
        I18N.mkdir(parents=True, exist_ok=True)
        lupdate(ts, args.new)
        print(ts)
        return
    files = sorted(I18N.glob("studio_*.ts"))
    failed = False
    for ts in files:
        if args.check:
            lines = check(ts)
            failed = failed or bool(lines)
            print(f"{ts.name}: " + (f"{len(lines)} untranslated" if lines else "complete"))
            for line in lines:
                print("  " + line)
            continue
        lupdate(ts, language_of(ts))
        lrelease(ts, ts.with_suffix(".qm"))
        left = problems(ts)
        print(
            f"{ts.with_suffix('.qm').name}: "
            + (f"{len(left)} untranslated" if left else "complete")
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
