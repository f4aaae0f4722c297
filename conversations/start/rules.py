"""Rules of the start flow (plain functions)."""

from __future__ import annotations

from bot.settings import LANGUAGES

PREFIX = "st1"
HELP_PAGE = 8  # menu buttons explained on one page of /help
MAX_PAGE = 99  # beyond any help: a bigger page number is forged


def parse_language_choice(parts: list[str] | None) -> str | None:
    """The language a ``st1:lang:<code>`` button chose, or ``None`` when forged or stale."""
    if parts and len(parts) == 2 and parts[0] == "lang" and parts[1] in LANGUAGES:
        return parts[1]
    return None


def parse_help_page(parts: list[str] | None) -> int | None:
    """The page a ``st1:help`` (the first) or ``st1:help:<page>`` button opens, or ``None`` when forged."""
    if parts == ["help"]:
        return 0
    if parts and len(parts) == 2 and parts[0] == "help" and parts[1].isdigit() and int(parts[1]) <= MAX_PAGE:
        return int(parts[1])
    return None


def command_name(text: str | None) -> str:
    """The command a message starts with, without ``/`` and ``@botname``: ``/Foo@bot x`` -> ``foo``."""
    if not text or not text.startswith("/"):
        return ""
    return text.split()[0][1:].split("@")[0].lower()[:32]
