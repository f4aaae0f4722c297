"""Every user-facing string goes through the catalogs, and both catalogs translate every id."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("id", "en")
# Telegram calls and objects whose text a person reads.
SINKS = {
    "reply_text",
    "send_message",
    "edit_message_text",
    "edit_text",
    "answer",
    "send_photo",
    "send_document",
    "edit_message_caption",
    "InlineKeyboardButton",
    "KeyboardButton",
    "BotCommand",
}
TEXT_KEYWORDS = {"text", "caption"}


def _extracted_ids() -> set[str]:
    method_map = [("bot/**.py", "python"), ("conversations/**.py", "python")]
    ids = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(str(ROOT), method_map=method_map):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def _catalog(lang: str):
    with (ROOT / "locales" / lang / "LC_MESSAGES" / "rembug.po").open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_id_in_the_code_is_translated(lang):
    catalog = _catalog(lang)
    missing = []
    for message_id in sorted(_extracted_ids()):
        message = catalog.get(message_id)
        strings = (
            () if message is None else (message.string if isinstance(message.string, tuple) else (message.string,))
        )
        if message is None or message.fuzzy or not strings or not all(strings):
            missing.append(message_id)
    assert not missing, f"{lang}: run `python locales/catalogs.py update` and translate: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_the_placeholders(lang):
    import re

    broken = []
    for message in _catalog(lang):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"\{(\w+)\}", ids[-1]))
        for string in strings:
            if set(re.findall(r"\{(\w+)\}", string)) != wanted:
                broken.append((message.id, string))
    assert not broken, broken


def _has_words(node: ast.AST) -> bool:
    """A literal (or f-string) with letters in it: text a person would read."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return sum(ch.isalpha() for ch in node.value) >= 2
    if isinstance(node, ast.JoinedStr):
        return any(_has_words(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _has_words(node.left) or _has_words(node.right)
    return False


def _sink_name(call: ast.Call) -> str | None:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    return name if name in SINKS else None


def _bypasses(path: Path) -> list[str]:
    """Calls to a sink whose text argument is a literal with words in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not _sink_name(node):
            continue
        candidates = node.args[:1] + [kw.value for kw in node.keywords if kw.arg in TEXT_KEYWORDS]
        found += [f"{path.name}:{node.lineno}: {ast.unparse(c)[:60]}" for c in candidates if _has_words(c)]
    return found


def test_no_user_facing_string_bypasses_the_catalogs():
    files = sorted((ROOT / "conversations").rglob("*.py")) + sorted((ROOT / "bot").rglob("*.py"))
    found = [line for path in files for line in _bypasses(path)]
    assert not found, "wrap these in _() and translate them:\n" + "\n".join(found)


def test_the_bypass_check_catches_a_literal(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('await update.message.reply_text("Hello there")\nInlineKeyboardButton(f"Go {x}")\n_x(_("Hi"))\n')
    # The check must see both the plain literal and the f-string, and leave _() alone.
    assert len(_bypasses(sample)) == 2


# English words and jargon members never read in Indonesian (../shared/TERMS.md says what to use instead).
NOT_FOR_MEMBERS = (
    "base",
    "network",
    "BDS provider",
    "shortlist",
    "longlist",
    "voting",
    "sharing",
    "di-sharing",
    "ANNEX",
    "feedback",
    "upload",
    "download",
    "deadline",
    "reminder",
)


def _jargon(text: str) -> list[str]:
    import re

    plain = re.sub(r"\{[^}]*\}|<[^>]*>", " ", text)  # placeholders ({base}) and tags are no words
    return [word for word in NOT_FOR_MEMBERS if re.search(rf"(?<![\w-]){re.escape(word)}(?!\w)", plain, re.I)]


def test_the_indonesian_catalog_speaks_plain_indonesian():
    found = []
    for message in _catalog("id"):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if message.id and text and _jargon(text):
                found.append(f"{message.id!r}: {text!r} has {_jargon(text)}")
    assert not found, "\n".join(found)


def test_questionnaire_screens_speak_plain_indonesian_with_a_decimal_comma():
    """What a form shows (title, question, short option, hint); the guideline's own wording is quoted as written."""
    import re

    from bot.forms import load_forms

    found = []
    for folder in sorted(ROOT.glob("conversations/*/forms")):
        for form in load_forms(folder).values():
            shown = [form.title("id")]
            for question in form.questions:
                shown += [question.label("id"), question.hint("id") or ""]
                shown += [choice.short("id") for choice in question.choices]
            found += [f"{form.source}: {text!r}" for text in shown if _jargon(text) or re.search(r"\d\.\d", text)]
    assert not found, "\n".join(found)


def test_the_jargon_check_finds_a_word():
    assert _jargon("Voting titik dibuka") == ["voting"]
    assert _jargon("Bisa di-sharing lewat network") == ["network", "di-sharing"]
    assert _jargon("{base}: belum ada jawaban") == []
