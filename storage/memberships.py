"""Who belongs to which cluster: profiles, roles, joining and leaving, the directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import fetch_int
from storage.timestamps import from_text, from_text_required, to_text

PROFILE_FIELDS = ("full_name", "home_area", "core_business", "stakeholder_type", "phone")


@dataclass(frozen=True)
class ClusterRoles:
    """A person's place in one cluster."""

    cluster_id: int
    cluster_name: str
    is_facilitator: bool
    is_secretary: bool
    led_group_ids: tuple[int, ...]
    board_positions: tuple[str, ...] = ()  # held now in the cluster's own organisation: chair, treasurer, ...


@dataclass(frozen=True)
class Membership:
    """A person's profile and roles in one cluster."""

    cluster_id: int
    user_id: int
    full_name: str
    home_area: str | None
    core_business: str | None
    stakeholder_type: str | None
    phone: str | None
    small_group_id: int | None
    small_group_name: str | None
    is_facilitator: bool
    is_secretary: bool
    is_group_leader: bool
    joined_at: datetime
    left_at: datetime | None

    @property
    def active(self) -> bool:
        """Whether the person is still in the cluster."""
        return self.left_at is None


_SELECT = (
    "SELECT m.cluster_id, m.user_id, m.full_name, m.home_area, m.core_business, m.stakeholder_type, m.phone, "
    "m.small_group_id, g.name, m.is_facilitator, m.is_secretary, "
    "EXISTS (SELECT 1 FROM small_groups l WHERE l.cluster_id = m.cluster_id AND l.leader_id = m.user_id), "
    "m.joined_at, m.left_at "
    "FROM memberships m LEFT JOIN small_groups g ON g.id = m.small_group_id "
)


def _membership(row: aiosqlite.Row) -> Membership:
    return Membership(
        cluster_id=row[0],
        user_id=row[1],
        full_name=row[2],
        home_area=row[3],
        core_business=row[4],
        stakeholder_type=row[5],
        phone=row[6],
        small_group_id=row[7],
        small_group_name=row[8],
        is_facilitator=bool(row[9]),
        is_secretary=bool(row[10]),
        is_group_leader=bool(row[11]),
        joined_at=from_text_required(row[12]),
        left_at=from_text(row[13]),
    )


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
    async with tx.execute(
        "SELECT DISTINCT position FROM organisation_positions "
        "WHERE cluster_id = ? AND user_id = ? AND until IS NULL ORDER BY position",
        (row[0], user_id),
    ) as cursor:
        board = tuple(r[0] for r in await cursor.fetchall())
    return ClusterRoles(row[0], row[1], bool(row[2]), bool(row[3]), led, board)


async def get_membership(tx: aiosqlite.Connection, cluster_id: int, user_id: int) -> Membership | None:
    """The person's membership record in the cluster (also after they left)."""
    async with tx.execute(_SELECT + "WHERE m.cluster_id = ? AND m.user_id = ?", (cluster_id, user_id)) as cursor:
        row = await cursor.fetchone()
    return _membership(row) if row else None


async def join_cluster(
    tx: aiosqlite.Connection, cluster_id: int, user_id: int, profile: dict[str, str | None], now: datetime
) -> Membership:
    """Add the person with their profile (a returning member is re-activated) and make it their current cluster."""
    values = [profile.get(field) for field in PROFILE_FIELDS]
    await tx.execute(
        "INSERT INTO memberships (cluster_id, user_id, full_name, home_area, core_business, stakeholder_type, "
        "phone, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (cluster_id, user_id) DO UPDATE SET full_name = excluded.full_name, "
        "home_area = excluded.home_area, core_business = excluded.core_business, "
        "stakeholder_type = excluded.stakeholder_type, phone = excluded.phone, "
        "joined_at = CASE WHEN memberships.left_at IS NULL THEN memberships.joined_at ELSE excluded.joined_at END, "
        "left_at = NULL",
        (cluster_id, user_id, *values, to_text(now)),
    )
    await set_current_cluster(tx, user_id, cluster_id)
    found = await get_membership(tx, cluster_id, user_id)
    assert found is not None
    return found


async def update_profile(
    tx: aiosqlite.Connection, cluster_id: int, user_id: int, profile: dict[str, str | None]
) -> None:
    """Replace the profile fields given in ``profile``."""
    fields = [field for field in PROFILE_FIELDS if field in profile]
    if not fields:
        return
    assignments = ", ".join(f"{field} = ?" for field in fields)
    await tx.execute(
        f"UPDATE memberships SET {assignments} WHERE cluster_id = ? AND user_id = ?",
        (*(profile[field] for field in fields), cluster_id, user_id),
    )


async def leave_cluster(tx: aiosqlite.Connection, cluster_id: int, user_id: int, now: datetime) -> None:
    """Mark the person as gone (the record and its history stay); they lead no group any more."""
    await tx.execute(
        "UPDATE memberships SET left_at = ?, is_facilitator = 0, is_secretary = 0 "
        "WHERE cluster_id = ? AND user_id = ? AND left_at IS NULL",
        (to_text(now), cluster_id, user_id),
    )
    await tx.execute(
        "UPDATE small_groups SET leader_id = NULL WHERE cluster_id = ? AND leader_id = ?", (cluster_id, user_id)
    )
    await tx.execute(
        "UPDATE users SET current_cluster_id = ("
        " SELECT cluster_id FROM memberships WHERE user_id = ? AND left_at IS NULL ORDER BY joined_at DESC LIMIT 1"
        ") WHERE id = ? AND current_cluster_id = ?",
        (user_id, user_id, cluster_id),
    )


async def set_current_cluster(tx: aiosqlite.Connection, user_id: int, cluster_id: int) -> None:
    """Remember which cluster the person is working in."""
    await tx.execute("UPDATE users SET current_cluster_id = ? WHERE id = ?", (cluster_id, user_id))


async def clusters_of(tx: aiosqlite.Connection, user_id: int) -> list[tuple[int, str]]:
    """``(cluster id, name)`` of every cluster the person is in now, by name."""
    async with tx.execute(
        "SELECT c.id, c.name FROM memberships m JOIN clusters c ON c.id = m.cluster_id "
        "WHERE m.user_id = ? AND m.left_at IS NULL ORDER BY c.name, c.id",
        (user_id,),
    ) as cursor:
        return [(row[0], row[1]) for row in await cursor.fetchall()]


async def set_roles(
    tx: aiosqlite.Connection,
    cluster_id: int,
    user_id: int,
    *,
    facilitator: bool | None = None,
    secretary: bool | None = None,
) -> None:
    """Give or take the facilitator or secretary role of an active member."""
    if facilitator is not None:
        await tx.execute(
            "UPDATE memberships SET is_facilitator = ? WHERE cluster_id = ? AND user_id = ? AND left_at IS NULL",
            (int(facilitator), cluster_id, user_id),
        )
    if secretary is not None:
        await tx.execute(
            "UPDATE memberships SET is_secretary = ? WHERE cluster_id = ? AND user_id = ? AND left_at IS NULL",
            (int(secretary), cluster_id, user_id),
        )


async def count_facilitators(tx: aiosqlite.Connection, cluster_id: int) -> int:
    """How many active facilitators the cluster has."""
    return await fetch_int(
        tx,
        "SELECT COUNT(*) FROM memberships WHERE cluster_id = ? AND is_facilitator = 1 AND left_at IS NULL",
        (cluster_id,),
    )


async def directory(
    tx: aiosqlite.Connection,
    cluster_id: int,
    *,
    small_group_id: int | None = None,
    stakeholder_type: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[Membership], int]:
    """Active members by name, optionally of one small group or stakeholder type; with the total count."""
    where = "WHERE m.cluster_id = ? AND m.left_at IS NULL"
    params: list[object] = [cluster_id]
    if small_group_id is not None:
        where += " AND m.small_group_id = ?"
        params.append(small_group_id)
    if stakeholder_type is not None:
        where += " AND m.stakeholder_type = ?"
        params.append(stakeholder_type)
    total = await fetch_int(tx, f"SELECT COUNT(*) FROM memberships m {where}", params)
    page = (
        f" ORDER BY m.full_name COLLATE NOCASE, m.user_id LIMIT {int(limit)} OFFSET {int(offset)}"
        if limit
        else (" ORDER BY m.full_name COLLATE NOCASE, m.user_id")
    )
    async with tx.execute(_SELECT + where + page, params) as cursor:
        rows = await cursor.fetchall()
    return [_membership(row) for row in rows], total


@dataclass(frozen=True)
class OfficeHolder:
    """A person holding a position in the cluster's organisation (the board)."""

    cluster_id: int
    position: str
    user_id: int
    full_name: str
    since: datetime
    election_id: int | None


async def assign_position(
    tx: aiosqlite.Connection, cluster_id: int, position: str, user_id: int, now: datetime, election_id: int | None
) -> None:
    """Give the person a position in the organisation; whoever held it before holds it until now."""
    async with tx.execute(
        "SELECT user_id FROM organisation_positions WHERE cluster_id = ? AND position = ? AND until IS NULL",
        (cluster_id, position),
    ) as cursor:
        holders = {row[0] for row in await cursor.fetchall()}
    if holders == {user_id}:
        return
    await tx.execute(
        "UPDATE organisation_positions SET until = ? WHERE cluster_id = ? AND position = ? AND until IS NULL",
        (to_text(now), cluster_id, position),
    )
    await tx.execute(
        "INSERT INTO organisation_positions (cluster_id, position, user_id, since, election_id) VALUES (?, ?, ?, ?, ?)",
        (cluster_id, position, user_id, to_text(now), election_id),
    )


async def board(tx: aiosqlite.Connection, cluster_id: int) -> list[OfficeHolder]:
    """Who holds each position now, in the order they took office."""
    async with tx.execute(
        "SELECT p.cluster_id, p.position, p.user_id, COALESCE(m.full_name, u.first_name), p.since, p.election_id "
        "FROM organisation_positions p JOIN users u ON u.id = p.user_id "
        "LEFT JOIN memberships m ON m.cluster_id = p.cluster_id AND m.user_id = p.user_id "
        "WHERE p.cluster_id = ? AND p.until IS NULL ORDER BY p.id",
        (cluster_id,),
    ) as cursor:
        rows = await cursor.fetchall()
    return [
        OfficeHolder(
            cluster_id=row[0],
            position=row[1],
            user_id=row[2],
            full_name=row[3],
            since=from_text_required(row[4]),
            election_id=row[5],
        )
        for row in rows
    ]


async def make_sole_secretary(tx: aiosqlite.Connection, cluster_id: int, user_id: int) -> None:
    """Make the person the cluster's one secretary (who receives the digests); any other secretary steps down."""
    async with tx.execute(
        "SELECT user_id FROM memberships WHERE cluster_id = ? AND is_secretary = 1 AND user_id <> ?",
        (cluster_id, user_id),
    ) as cursor:
        others = [row[0] for row in await cursor.fetchall()]
    for other in others:
        await set_roles(tx, cluster_id, other, secretary=False)
    await set_roles(tx, cluster_id, user_id, secretary=True)
