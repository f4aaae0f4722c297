"""Who belongs to which cluster, with which roles."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite


@dataclass(frozen=True)
class ClusterRoles:
    """A person's place in one cluster."""

    cluster_id: int
    cluster_name: str
    is_facilitator: bool
    is_secretary: bool
    led_group_ids: tuple[int, ...]


async def roles_in_current_cluster(tx: aiosqlite.Connection, user_id: int) -> ClusterRoles | None:
    """The person's roles in the cluster they chose last (``None`` if they are in none)."""
    async with tx.execute(
        "SELECT m.cluster_id, c.name, m.is_facilitator, m.is_secretary "
        "FROM users u JOIN memberships m ON m.cluster_id = u.current_cluster_id AND m.user_id = u.id "
        "JOIN clusters c ON c.id = m.cluster_id WHERE u.id = ? AND m.left_at IS NULL",
        (user_id,),
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    async with tx.execute(
        "SELECT id FROM small_groups WHERE cluster_id = ? AND leader_id = ? ORDER BY id", (row[0], user_id)
    ) as cursor:
        led = tuple(r[0] for r in await cursor.fetchall())
    return ClusterRoles(row[0], row[1], bool(row[2]), bool(row[3]), led)
