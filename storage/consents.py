"""What a person agreed to, with its date: giving, withdrawing, and reading consents back.

A consent has a kind (``PHONE``: the facilitators of one cluster may have the person's phone
number) and, for a cluster's consent, the cluster. Giving it twice keeps the first date; withdrawing
marks the consent in force as withdrawn, and giving it again later starts a new one, so
``consents_of`` reads the whole history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.timestamps import from_text, from_text_required, to_text

PHONE = "phone"  # the facilitators of the cluster may have the person's phone number


@dataclass(frozen=True)
class Consent:
    """One consent: what (``kind``), for which cluster (``None``: every cluster), given and maybe withdrawn."""

    kind: str
    cluster_id: int | None
    given_at: datetime
    withdrawn_at: datetime | None

    @property
    def in_force(self) -> bool:
        """Whether the consent holds now (not withdrawn)."""
        return self.withdrawn_at is None


def _consent(row: aiosqlite.Row) -> Consent:
    return Consent(kind=row[0], cluster_id=row[1], given_at=from_text_required(row[2]), withdrawn_at=from_text(row[3]))


async def give(tx: aiosqlite.Connection, user_id: int, kind: str, cluster_id: int | None, now: datetime) -> None:
    """Record that the person agreed to ``kind`` now (a consent already in force keeps its date)."""
    await tx.execute(
        "INSERT INTO consents (user_id, kind, cluster_id, given_at) SELECT ?, ?, ?, ? "
        "WHERE NOT EXISTS (SELECT 1 FROM consents WHERE user_id = ? AND kind = ? AND cluster_id IS ? "
        "AND withdrawn_at IS NULL)",
        (user_id, kind, cluster_id, to_text(now), user_id, kind, cluster_id),
    )


async def withdraw(tx: aiosqlite.Connection, user_id: int, kind: str, cluster_id: int | None, now: datetime) -> bool:
    """Withdraw the person's consent to ``kind`` now; ``False`` when none was in force."""
    cursor = await tx.execute(
        "UPDATE consents SET withdrawn_at = ? WHERE user_id = ? AND kind = ? AND cluster_id IS ? "
        "AND withdrawn_at IS NULL",
        (to_text(now), user_id, kind, cluster_id),
    )
    return cursor.rowcount > 0


async def consents_of(conn: aiosqlite.Connection, user_id: int) -> list[Consent]:
    """Every consent the person gave, in force or withdrawn, oldest first (for /profile and /mydata)."""
    async with conn.execute(
        "SELECT kind, cluster_id, given_at, withdrawn_at FROM consents WHERE user_id = ? ORDER BY given_at, id",
        (user_id,),
    ) as cursor:
        return [_consent(row) for row in await cursor.fetchall()]


async def in_force(conn: aiosqlite.Connection, user_id: int, kind: str, cluster_id: int | None) -> Consent | None:
    """The person's consent to ``kind`` that holds now, or ``None``."""
    async with conn.execute(
        "SELECT kind, cluster_id, given_at, withdrawn_at FROM consents "
        "WHERE user_id = ? AND kind = ? AND cluster_id IS ? AND withdrawn_at IS NULL",
        (user_id, kind, cluster_id),
    ) as cursor:
        row = await cursor.fetchone()
    return _consent(row) if row else None


async def consenting(
    conn: aiosqlite.Connection, kind: str, cluster_id: int | None, user_ids: Iterable[int]
) -> set[int]:
    """Which of ``user_ids`` agree to ``kind`` now (for ``PHONE``: whose number a download may show)."""
    wanted = set(user_ids)
    if not wanted:
        return set()
    async with conn.execute(
        "SELECT user_id FROM consents WHERE kind = ? AND cluster_id IS ? AND withdrawn_at IS NULL",
        (kind, cluster_id),
    ) as cursor:
        return {row[0] for row in await cursor.fetchall()} & wanted
