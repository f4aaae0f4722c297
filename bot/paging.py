"""Pages of a list that fit a phone screen (plain functions, shared by every flow)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from bot.fitting import visible_length

T = TypeVar("T")


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
