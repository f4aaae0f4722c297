"""The cluster's supporters: organisations and people outside the membership who can help it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.database import inserted_id
from storage.timestamps import to_text

EDITABLE = ("contact", "area", "worked_with")  # the text fields a facilitator edits one at a time


@dataclass(frozen=True)
class Supporter:
    """One supporter of a cluster, with the services it offers (keys of ``conversations/supporters/rules``)."""

    id: int
    cluster_id: int
    name: str
    kind: str
    services: tuple[str, ...]
    contact: str | None
    area: str | None
    worked_with: str | None
    status: str  # confirmed, suggested, rejected, removed
    added_by: int | None

    @property
    def confirmed(self) -> bool:
        """Whether members see it."""
        return self.status == "confirmed"


_COLUMNS = "id, cluster_id, name, kind, services, contact, area, worked_with, status, added_by"


def _supporter(row: Sequence[Any]) -> Supporter:
    return Supporter(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])), row[5], row[6], row[7], row[8], row[9])


async def add_supporter(
    tx: aiosqlite.Connection,
    cluster_id: int,
    fields: dict,
    status: str,
    added_by: int,
    now: datetime,
    source_update_id: int | None,
) -> Supporter:
    """Store a supporter (``fields``: name, kind, services, contact, area, worked_with) and return it;
    the same update stored twice returns the first one."""
    if source_update_id is not None:
        async with tx.execute(
            f"SELECT {_COLUMNS} FROM supporters WHERE source_update_id = ?", (source_update_id,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is not None:
            return _supporter(row)
    cursor = await tx.execute(
        "INSERT INTO supporters (cluster_id, name, kind, services, contact, area, worked_with, status, added_by, "
        "created_at, updated_at, source_update_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            cluster_id,
            fields["name"],
            fields["kind"],
            json.dumps(list(fields.get("services") or [])),
            fields.get("contact"),
            fields.get("area"),
            fields.get("worked_with"),
            status,
            added_by,
            to_text(now),
            to_text(now),
            source_update_id,
        ),
    )
    found = await get_supporter(tx, inserted_id(cursor))
    assert found is not None
    return found


async def get_supporter(conn: aiosqlite.Connection, supporter_id: int) -> Supporter | None:
    """One supporter by id, in any status."""
    async with conn.execute(f"SELECT {_COLUMNS} FROM supporters WHERE id = ?", (supporter_id,)) as cursor:
        row = await cursor.fetchone()
    return _supporter(row) if row else None


async def list_supporters(
    conn: aiosqlite.Connection, cluster_id: int, statuses: tuple[str, ...] = ("confirmed", "suggested")
) -> list[Supporter]:
    """The cluster's supporters in the given statuses, by name."""
    marks = ", ".join("?" for _ in statuses)
    async with conn.execute(
        f"SELECT {_COLUMNS} FROM supporters WHERE cluster_id = ? AND status IN ({marks}) "
        "ORDER BY name COLLATE NOCASE, id",
        (cluster_id, *statuses),
    ) as cursor:
        return [_supporter(row) for row in await cursor.fetchall()]


async def confirmed_supporters(conn: aiosqlite.Connection, cluster_id: int) -> list[Supporter]:
    """The cluster's confirmed supporters by name (what members see; the cluster map reads it too)."""
    return await list_supporters(conn, cluster_id, ("confirmed",))


async def suggested_by(conn: aiosqlite.Connection, cluster_id: int, user_id: int) -> list[Supporter]:
    """The suggestions a member made that still wait for a facilitator."""
    async with conn.execute(
        f"SELECT {_COLUMNS} FROM supporters WHERE cluster_id = ? AND added_by = ? AND status = 'suggested' "
        "ORDER BY name COLLATE NOCASE, id",
        (cluster_id, user_id),
    ) as cursor:
        return [_supporter(row) for row in await cursor.fetchall()]


async def find_by_name(conn: aiosqlite.Connection, cluster_id: int, name: str) -> Supporter | None:
    """A confirmed or suggested supporter of the cluster with this name (any case)."""
    async with conn.execute(
        f"SELECT {_COLUMNS} FROM supporters WHERE cluster_id = ? AND status IN ('confirmed', 'suggested') "
        "AND name = ? COLLATE NOCASE ORDER BY id LIMIT 1",
        (cluster_id, name.strip()),
    ) as cursor:
        row = await cursor.fetchone()
    return _supporter(row) if row else None


async def decide(tx: aiosqlite.Connection, supporter_id: int, status: str, decided_by: int, now: datetime) -> bool:
    """Confirm or reject a waiting suggestion; False when it no longer waits (decided on another phone)."""
    cursor = await tx.execute(
        "UPDATE supporters SET status = ?, decided_by = ?, updated_at = ? WHERE id = ? AND status = 'suggested'",
        (status, decided_by, to_text(now), supporter_id),
    )
    return cursor.rowcount == 1


async def remove_supporter(tx: aiosqlite.Connection, supporter_id: int, now: datetime) -> bool:
    """Take a supporter off the list (kept as 'removed' for its visits); False when it already was."""
    cursor = await tx.execute(
        "UPDATE supporters SET status = 'removed', updated_at = ? WHERE id = ? AND status IN ('confirmed', 'suggested')",
        (to_text(now), supporter_id),
    )
    return cursor.rowcount == 1


async def set_services(tx: aiosqlite.Connection, supporter_id: int, services: tuple[str, ...], now: datetime) -> None:
    """Replace the services a supporter offers."""
    await tx.execute(
        "UPDATE supporters SET services = ?, updated_at = ? WHERE id = ?",
        (json.dumps(list(services)), to_text(now), supporter_id),
    )


async def set_kind(tx: aiosqlite.Connection, supporter_id: int, kind: str, now: datetime) -> None:
    """Change what kind of supporter it is."""
    await tx.execute("UPDATE supporters SET kind = ?, updated_at = ? WHERE id = ?", (kind, to_text(now), supporter_id))


async def set_field(tx: aiosqlite.Connection, supporter_id: int, field: str, value: str | None, now: datetime) -> None:
    """Change one text field (``EDITABLE``): contact, area or who worked with them (None clears it)."""
    if field not in EDITABLE:
        raise ValueError(field)
    await tx.execute(
        f"UPDATE supporters SET {field} = ?, updated_at = ? WHERE id = ?", (value, to_text(now), supporter_id)
    )


async def committee_supporters(conn: aiosqlite.Connection, committee_id: int) -> list[tuple[str, Supporter]]:
    """The confirmed supporters of every cluster a committee follows, as ``(cluster name, supporter)``."""
    async with conn.execute(
        "SELECT c.name, "
        + ", ".join(f"s.{column.strip()}" for column in _COLUMNS.split(","))
        + " FROM supporters s JOIN clusters c ON c.id = s.cluster_id "
        "JOIN committee_clusters k ON k.cluster_id = s.cluster_id AND k.committee_id = ? "
        "WHERE s.status = 'confirmed' ORDER BY c.name COLLATE NOCASE, c.id, s.name COLLATE NOCASE, s.id",
        (committee_id,),
    ) as cursor:
        return [(row[0], _supporter(row[1:])) for row in await cursor.fetchall()]
