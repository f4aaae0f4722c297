"""Small groups of a cluster (formed by location), each with a leader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.timestamps import to_text


@dataclass(frozen=True)
class SmallGroup:
    """A small group and how many active members it has."""

    id: int
    cluster_id: int
    name: str
    area: str | None
    leader_id: int | None
    leader_name: str | None
    member_count: int


_SELECT = (
    "SELECT g.id, g.cluster_id, g.name, g.area, g.leader_id, lm.full_name, "
    "(SELECT COUNT(*) FROM memberships m WHERE m.small_group_id = g.id AND m.left_at IS NULL) "
    "FROM small_groups g LEFT JOIN memberships lm ON lm.cluster_id = g.cluster_id AND lm.user_id = g.leader_id "
)


async def create_group(
    tx: aiosqlite.Connection, cluster_id: int, name: str, area: str | None, now: datetime
) -> SmallGroup:
    """Create a small group (a name is used once per cluster: creating it again returns it)."""
    await tx.execute(
        "INSERT OR IGNORE INTO small_groups (cluster_id, name, area, created_at) VALUES (?, ?, ?, ?)",
        (cluster_id, name, area, to_text(now)),
    )
    async with tx.execute(_SELECT + "WHERE g.cluster_id = ? AND g.name = ?", (cluster_id, name)) as cursor:
        row = await cursor.fetchone()
    assert row is not None  # inserted just now or already there
    return SmallGroup(*row)


async def get_group(tx: aiosqlite.Connection, group_id: int) -> SmallGroup | None:
    """The small group with this id."""
    async with tx.execute(_SELECT + "WHERE g.id = ?", (group_id,)) as cursor:
        row = await cursor.fetchone()
    return SmallGroup(*row) if row else None


async def list_groups(tx: aiosqlite.Connection, cluster_id: int) -> list[SmallGroup]:
    """The cluster's small groups by name."""
    async with tx.execute(_SELECT + "WHERE g.cluster_id = ? ORDER BY g.name", (cluster_id,)) as cursor:
        return [SmallGroup(*row) for row in await cursor.fetchall()]


async def assign_member(tx: aiosqlite.Connection, cluster_id: int, user_id: int, group_id: int | None) -> None:
    """Put an active member into one small group (a member is in at most one per cluster)."""
    await tx.execute(
        "UPDATE memberships SET small_group_id = ? WHERE cluster_id = ? AND user_id = ? AND left_at IS NULL",
        (group_id, cluster_id, user_id),
    )


async def set_leader(tx: aiosqlite.Connection, group_id: int, user_id: int | None) -> None:
    """Appoint the group's leader (who joins the group if they were elsewhere)."""
    await tx.execute("UPDATE small_groups SET leader_id = ? WHERE id = ?", (user_id, group_id))
    if user_id is not None:
        await tx.execute(
            "UPDATE memberships SET small_group_id = ? "
            "WHERE user_id = ? AND cluster_id = (SELECT cluster_id FROM small_groups WHERE id = ?)",
            (group_id, user_id, group_id),
        )
