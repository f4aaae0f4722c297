"""Keep the catalogs in step with the code.

    python locales/catalogs.py update          # extract ids, update id/en, fill English from the ids
    python locales/catalogs.py check           # list ids missing a translation (exit 1 if any)
    python locales/catalogs.py translate F.json  # merge {"message id": "Indonesian text"} into id
    python locales/catalogs.py compile         # build the .mo files the bot loads

Message ids are English source text, so the English catalog starts as a copy
of the ids (edit it where the English should read differently). Indonesian is
written by hand, following ../shared/TERMS.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
POT = LOCALES / "rembug.pot"
LANGS = ("id", "en")


def _po(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / "rembug.po"


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def _load(path: Path, lang: str):
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def _save(catalog, path: Path) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True)


def update() -> None:
    """Extract message ids from the code and merge them into both catalogs."""
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-o",
        str(POT),
        "--add-comments=TRANSLATORS:",
        "--project=Rembug",
        "--no-wrap",
        "--sort-by-file",
        ".",
    )
    _pybabel(
        "update",
        "-i",
        str(POT),
        "-d",
        str(LOCALES),
        "-D",
        "rembug",
        "--no-wrap",
        "--ignore-obsolete",
        "--no-fuzzy-matching",
    )
    english = _load(_po("en"), "en")
    for message in english:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = message.id
        elif not message.string:
            message.string = message.id
    _save(english, _po("en"))


def missing() -> dict[str, list[str]]:
    """Ids without a translation (or marked fuzzy), per language."""
    found: dict[str, list[str]] = {}
    for lang in LANGS:
        catalog = _load(_po(lang), lang)
        gaps = []
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                gaps.append(message.id if isinstance(message.id, str) else message.id[0])
        found[lang] = gaps
    return found


def translate(path: Path) -> None:
    """Merge Indonesian translations from a JSON object (id -> text, or id -> [singular, plural])."""
    wanted = json.loads(path.read_text(encoding="utf-8"))
    catalog = _load(_po("id"), "id")
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in wanted:
            value = wanted[key]
            message.string = tuple(value) if isinstance(value, list) else value
            message.flags.discard("fuzzy")
    _save(catalog, _po("id"))


def main(argv: list[str]) -> int:
    """Run one of the commands in the module docstring."""
    command = argv[0] if argv else "check"
    if command == "update":
        update()
    elif command == "translate":
        translate(Path(argv[1]))
    elif command == "compile":
        _pybabel("compile", "-d", str(LOCALES), "-D", "rembug", "--statistics")
    gaps = missing()
    for lang, ids in gaps.items():
        for message_id in ids:
            print(f"{lang}: untranslated: {message_id!r}")
    return 1 if any(gaps.values()) and command == "check" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
