"""Pages of a list that fit a phone screen (plain functions, shared by every flow)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.buttons import button_number
from bot.fitting import visible_length

T = TypeVar("T")
MAX_PAGE = 9999  # beyond any list the bot shows: a bigger page number is forged


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` items fill (an empty list is still one page)."""
    return max(1, -(-total // per_page))


def clamp_page(page: int, total: int, per_page: int) -> int:
    """The page to show when ``page`` came from an old button and the list has shrunk."""
    return min(max(page, 0), page_count(total, per_page) - 1)


def page_items(items: list[T], page: int, per_page: int) -> list[T]:
    """The items on ``page`` (0-based)."""
    return items[page * per_page : (page + 1) * per_page]


def page_of(items: list[T], page: int, per_page: int) -> tuple[list[T], int, int]:
    """``(items on the page, the page actually shown, number of pages)`` for a possibly stale ``page``."""
    page = clamp_page(page, len(items), per_page)
    return page_items(items, page, per_page), page, page_count(len(items), per_page)


def pages_of(lines: Sequence[str], limit: int = 3300, per_page: int = 12) -> list[list[int]]:
    """The indexes of ``lines`` on each page, for lines of uneven length: at most ``per_page`` lines
    and ``limit`` characters a page (counted as Telegram counts them: an emoji is two), so a page
    with its heading stays one screen and well under Telegram's 4,096."""
    pages: list[list[int]] = [[]]
    size = 0
    for index, line in enumerate(lines):
        width = visible_length(line) + 1
        if pages[-1] and (len(pages[-1]) >= per_page or size + width > limit):
            pages.append([])
            size = 0
        pages[-1].append(index)
        size += width
    return pages


@dataclass(frozen=True)
class PageTap:
    """A button of a paged screen: what the screen is about (a committee, a plan, a session...)
    and the page to show (None: the screen's first showing, from its own button)."""

    target: int
    page: int | None


def parse_page_tap(parts: list[str] | None, action: str | None = None) -> PageTap | None:
    """``<action>:<id>`` or ``<action>:<id>:<page>`` (the parts of ``bot.buttons.parse_callback``)
    as a typed value; None when stale or forged (any action when ``action`` is None)."""
    if not parts or len(parts) not in (2, 3) or (action is not None and parts[0] != action):
        return None
    numbers = [button_number(part) for part in parts[1:]]
    target = numbers[0]
    page = numbers[1] if len(numbers) == 2 else None
    if target is None or (len(numbers) == 2 and page is None):
        return None
    return PageTap(target, page) if page is None or page <= MAX_PAGE else None
