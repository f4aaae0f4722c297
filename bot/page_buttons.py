"""What every paged screen shows: the "Page 1/7" line and the ◀ ▶ row.

A flow pages its list with ``bot.paging.page_of`` (in its rules or views), writes
``page_line`` under its heading and adds ``page_rows`` above its other buttons;
``data_of(page)`` builds the callback data of a page (``bot.buttons.callback_data``)
with the flow's own prefix and the screen's filter, so a page keeps its filter.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardButton

from bot.i18n import format_number, translator


def page_line(lang: str, page: int, pages: int) -> str:
    """ "Page 1/7" (``page`` counts from 0) in the reader's language, numbers written as it writes them."""
    return (
        translator(lang)
        .gettext("Page {page}/{pages}")
        .format(page=format_number(page + 1, lang), pages=format_number(pages, lang))
    )


def page_rows(lang: str, page: int, pages: int, data_of: Callable[[int], str]) -> list[list[InlineKeyboardButton]]:
    """The ◀ Previous / Next ▶ row around ``page`` (no row when everything is on one page)."""
    _ = translator(lang).gettext
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(_("◀ Previous"), callback_data=data_of(page - 1)))
    if page + 1 < pages:
        row.append(InlineKeyboardButton(_("Next ▶"), callback_data=data_of(page + 1)))
    return [row] if row else []
