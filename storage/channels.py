"""The cluster's linked Telegram channel or group, and the newsletters posted there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import fetch_int
from storage.timestamps import to_text


@dataclass(frozen=True)
class Channel:
    """A channel or group a facilitator linked to a cluster."""

    cluster_id: int
    chat_id: int
    title: str
    chat_type: str
    linked_by: int


@dataclass(frozen=True)
class Newsletter:
    """A newsletter as it was sent."""

    id: int
    cluster_id: int
    sender_id: int
    title: str
    body: str
    text_html: str
    chat_id: int | None
    attempts: int


async def link(
    tx: aiosqlite.Connection, cluster_id: int, chat_id: int, title: str, chat_type: str, user_id: int, now: datetime
) -> None:
    """Link (or re-link) the cluster's channel or group."""
    await tx.execute(
        "INSERT INTO cluster_channels (cluster_id, chat_id, title, chat_type, linked_by, linked_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (cluster_id) DO UPDATE SET chat_id = excluded.chat_id, title = excluded.title, "
        "chat_type = excluded.chat_type, linked_by = excluded.linked_by, linked_at = excluded.linked_at",
        (cluster_id, chat_id, title, chat_type, user_id, to_text(now)),
    )


async def unlink(tx: aiosqlite.Connection, cluster_id: int) -> None:
    """Forget the cluster's channel."""
    await tx.execute("DELETE FROM cluster_channels WHERE cluster_id = ?", (cluster_id,))


async def channel_of(tx: aiosqlite.Connection, cluster_id: int) -> Channel | None:
    """The cluster's linked channel or group, if any."""
    async with tx.execute(
        "SELECT cluster_id, chat_id, title, chat_type, linked_by FROM cluster_channels WHERE cluster_id = ?",
        (cluster_id,),
    ) as cursor:
        row = await cursor.fetchone()
    return Channel(*row) if row else None


async def clusters_linked_to(tx: aiosqlite.Connection, chat_id: int) -> list[Channel]:
    """Every cluster that has this chat as its channel."""
    async with tx.execute(
        "SELECT cluster_id, chat_id, title, chat_type, linked_by FROM cluster_channels WHERE chat_id = ?", (chat_id,)
    ) as cursor:
        return [Channel(*row) for row in await cursor.fetchall()]


_COLUMNS = "id, cluster_id, sender_id, title, body, text_html, chat_id, attempts"


async def create_newsletter(
    tx: aiosqlite.Connection,
    *,
    cluster_id: int,
    sender_id: int,
    title: str,
    body: str,
    text_html: str,
    chat_id: int | None,
    now: datetime,
    source_update_id: int,
) -> tuple[Newsletter, bool]:
    """Store a newsletter; ``(newsletter, False)`` when this update already stored it (a replay)."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO newsletters (cluster_id, sender_id, title, body, text_html, chat_id, created_at, source_update_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (cluster_id, sender_id, title, body, text_html, chat_id, to_text(now), source_update_id),
    )
    created = cursor.rowcount == 1
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM newsletters WHERE source_update_id = ?", (source_update_id,)
    ) as found:
        row = await found.fetchone()
    if row is None:  # inserted just above, or by the first try of this update
        raise LookupError(f"newsletter of update {source_update_id} not stored")
    return Newsletter(*row), created


async def get_newsletter(tx: aiosqlite.Connection, newsletter_id: int) -> Newsletter | None:
    """One newsletter by id."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM newsletters WHERE id = ?", (newsletter_id,)) as cursor:
        row = await cursor.fetchone()
    return Newsletter(*row) if row else None


async def next_attempt(tx: aiosqlite.Connection, newsletter_id: int, chat_id: int) -> int:
    """Count one more delivery attempt (to ``chat_id``) and return its number, for the outbox batch name."""
    await tx.execute(
        "UPDATE newsletters SET attempts = attempts + 1, chat_id = ? WHERE id = ?", (chat_id, newsletter_id)
    )
    return await fetch_int(tx, "SELECT attempts FROM newsletters WHERE id = ?", (newsletter_id,))
