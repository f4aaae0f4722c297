"""Facts about a person the bot writes to first (not in answer to an update)."""

from __future__ import annotations

import aiosqlite

from bot.i18n import pick_language
from storage import users


async def language_of(conn: aiosqlite.Connection, user_id: int, default: str) -> str:
    """The language to write to ``user_id`` in: their choice, else their phone's, else ``default``."""
    person = await users.get_user(conn, user_id)
    if person is None:
        return default
    return pick_language(person.language, person.telegram_language, default)


def delivery_problem(error_message: str) -> str:
    """Classify a 403 from Telegram: ``blocked`` or ``not_started`` (else ``failed``)."""
    text = error_message.lower()
    if "blocked" in text:
        return "blocked"
    if "initiate" in text or "chat not found" in text:
        return "not_started"
    return "failed"
