"""Pages of a list that fit a phone screen (plain functions, shared by every flow)."""

from __future__ import annotations

from typing import TypeVar

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
