"""Survey rounds: a questionnaire opened for a cluster until it is closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import inserted_id
from storage.timestamps import from_text, from_text_required, to_text


@dataclass(frozen=True)
class Round:
    """A survey round of a cluster."""

    id: int
    cluster_id: int
    form_id: str
    form_version: int
    title: str
    closes_at: datetime | None
    status: str
    opened_by: int
    opened_at: datetime
    closed_at: datetime | None

    @property
    def subject(self) -> str:
        """The subject its responses answer."""
        return f"survey_round:{self.id}"

    @property
    def open(self) -> bool:
        """Whether answers are still accepted."""
        return self.status == "open"


_COLUMNS = "id, cluster_id, form_id, form_version, title, closes_at, status, opened_by, opened_at, closed_at"


def _round(row: aiosqlite.Row) -> Round:
    return Round(
        id=row[0],
        cluster_id=row[1],
        form_id=row[2],
        form_version=row[3],
        title=row[4],
        closes_at=from_text(row[5]),
        status=row[6],
        opened_by=row[7],
        opened_at=from_text_required(row[8]),
        closed_at=from_text(row[9]),
    )


async def open_round(
    tx: aiosqlite.Connection,
    *,
    cluster_id: int,
    form_id: str,
    form_version: int,
    title: str,
    closes_at: datetime | None,
    opened_by: int,
    now: datetime,
    source_update_id: int,
) -> tuple[Round, bool]:
    """Open a round (once per update); True when new."""
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM survey_rounds WHERE source_update_id = ?", (source_update_id,)
    ) as cursor:
        row = await cursor.fetchone()
    if row:
        return _round(row), False
    cursor = await tx.execute(
        "INSERT INTO survey_rounds (cluster_id, form_id, form_version, title, closes_at, opened_by, opened_at, source_update_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            cluster_id,
            form_id,
            form_version,
            title,
            to_text(closes_at) if closes_at else None,
            opened_by,
            to_text(now),
            source_update_id,
        ),
    )
    opened = await get_round(tx, inserted_id(cursor))
    assert opened is not None  # inserted just now, in this transaction
    return opened, True


async def get_round(tx: aiosqlite.Connection, round_id: int) -> Round | None:
    """The round with this id."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM survey_rounds WHERE id = ?", (round_id,)) as cursor:
        row = await cursor.fetchone()
    return _round(row) if row else None


async def load_round(tx: aiosqlite.Connection, round_id: int) -> Round:
    """The round with this id, which must exist (a round is never deleted): raises LookupError otherwise."""
    survey_round = await get_round(tx, round_id)
    if survey_round is None:
        raise LookupError(f"no survey round {round_id}")
    return survey_round


async def rounds_of(tx: aiosqlite.Connection, cluster_id: int) -> list[Round]:
    """The cluster's rounds, oldest first."""
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM survey_rounds WHERE cluster_id = ? ORDER BY opened_at, id", (cluster_id,)
    ) as cursor:
        return [_round(row) for row in await cursor.fetchall()]


async def close_round(tx: aiosqlite.Connection, round_id: int, now: datetime) -> None:
    """Stop accepting answers."""
    await tx.execute(
        "UPDATE survey_rounds SET status = 'closed', closed_at = COALESCE(closed_at, ?) WHERE id = ?",
        (to_text(now), round_id),
    )
