"""Old books buttons speak: the chair's ✅/✖ on an entry already decided, or Reverse on one already reversed."""

from __future__ import annotations

import aiosqlite

from bot.i18n import translator
from bot.services import RembugApplication
from bot.stale import Explanation, OldTap, StaleButtons, belongs_here
from conversations.money.rules import PREFIX, Numbered, NumberTap, parse_tap
from storage import cash_book


async def explain_entry(conn: aiosqlite.Connection, tap: OldTap) -> Explanation | None:
    """What happened to the entry an old ``kb1`` button names."""
    parsed = parse_tap(tap.data)
    if not isinstance(parsed, NumberTap) or parsed.what not in (
        Numbered.CONFIRM,
        Numbered.REJECT,
        Numbered.REVERSE,
        Numbered.REVERSE_YES,
    ):
        return None
    entry = await cash_book.get_entry(conn, parsed.number)
    if entry is None:
        return None
    here = await belongs_here(conn, tap, entry.cluster_id)
    if here is not True:
        return here or None
    _ = translator(tap.lang).gettext
    if parsed.what in (Numbered.CONFIRM, Numbered.REJECT) and entry.status != "pending":
        said = (
            _("Entry #{number} was already confirmed.")
            if entry.status == "recorded"
            else _("Entry #{number} was already rejected.")
        ).format(number=entry.id)
        return Explanation(said, said)
    if await cash_book.reversal_of(conn, entry.id) is not None:
        said = _("This entry was already reversed.")
        return Explanation(said, said)
    return None


def register(application: RembugApplication) -> None:
    """Let old books buttons speak."""
    application.services.state(StaleButtons).add(PREFIX, explain_entry)
