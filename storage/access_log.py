"""Who saw what: the record of every download of personal data and every role change.

``record`` writes one entry in the caller's transaction (the work's own, or one opened right
after a file was sent); ``of_cluster`` and ``of_committee`` read a page of entries, newest
first, with the names the memberships hold now (an erased member shows as erased).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import fetch_int
from storage.timestamps import from_text_required, to_text


@dataclass(frozen=True)
class Entry:
    """One recorded download or role change."""

    at: datetime
    actor_id: int | None  # None: the bot itself (an election's count)
    actor_name: str | None
    cluster_id: int | None  # None: the committee's own (its reports, its chair and secretary)
    cluster_name: str | None
    timezone: str  # the cluster's (or the committee's) time zone
    action: str
    subject_name: str | None  # the person a role change is about
    detail: str


async def record(
    tx: aiosqlite.Connection,
    actor_id: int | None,
    cluster_id: int | None,
    action: str,
    detail: str,
    now: datetime,
    *,
    subject_id: int | None = None,
    committee_id: int | None = None,
) -> None:
    """Note that ``actor_id`` did ``action`` (a download or a role change) in the cluster or committee."""
    await tx.execute(
        "INSERT INTO access_log (at, actor_id, cluster_id, committee_id, action, subject_id, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (to_text(now), actor_id, cluster_id, committee_id, action, subject_id, detail),
    )


def _name_of(alias: str, person: str) -> str:
    """A person's name as the cluster (or the committee) knows it now; the Telegram name otherwise."""
    return (
        f"COALESCE((SELECT full_name FROM memberships WHERE cluster_id = a.cluster_id AND user_id = a.{person}), "
        f"(SELECT full_name FROM committee_members WHERE committee_id = a.committee_id AND user_id = a.{person}), "
        f"(SELECT first_name FROM users WHERE id = a.{person})) AS {alias}"
    )


_SELECT = (
    "SELECT a.at, a.actor_id, "
    + _name_of("actor_name", "actor_id")
    + ", a.cluster_id, c.name, COALESCE(c.timezone, k.timezone, 'Asia/Jakarta'), a.action, "
    + _name_of("subject_name", "subject_id")
    + ", a.detail FROM access_log a "
    "LEFT JOIN clusters c ON c.id = a.cluster_id LEFT JOIN committees k ON k.id = a.committee_id "
)
_OF_COMMITTEE = (
    "(a.committee_id = ? OR a.cluster_id IN (SELECT cluster_id FROM committee_clusters WHERE committee_id = ?))"
)


def _entry(row: aiosqlite.Row) -> Entry:
    return Entry(
        at=from_text_required(row[0]),
        actor_id=row[1],
        actor_name=row[2],
        cluster_id=row[3],
        cluster_name=row[4],
        timezone=row[5],
        action=row[6],
        subject_name=row[7],
        detail=row[8],
    )


async def _page(
    conn: aiosqlite.Connection, where: str, params: tuple[int, ...], offset: int, limit: int
) -> tuple[list[Entry], int]:
    total = await fetch_int(conn, f"SELECT COUNT(*) FROM access_log a WHERE {where}", params)
    async with conn.execute(
        _SELECT + f"WHERE {where} ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?", (*params, limit, offset)
    ) as cursor:
        return [_entry(row) for row in await cursor.fetchall()], total


async def of_cluster(
    conn: aiosqlite.Connection, cluster_id: int, offset: int = 0, limit: int = 10
) -> tuple[list[Entry], int]:
    """A page of the cluster's entries, newest first, and how many there are."""
    return await _page(conn, "a.cluster_id = ?", (cluster_id,), offset, limit)


async def of_committee(
    conn: aiosqlite.Connection, committee_id: int, offset: int = 0, limit: int = 10
) -> tuple[list[Entry], int]:
    """A page of the entries of the committee's clusters and of the committee itself, newest first."""
    return await _page(conn, _OF_COMMITTEE, (committee_id, committee_id), offset, limit)
