"""Rules of the start flow (plain functions).

Its buttons carry ``st1:language`` (offer the languages), ``st1:lang:<code>``
(choose one) and ``st1:help`` or ``st1:help:<page>`` (a page of /help);
``parse_start_button`` reads them back, and anything else is stale or forged.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.buttons import button_number, callback_data, parse_callback
from bot.settings import LANGUAGES

PREFIX = "st1"
HELP_PAGE = 700  # visible characters on one page of /help: one phone screen
MAX_PAGE = 99  # beyond any help: a bigger page number is forged


class StartAction(StrEnum):
    """A start button that carries nothing but what it does."""

    LANGUAGE = "language"  # offer Bahasa Indonesia or English


@dataclass(frozen=True)
class ChooseLanguage:
    """``st1:lang:<code>``: speak this language from now on."""

    lang: str


@dataclass(frozen=True)
class HelpPage:
    """``st1:help`` (the first page) or ``st1:help:<page>``: a page of /help."""

    page: int


StartButton = StartAction | ChooseLanguage | HelpPage


def start_button_data(button: StartButton) -> str:
    """The callback data of ``button`` (the inverse of ``parse_start_button``)."""
    match button:
        case StartAction():
            return callback_data(PREFIX, button.value)
        case ChooseLanguage(lang):
            return callback_data(PREFIX, "lang", lang)
        case HelpPage(0):
            return callback_data(PREFIX, "help")
        case HelpPage(page):
            return callback_data(PREFIX, "help", page)


def parse_start_button(data: str | None) -> StartButton | None:
    """Read a start button, or ``None`` when it is stale or forged."""
    parts = parse_callback(data, PREFIX)
    if parts == ["language"]:
        return StartAction.LANGUAGE
    if parts == ["help"]:
        return HelpPage(0)
    if not parts or len(parts) != 2:
        return None
    action, value = parts
    if action == "lang" and value in LANGUAGES:
        return ChooseLanguage(value)
    if action == "help":
        page = button_number(value)
        return HelpPage(page) if page is not None and page <= MAX_PAGE else None
    return None


def command_name(text: str | None) -> str:
    """The command a message starts with, without ``/`` and ``@botname``: ``/Foo@bot x`` -> ``foo``."""
    if not text or not text.startswith("/"):
        return ""
    return text.split()[0][1:].split("@")[0].lower()[:32]


def pack_pages(lengths: list[int], budget: int, head: int = 0) -> list[list[int]]:
    """Sections (by their lengths) packed in order onto pages of at most ``budget``, each page also
    holding a ``head``; a section is never split, and one longer than a page gets a page of its own."""
    pages: list[list[int]] = []
    used = budget  # no page open yet
    for index, length in enumerate(lengths):
        if pages and used + length <= budget:
            pages[-1].append(index)
            used += length
        else:
            pages.append([index])
            used = head + length
    return pages or [[]]
