"""Old menu and help pages speak: a button of an older layout says the menu changed, and reopens it in one tap."""

from __future__ import annotations

import aiosqlite

from bot.buttons import parse_callback
from bot.i18n import translator
from bot.menu import MENU_PREFIX
from bot.services import RembugApplication
from bot.stale import Explanation, OldTap, StaleButtons
from conversations.start.rules import PREFIX


async def explain_layout(conn: aiosqlite.Connection, tap: OldTap) -> Explanation | None:
    """A menu group or help page that is no longer there: the menu changed since that message."""
    parts = parse_callback(tap.data, MENU_PREFIX) or parse_callback(tap.data, PREFIX) or []
    if tap.data.startswith(PREFIX + ":") and parts[:1] != ["help"]:
        return None  # not a page of the menu or of /help
    _ = translator(tap.lang).gettext
    return Explanation(
        _("The menu has changed."),
        _("The menu has changed since that message. Open it again to see it as it is now."),
    )


def register(application: RembugApplication) -> None:
    """Let old menu and help pages speak."""
    stale = application.services.state(StaleButtons)
    stale.add(MENU_PREFIX, explain_layout)
    stale.add(PREFIX, explain_layout)
