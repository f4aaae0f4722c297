"""The cluster's firm list (members or not)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.timestamps import to_text


@dataclass(frozen=True)
class Firm:
    """A firm of the cluster, as the facilitator recorded it."""

    id: int
    cluster_id: int
    name: str
    village: str | None
    business: str | None
    stakeholder_type: str | None
    contact: str | None


_COLUMNS = "id, cluster_id, name, village, business, stakeholder_type, contact"


async def add_firms(
    tx: aiosqlite.Connection, cluster_id: int, firms: list[dict], added_by: int, now: datetime, source_update_id: int
) -> int:
    """Store firms given as dicts (name, village, business, stakeholder_type, contact); return how many.

    Keyed by the update that brought them and their position, so a replayed update adds nothing.
    """
    before = tx.total_changes
    await tx.executemany(
        "INSERT OR IGNORE INTO firms (cluster_id, name, village, business, stakeholder_type, contact, added_by, "
        "created_at, source_update_id, source_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                cluster_id,
                f["name"],
                f.get("village"),
                f.get("business"),
                f.get("stakeholder_type"),
                f.get("contact"),
                added_by,
                to_text(now),
                source_update_id,
                row,
            )
            for row, f in enumerate(firms)
        ],
    )
    return tx.total_changes - before


async def list_firms(tx: aiosqlite.Connection, cluster_id: int) -> list[Firm]:
    """Every firm of the cluster, by name."""
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM firms WHERE cluster_id = ? ORDER BY name COLLATE NOCASE, id", (cluster_id,)
    ) as cursor:
        return [Firm(*row) for row in await cursor.fetchall()]
