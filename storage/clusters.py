"""Clusters: create, find by id or invite code, rotate the invitation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import fetch_int, inserted_id
from storage.timestamps import from_text_required, to_text


@dataclass(frozen=True)
class Cluster:
    """A cluster (sentra) of small firms in one trade and place."""

    id: int
    name: str
    regency: str
    province: str
    industry: str
    timezone: str
    invite_code: str
    created_by: int
    created_at: datetime


_COLUMNS = "id, name, regency, province, industry, timezone, invite_code, created_by, created_at"


def _cluster(row: aiosqlite.Row) -> Cluster:
    return Cluster(
        id=row[0],
        name=row[1],
        regency=row[2],
        province=row[3],
        industry=row[4],
        timezone=row[5],
        invite_code=row[6],
        created_by=row[7],
        created_at=from_text_required(row[8]),
    )


async def create_cluster(
    tx: aiosqlite.Connection,
    *,
    name: str,
    regency: str,
    province: str,
    industry: str,
    timezone: str,
    invite_code: str,
    created_by: int,
    full_name: str,
    now: datetime,
    source_update_id: int,
) -> Cluster:
    """Create a cluster with its creator as facilitator; the same update creates it once only."""
    existing = await _by_source_update(tx, source_update_id)
    if existing:
        return existing
    cursor = await tx.execute(
        "INSERT INTO clusters (name, regency, province, industry, timezone, invite_code, created_by, "
        "created_at, source_update_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (name, regency, province, industry, timezone, invite_code, created_by, to_text(now), source_update_id),
    )
    cluster_id = inserted_id(cursor)
    await tx.execute(
        "INSERT INTO memberships (cluster_id, user_id, full_name, is_facilitator, joined_at) VALUES (?, ?, ?, 1, ?)",
        (cluster_id, created_by, full_name, to_text(now)),
    )
    await tx.execute("UPDATE users SET current_cluster_id = ? WHERE id = ?", (cluster_id, created_by))
    found = await get_cluster(tx, cluster_id)
    assert found is not None
    return found


async def get_cluster(tx: aiosqlite.Connection, cluster_id: int) -> Cluster | None:
    """Return the cluster with this id."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM clusters WHERE id = ?", (cluster_id,)) as cursor:
        row = await cursor.fetchone()
    return _cluster(row) if row else None


async def find_by_invite_code(tx: aiosqlite.Connection, code: str) -> Cluster | None:
    """Return the cluster whose current invitation code is ``code``."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM clusters WHERE invite_code = ?", (code,)) as cursor:
        row = await cursor.fetchone()
    return _cluster(row) if row else None


async def set_invite_code(tx: aiosqlite.Connection, cluster_id: int, code: str) -> None:
    """Replace the cluster's invitation code (old links stop working)."""
    await tx.execute("UPDATE clusters SET invite_code = ? WHERE id = ?", (code, cluster_id))


async def list_clusters(tx: aiosqlite.Connection) -> list[Cluster]:
    """Every cluster by name."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM clusters ORDER BY name COLLATE NOCASE, id") as cursor:
        return [_cluster(row) for row in await cursor.fetchall()]


async def count_clusters(tx: aiosqlite.Connection) -> int:
    """How many clusters exist."""
    return await fetch_int(tx, "SELECT COUNT(*) FROM clusters")


async def _by_source_update(tx: aiosqlite.Connection, update_id: int) -> Cluster | None:
    async with tx.execute(f"SELECT {_COLUMNS} FROM clusters WHERE source_update_id = ?", (update_id,)) as cursor:
        row = await cursor.fetchone()
    return _cluster(row) if row else None


async def load_cluster(tx: aiosqlite.Connection, cluster_id: int) -> Cluster:
    """A cluster that must exist (the cluster of a plan, an election, a draft: clusters are never deleted);
    raises LookupError otherwise."""
    cluster = await get_cluster(tx, cluster_id)
    if cluster is None:
        raise LookupError(f"no cluster {cluster_id}")
    return cluster
