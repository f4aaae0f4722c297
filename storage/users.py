"""People who have talked to the bot: their Telegram profile and chosen language."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.timestamps import from_text, from_text_required, to_text


@dataclass(frozen=True)
class User:
    """A Telegram user as the bot knows them."""

    id: int
    first_name: str
    last_name: str | None
    username: str | None
    telegram_language: str | None
    language: str | None
    first_seen: datetime
    last_seen: datetime
    blocked_at: datetime | None

    @property
    def full_name(self) -> str:
        """First and last name as Telegram shows them."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)


_COLUMNS = "id, first_name, last_name, username, telegram_language, language, first_seen, last_seen, blocked_at"


def _user(row: aiosqlite.Row) -> User:
    return User(
        id=row[0],
        first_name=row[1],
        last_name=row[2],
        username=row[3],
        telegram_language=row[4],
        language=row[5],
        first_seen=from_text_required(row[6]),
        last_seen=from_text_required(row[7]),
        blocked_at=from_text(row[8]),
    )


async def remember_user(
    tx: aiosqlite.Connection,
    user_id: int,
    first_name: str,
    last_name: str | None,
    username: str | None,
    telegram_language: str | None,
    now: datetime,
) -> User:
    """Insert or refresh a user from the update they just sent, and return them.

    A user who writes to the bot has not blocked it, so ``blocked_at`` is cleared.
    """
    stamp = to_text(now)
    await tx.execute(
        "INSERT INTO users (id, first_name, last_name, username, telegram_language, first_seen, last_seen) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name, "
        "username = excluded.username, telegram_language = excluded.telegram_language, "
        "last_seen = excluded.last_seen, blocked_at = NULL",
        (user_id, first_name, last_name, username, telegram_language, stamp, stamp),
    )
    found = await get_user(tx, user_id)
    assert found is not None
    return found


def same_profile(
    user: User | None, first_name: str, last_name: str | None, username: str | None, telegram_language: str | None
) -> bool:
    """Whether ``user`` is stored with this Telegram profile and not marked as having blocked the bot."""
    return (
        user is not None
        and user.blocked_at is None
        and (user.first_name, user.last_name, user.username, user.telegram_language)
        == (first_name, last_name, username, telegram_language)
    )


async def touch_user(tx: aiosqlite.Connection, user_id: int, now: datetime) -> None:
    """Move a known user's "last seen" to ``now`` (their profile unchanged)."""
    await tx.execute("UPDATE users SET last_seen = ? WHERE id = ?", (to_text(now), user_id))


async def get_user(tx: aiosqlite.Connection, user_id: int) -> User | None:
    """Return the user with this Telegram id, if they ever wrote to the bot."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM users WHERE id = ?", (user_id,)) as cursor:
        row = await cursor.fetchone()
    return _user(row) if row else None


async def get_users(tx: aiosqlite.Connection, user_ids: Iterable[int]) -> dict[int, User]:
    """The users among ``user_ids`` who ever wrote to the bot, by id, in one query."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM users WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(wanted),)
    ) as cursor:
        return {person.id: person for person in map(_user, await cursor.fetchall())}


async def set_language(tx: aiosqlite.Connection, user_id: int, language: str) -> None:
    """Save the language the user chose with /language."""
    await tx.execute("UPDATE users SET language = ? WHERE id = ?", (language, user_id))


async def mark_blocked(tx: aiosqlite.Connection, user_id: int, now: datetime) -> None:
    """Record that a send to this user answered 403 (blocked the bot)."""
    await tx.execute("UPDATE users SET blocked_at = ? WHERE id = ?", (to_text(now), user_id))
