"""Forged and out-of-order taps: press any data as anyone, then check the answer and that nothing was stored."""

from __future__ import annotations

import asyncio
import logging

from emulator import SimulatedUser
from emulator.chat import ChatMessage
from storage.timestamps import to_text

# The inbox stores every update and PTB keeps each chat's step: both change with any tap, by design.
SKIPPED_TABLES = frozenset({"inbox", "ptb_conversations"})
SKIPPED_COLUMNS = {"users": frozenset({"last_seen"})}
APOLOGIES = ("Sorry, something went wrong", "Maaf, ada yang salah")


async def database_rows(db) -> dict[str, list[tuple]]:
    """Every table's rows (sorted), but the inbox, PTB's conversation states and when each person was last seen."""
    found: dict[str, list[tuple]] = {}
    async with db.read() as conn:
        async with conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") as cursor:
            tables = [row[0] for row in await cursor.fetchall() if row[0] not in SKIPPED_TABLES]
        for table in tables:
            async with conn.execute(f'SELECT * FROM "{table}"') as cursor:
                columns = [d[0] for d in cursor.description]
                rows = await cursor.fetchall()
            kept = [i for i, name in enumerate(columns) if name not in SKIPPED_COLUMNS.get(table, ())]
            found[table] = sorted((tuple(row[i] for i in kept) for row in rows), key=repr)
    return found


async def quiet(bot, timeout: float = 10.0) -> None:
    """Wait until no due message is due or being sent and the outbox is drained (their rows change on their own)."""
    db, now = bot.application.services.db, to_text(bot.application.services.clock.now())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        async with (
            db.read() as conn,
            conn.execute(
                "SELECT (SELECT COUNT(*) FROM reminders WHERE status IN ('pending', 'claimed') AND due_at <= ?)"
                " + (SELECT COUNT(*) FROM outbox WHERE status = 'sending' OR (status = 'pending' AND next_attempt_at <= ?))",
                (now, now),
            ) as cursor,
        ):
            busy = (await cursor.fetchone())[0]
        if not busy:
            await bot.idle()
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("due messages or the outbox are still busy")


async def refused(bot, person: SimulatedUser, data: str, on: ChatMessage | None = None) -> str:
    """Tap ``data`` as ``person`` (on ``on``, else their newest message) and return the short answer it got,
    once it is certain the tap stored nothing and was not answered with an apology."""
    db = bot.application.services.db
    await quiet(bot)
    before = await database_rows(db)
    answered = len(person.callback_answers)
    message = on or person.last()
    assert message is not None, f"{person!r} has no message to tap on"
    await person.tap_data(message.message_id, data)
    await person.wait_reply()
    await bot.idle()
    after = await database_rows(db)
    changed = {
        table: {
            "gone": [r for r in rows if r not in after.get(table, [])],
            "new": [r for r in after.get(table, []) if r not in rows],
        }
        for table, rows in before.items()
        if rows != after.get(table)
    }
    assert not changed, f"{data!r} tapped by {person.first_name} changed the database: {changed}"
    assert len(person.callback_answers) > answered, f"{data!r} got no answer"
    text = person.callback_answers[-1][0]
    assert text and not text.startswith(APOLOGIES), f"{data!r} was answered {text!r}"
    return text


def data_of(person: SimulatedUser, label: str) -> str:
    """The callback data of the newest button labelled ``label`` in ``person``'s chat (to replay it later)."""
    kind, _message, button = person.find_button(label)
    assert kind == "inline" and "callback_data" in button, f"{label!r} is not an inline button"
    return button["callback_data"]


def errors_logged(records: list[logging.LogRecord]) -> list[str]:
    """What the bot logged as an error, or as a failed update it would try again."""
    return [r.getMessage() for r in records if r.levelno >= logging.ERROR or "error while handling" in r.getMessage()]
