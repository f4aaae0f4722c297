"""Committees (CEDC / FEDEP / FPESD): their clusters, members, chair and secretary, digest record,
and the set-based figures their digests and reports are built from.

Every function takes an open connection or transaction first. The figure queries cover all of
a committee's clusters in one statement each (GROUP BY cluster), so a digest for a committee of
hundreds of clusters costs a handful of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.timestamps import to_text

ROLES = ("member", "chair", "secretary")


@dataclass(frozen=True)
class Committee:
    """A committee and its digest schedule."""

    id: int
    name: str
    level: str  # province, district
    timezone: str
    invite_code: str
    digest_weekday: int  # 0 = Monday
    digest_hour: int


@dataclass(frozen=True)
class CommitteeMember:
    """A person in a committee."""

    committee_id: int
    user_id: int
    full_name: str
    stakeholder_type: str | None
    role: str


_COLUMNS = "id, name, level, timezone, invite_code, digest_weekday, digest_hour"


async def create_committee(
    tx: aiosqlite.Connection,
    *,
    name: str,
    level: str,
    timezone: str,
    invite_code: str,
    created_by: int,
    now: datetime,
    source_update_id: int,
) -> tuple[Committee, bool]:
    """Create a committee once per update; True when new."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO committees (name, level, timezone, invite_code, created_by, created_at, source_update_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (name, level, timezone, invite_code, created_by, to_text(now), source_update_id),
    )
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM committees WHERE source_update_id = ?", (source_update_id,)
    ) as found:
        row = await found.fetchone()
    if row is None:  # inserted just above, or by the first try of this update
        raise LookupError(f"committee of update {source_update_id} not stored")
    return Committee(*row), cursor.rowcount == 1


async def get_committee(tx: aiosqlite.Connection, committee_id: int) -> Committee | None:
    """One committee by id."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM committees WHERE id = ?", (committee_id,)) as cursor:
        row = await cursor.fetchone()
    return Committee(*row) if row else None


async def by_invite_code(tx: aiosqlite.Connection, code: str) -> Committee | None:
    """The committee an invitation link names."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM committees WHERE invite_code = ?", (code,)) as cursor:
        row = await cursor.fetchone()
    return Committee(*row) if row else None


async def all_committees(tx: aiosqlite.Connection) -> list[Committee]:
    """Every committee by name."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM committees ORDER BY name COLLATE NOCASE, id") as cursor:
        return [Committee(*row) for row in await cursor.fetchall()]


async def committees_of(tx: aiosqlite.Connection, user_id: int) -> list[tuple[Committee, str]]:
    """The committees a person is in, with their role there."""
    async with tx.execute(
        f"SELECT {', '.join('c.' + c.strip() for c in _COLUMNS.split(','))}, m.role FROM committees c "
        "JOIN committee_members m ON m.committee_id = c.id WHERE m.user_id = ? AND m.left_at IS NULL ORDER BY c.name",
        (user_id,),
    ) as cursor:
        return [(Committee(*row[:7]), row[7]) for row in await cursor.fetchall()]


async def set_schedule(tx: aiosqlite.Connection, committee_id: int, weekday: int, hour: int) -> None:
    """When the weekly digest goes out (in the committee's zone)."""
    await tx.execute(
        "UPDATE committees SET digest_weekday = ?, digest_hour = ? WHERE id = ?", (weekday, hour, committee_id)
    )


# -- clusters ----------------------------------------------------------------------------------------


async def toggle_cluster(tx: aiosqlite.Connection, committee_id: int, cluster_id: int) -> bool:
    """Add the cluster to the committee, or take it out; True when it is in now."""
    cursor = await tx.execute(
        "DELETE FROM committee_clusters WHERE committee_id = ? AND cluster_id = ?", (committee_id, cluster_id)
    )
    if cursor.rowcount:
        return False
    await tx.execute(
        "INSERT INTO committee_clusters (committee_id, cluster_id) VALUES (?, ?)", (committee_id, cluster_id)
    )
    return True


async def cluster_ids(tx: aiosqlite.Connection, committee_id: int) -> list[int]:
    """The committee's clusters."""
    async with tx.execute(
        "SELECT cluster_id FROM committee_clusters WHERE committee_id = ? ORDER BY cluster_id", (committee_id,)
    ) as cursor:
        return [row[0] for row in await cursor.fetchall()]


async def following(tx: aiosqlite.Connection, cluster_id: int) -> list[Committee]:
    """The committees that follow a cluster (their members can be invited to its coordination meetings)."""
    async with tx.execute(
        f"SELECT {', '.join('c.' + c.strip() for c in _COLUMNS.split(','))} FROM committees c "
        "JOIN committee_clusters k ON k.committee_id = c.id WHERE k.cluster_id = ? ORDER BY c.name",
        (cluster_id,),
    ) as cursor:
        return [Committee(*row) for row in await cursor.fetchall()]


# -- members -------------------------------------------------------------------------------------------


async def join(
    tx: aiosqlite.Connection,
    committee_id: int,
    user_id: int,
    full_name: str,
    stakeholder_type: str | None,
    now: datetime,
) -> bool:
    """Add a member (or bring back one who left); True when they were not in it."""
    current = await member(tx, committee_id, user_id)
    await tx.execute(
        "INSERT INTO committee_members (committee_id, user_id, full_name, stakeholder_type, joined_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (committee_id, user_id) DO UPDATE SET full_name = excluded.full_name, "
        "stakeholder_type = excluded.stakeholder_type, left_at = NULL",
        (committee_id, user_id, full_name, stakeholder_type, to_text(now)),
    )
    return current is None


async def member(tx: aiosqlite.Connection, committee_id: int, user_id: int) -> CommitteeMember | None:
    """A current member, or None."""
    async with tx.execute(
        "SELECT committee_id, user_id, full_name, stakeholder_type, role FROM committee_members "
        "WHERE committee_id = ? AND user_id = ? AND left_at IS NULL",
        (committee_id, user_id),
    ) as cursor:
        row = await cursor.fetchone()
    return CommitteeMember(*row) if row else None


async def members_of(tx: aiosqlite.Connection, committee_id: int) -> list[CommitteeMember]:
    """Current members by name."""
    async with tx.execute(
        "SELECT committee_id, user_id, full_name, stakeholder_type, role FROM committee_members "
        "WHERE committee_id = ? AND left_at IS NULL ORDER BY full_name COLLATE NOCASE",
        (committee_id,),
    ) as cursor:
        return [CommitteeMember(*row) for row in await cursor.fetchall()]


async def appoint(tx: aiosqlite.Connection, committee_id: int, user_id: int, role: str) -> None:
    """Make a member the chair or the secretary (one each: whoever held it becomes a member)."""
    await tx.execute(
        "UPDATE committee_members SET role = 'member' WHERE committee_id = ? AND role = ?", (committee_id, role)
    )
    await tx.execute(
        "UPDATE committee_members SET role = ? WHERE committee_id = ? AND user_id = ?", (role, committee_id, user_id)
    )


async def leave(tx: aiosqlite.Connection, committee_id: int, user_id: int, now: datetime) -> None:
    """A member leaves (their role goes with them)."""
    await tx.execute(
        "UPDATE committee_members SET left_at = ?, role = 'member' WHERE committee_id = ? AND user_id = ?",
        (to_text(now), committee_id, user_id),
    )


# -- the digest record -------------------------------------------------------------------------------


async def record_digest(tx: aiosqlite.Connection, committee_id: int, period: str, outcome: str, now: datetime) -> bool:
    """Record a period's digest once; False when that period was already done (never twice)."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO committee_digests (committee_id, period, outcome, created_at) VALUES (?, ?, ?, ?)",
        (committee_id, period, outcome, to_text(now)),
    )
    return cursor.rowcount == 1


async def last_digest_outcome(tx: aiosqlite.Connection, committee_id: int, before_period: str) -> str | None:
    """How the latest earlier period ended: "sent", "quiet" (said nothing new) or "silent"."""
    async with tx.execute(
        "SELECT outcome FROM committee_digests WHERE committee_id = ? AND period < ? ORDER BY period DESC LIMIT 1",
        (committee_id, before_period),
    ) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None
