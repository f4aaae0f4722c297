"""Themes of a brainstorming session, the dots on them, and the shortlist the action plans read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import inserted_id
from storage.timestamps import to_text


@dataclass(frozen=True)
class Theme:
    """A named group of cards."""

    id: int
    session_id: int
    title: str
    merged_into: int | None
    shortlisted: bool

    @property
    def live(self) -> bool:
        """Not merged into another theme."""
        return self.merged_into is None


@dataclass(frozen=True)
class ShortlistItem:
    """One theme the cluster picked: the action-plans flow starts from these."""

    session_id: int
    theme_id: int
    title: str
    dots: int
    rank: int


_THEME = "SELECT id, session_id, title, merged_into, shortlisted FROM brainstorm_themes "


def _theme(row: aiosqlite.Row) -> Theme:
    return Theme(id=row[0], session_id=row[1], title=row[2], merged_into=row[3], shortlisted=bool(row[4]))


# -- themes -----------------------------------------------------------------------------------------


async def create_theme(tx: aiosqlite.Connection, session_id: int, title: str, now: datetime) -> Theme:
    """A new empty theme."""
    cursor = await tx.execute(
        "INSERT INTO brainstorm_themes (session_id, title, created_at) VALUES (?, ?, ?)",
        (session_id, title, to_text(now)),
    )
    theme = await get_theme(tx, inserted_id(cursor))
    assert theme is not None
    return theme


async def get_theme(tx: aiosqlite.Connection, theme_id: int) -> Theme | None:
    """The theme with this id (merged away or not)."""
    async with tx.execute(_THEME + "WHERE id = ?", (theme_id,)) as cursor:
        row = await cursor.fetchone()
    return _theme(row) if row else None


async def themes_of(tx: aiosqlite.Connection, session_id: int) -> list[Theme]:
    """The session's live themes, in the order they were made."""
    async with tx.execute(_THEME + "WHERE session_id = ? AND merged_into IS NULL ORDER BY id", (session_id,)) as cursor:
        return [_theme(row) for row in await cursor.fetchall()]


async def rename_theme(tx: aiosqlite.Connection, theme_id: int, title: str) -> None:
    """Give a theme a new title."""
    await tx.execute("UPDATE brainstorm_themes SET title = ? WHERE id = ?", (title, theme_id))


async def merge_themes(tx: aiosqlite.Connection, source_id: int, target_id: int) -> bool:
    """Move every card (and any dot) of ``source`` into ``target`` and retire ``source``. True when merged."""
    cursor = await tx.execute(
        "UPDATE brainstorm_themes SET merged_into = ? WHERE id = ? AND merged_into IS NULL AND id != ?",
        (target_id, source_id, target_id),
    )
    if cursor.rowcount != 1:
        return False
    await tx.execute("UPDATE brainstorm_cards SET theme_id = ? WHERE theme_id = ?", (target_id, source_id))
    await tx.execute("UPDATE brainstorm_dots SET theme_id = ? WHERE theme_id = ?", (target_id, source_id))
    return True


async def set_shortlisted(tx: aiosqlite.Connection, theme_id: int, shortlisted: bool) -> None:
    """Mark or unmark a theme for the shortlist."""
    await tx.execute("UPDATE brainstorm_themes SET shortlisted = ? WHERE id = ?", (int(shortlisted), theme_id))


# -- dots -------------------------------------------------------------------------------------------


async def dots_of_voter(tx: aiosqlite.Connection, session_id: int, voter_id: int) -> dict[int, int]:
    """How many dots ``voter_id`` put on each theme."""
    async with tx.execute(
        "SELECT theme_id, COUNT(*) FROM brainstorm_dots WHERE session_id = ? AND voter_id = ? GROUP BY theme_id",
        (session_id, voter_id),
    ) as cursor:
        return {row[0]: row[1] for row in await cursor.fetchall()}


async def used_slots(tx: aiosqlite.Connection, session_id: int, voter_id: int) -> list[int]:
    """The dot slots ``voter_id`` has filled."""
    async with tx.execute(
        "SELECT slot FROM brainstorm_dots WHERE session_id = ? AND voter_id = ?", (session_id, voter_id)
    ) as cursor:
        return [row[0] for row in await cursor.fetchall()]


async def place_dot(
    tx: aiosqlite.Connection, session_id: int, theme_id: int, voter_id: int, slot: int, now: datetime
) -> bool:
    """Fill one dot slot; a slot already filled (a double tap, a second phone) stores nothing. True when placed."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO brainstorm_dots (session_id, theme_id, voter_id, slot, entered_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (session_id, theme_id, voter_id, slot, voter_id, to_text(now)),
    )
    return cursor.rowcount == 1


async def take_back_dot(tx: aiosqlite.Connection, session_id: int, theme_id: int, voter_id: int) -> bool:
    """Take back one of ``voter_id``'s dots on the theme. True when one was there."""
    cursor = await tx.execute(
        "DELETE FROM brainstorm_dots WHERE id = (SELECT id FROM brainstorm_dots WHERE session_id = ? AND theme_id = ? "
        "AND voter_id = ? ORDER BY slot DESC LIMIT 1)",
        (session_id, theme_id, voter_id),
    )
    return cursor.rowcount == 1


async def room_dots(tx: aiosqlite.Connection, session_id: int) -> dict[int, int]:
    """Dots stuck on paper in the room and entered by the facilitator, per theme."""
    async with tx.execute(
        "SELECT theme_id, COUNT(*) FROM brainstorm_dots WHERE session_id = ? AND voter_id IS NULL GROUP BY theme_id",
        (session_id,),
    ) as cursor:
        return {row[0]: row[1] for row in await cursor.fetchall()}


async def set_room_dots(
    tx: aiosqlite.Connection, session_id: int, theme_id: int, seen: int, wanted: int, entered_by: int, now: datetime
) -> bool:
    """Change the in-room count of a theme from ``seen`` to ``wanted`` (compare-and-set). True when changed."""
    current = (await room_dots(tx, session_id)).get(theme_id, 0)
    if current != seen or wanted < 0:
        return False
    if wanted > current:
        await tx.executemany(
            "INSERT INTO brainstorm_dots (session_id, theme_id, voter_id, slot, entered_by, created_at) "
            "VALUES (?, ?, NULL, ?, ?, ?)",
            [(session_id, theme_id, slot, entered_by, to_text(now)) for slot in range(current + 1, wanted + 1)],
        )
    elif wanted < current:
        await tx.execute(
            "DELETE FROM brainstorm_dots WHERE id IN (SELECT id FROM brainstorm_dots WHERE session_id = ? "
            "AND theme_id = ? AND voter_id IS NULL ORDER BY id DESC LIMIT ?)",
            (session_id, theme_id, current - wanted),
        )
    return True


async def phone_dots(tx: aiosqlite.Connection, session_id: int) -> dict[int, int]:
    """Dots placed by participants on their phones, per theme."""
    async with tx.execute(
        "SELECT theme_id, COUNT(*) FROM brainstorm_dots WHERE session_id = ? AND voter_id IS NOT NULL GROUP BY theme_id",
        (session_id,),
    ) as cursor:
        return {row[0]: row[1] for row in await cursor.fetchall()}


async def voters(tx: aiosqlite.Connection, session_id: int) -> dict[int, int]:
    """Who has placed dots, and how many each (never where)."""
    async with tx.execute(
        "SELECT voter_id, COUNT(*) FROM brainstorm_dots WHERE session_id = ? AND voter_id IS NOT NULL GROUP BY voter_id",
        (session_id,),
    ) as cursor:
        return {row[0]: row[1] for row in await cursor.fetchall()}


# -- the shortlist ----------------------------------------------------------------------------------


async def save_shortlist(tx: aiosqlite.Connection, session_id: int, items: list[tuple[int, str, int, int]]) -> None:
    """Store the shortlist as ``(theme id, title, dots, rank)`` rows, replacing an earlier one."""
    await tx.execute("DELETE FROM brainstorm_shortlist WHERE session_id = ?", (session_id,))
    await tx.executemany(
        "INSERT INTO brainstorm_shortlist (session_id, theme_id, title, dots, rank) VALUES (?, ?, ?, ?, ?)",
        [(session_id, *item) for item in items],
    )


async def shortlist_of(tx: aiosqlite.Connection, session_id: int) -> list[ShortlistItem]:
    """The stored shortlist by rank."""
    async with tx.execute(
        "SELECT session_id, theme_id, title, dots, rank FROM brainstorm_shortlist WHERE session_id = ? "
        "ORDER BY rank, theme_id",
        (session_id,),
    ) as cursor:
        return [ShortlistItem(*row) for row in await cursor.fetchall()]
