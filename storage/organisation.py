"""The cluster organisation's texts: vision and mission drafts with members' answers, and the rules (AD/ART)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import fetch_int, inserted_id
from storage.timestamps import from_text, from_text_required, to_text


@dataclass(frozen=True)
class VisionVersion:
    """One numbered draft of the vision and mission."""

    id: int
    cluster_id: int
    number: int
    text: str
    author_id: int
    created_at: datetime
    closes_at: datetime
    status: str  # consulting, superseded, adopted
    adopted_at: datetime | None
    meeting_id: int | None


@dataclass(frozen=True)
class VisionResponse:
    """A member's answer to a draft."""

    user_id: int
    full_name: str
    answer: str  # agree, change
    comment: str | None


@dataclass(frozen=True)
class RulesVersion:
    """One version of the rules (AD/ART): a document, or typed sections."""

    id: int
    cluster_id: int
    number: int
    file_id: str | None
    file_name: str | None
    sections: tuple[str, ...]
    adopted_at: datetime
    meeting_id: int | None
    author_id: int
    created_at: datetime


_VISION = "id, cluster_id, number, text, author_id, created_at, closes_at, status, adopted_at, meeting_id"
_RULES = "id, cluster_id, number, file_id, file_name, sections, adopted_at, meeting_id, author_id, created_at"


def _vision(row: aiosqlite.Row) -> VisionVersion:
    return VisionVersion(
        id=row[0],
        cluster_id=row[1],
        number=row[2],
        text=row[3],
        author_id=row[4],
        created_at=from_text_required(row[5]),
        closes_at=from_text_required(row[6]),
        status=row[7],
        adopted_at=from_text(row[8]),
        meeting_id=row[9],
    )


def _rules(row: aiosqlite.Row) -> RulesVersion:
    return RulesVersion(
        id=row[0],
        cluster_id=row[1],
        number=row[2],
        file_id=row[3],
        file_name=row[4],
        sections=tuple(json.loads(row[5])),
        adopted_at=from_text_required(row[6]),
        meeting_id=row[7],
        author_id=row[8],
        created_at=from_text_required(row[9]),
    )


# -- vision and mission ----------------------------------------------------------------


async def post_vision(
    tx: aiosqlite.Connection,
    cluster_id: int,
    text: str,
    author_id: int,
    closes_at: datetime,
    now: datetime,
    source_update_id: int,
) -> tuple[VisionVersion, bool]:
    """Store the next numbered draft (earlier drafts still open are superseded); once per update. True when new."""
    async with tx.execute(
        f"SELECT {_VISION} FROM vision_versions WHERE source_update_id = ?", (source_update_id,)
    ) as cur:
        row = await cur.fetchone()
    if row:
        return _vision(row), False
    await tx.execute(
        "UPDATE vision_versions SET status = 'superseded' WHERE cluster_id = ? AND status = 'consulting'", (cluster_id,)
    )
    cursor = await tx.execute(
        "INSERT INTO vision_versions (cluster_id, number, text, author_id, created_at, closes_at, source_update_id) "
        "VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM vision_versions WHERE cluster_id = ?), ?, ?, ?, ?, ?)",
        (cluster_id, cluster_id, text, author_id, to_text(now), to_text(closes_at), source_update_id),
    )
    return await load_vision(tx, inserted_id(cursor)), True


async def get_vision(tx: aiosqlite.Connection, version_id: int) -> VisionVersion | None:
    """One draft by id."""
    async with tx.execute(f"SELECT {_VISION} FROM vision_versions WHERE id = ?", (version_id,)) as cursor:
        row = await cursor.fetchone()
    return _vision(row) if row else None


async def load_vision(tx: aiosqlite.Connection, version_id: int) -> VisionVersion:
    """A draft that must exist (drafts are never deleted): raises LookupError otherwise."""
    version = await get_vision(tx, version_id)
    if version is None:
        raise LookupError(f"no vision version {version_id}")
    return version


async def vision_versions(tx: aiosqlite.Connection, cluster_id: int) -> list[VisionVersion]:
    """Every draft of the cluster, newest first."""
    async with tx.execute(
        f"SELECT {_VISION} FROM vision_versions WHERE cluster_id = ? ORDER BY number DESC", (cluster_id,)
    ) as cursor:
        return [_vision(row) for row in await cursor.fetchall()]


async def adopted_vision(tx: aiosqlite.Connection, cluster_id: int) -> VisionVersion | None:
    """The vision and mission in force: the newest adopted version."""
    async with tx.execute(
        f"SELECT {_VISION} FROM vision_versions WHERE cluster_id = ? AND status = 'adopted' ORDER BY number DESC LIMIT 1",
        (cluster_id,),
    ) as cursor:
        row = await cursor.fetchone()
    return _vision(row) if row else None


async def adopt_vision(tx: aiosqlite.Connection, version_id: int, meeting_id: int, now: datetime) -> None:
    """Record the version as adopted at ``meeting_id`` (its window closes; a later draft is superseded)."""
    cluster_id = (await load_vision(tx, version_id)).cluster_id
    await tx.execute(
        "UPDATE vision_versions SET status = 'superseded' WHERE cluster_id = ? AND status = 'consulting' AND id <> ?",
        (cluster_id, version_id),
    )
    await tx.execute(
        "UPDATE vision_versions SET status = 'adopted', adopted_at = ?, meeting_id = ?, "
        "closes_at = MIN(closes_at, ?) WHERE id = ?",
        (to_text(now), meeting_id, to_text(now), version_id),
    )


async def answer_vision(tx: aiosqlite.Connection, version_id: int, user_id: int, answer: str, now: datetime) -> None:
    """Record (or change) a member's answer; a comment given earlier stays with "needs change"."""
    await tx.execute(
        "INSERT INTO vision_responses (version_id, user_id, answer, answered_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (version_id, user_id) DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at, "
        "comment = CASE WHEN excluded.answer = 'change' THEN vision_responses.comment END",
        (version_id, user_id, answer, to_text(now)),
    )


async def comment_vision(tx: aiosqlite.Connection, version_id: int, user_id: int, comment: str, now: datetime) -> bool:
    """Attach a typed comment to a member's "needs change"; False when they have not answered so."""
    cursor = await tx.execute(
        "UPDATE vision_responses SET comment = ?, answered_at = ? WHERE version_id = ? AND user_id = ? AND answer = 'change'",
        (comment, to_text(now), version_id, user_id),
    )
    return cursor.rowcount == 1


async def vision_responses(tx: aiosqlite.Connection, version_id: int) -> list[VisionResponse]:
    """Every answer to a draft, by name."""
    async with tx.execute(
        "SELECT r.user_id, COALESCE(m.full_name, u.first_name), r.answer, r.comment FROM vision_responses r "
        "JOIN vision_versions v ON v.id = r.version_id JOIN users u ON u.id = r.user_id "
        "LEFT JOIN memberships m ON m.cluster_id = v.cluster_id AND m.user_id = r.user_id "
        "WHERE r.version_id = ? ORDER BY 2 COLLATE NOCASE, r.user_id",
        (version_id,),
    ) as cursor:
        return [VisionResponse(*row) for row in await cursor.fetchall()]


async def vision_answer_of(tx: aiosqlite.Connection, version_id: int, user_id: int) -> str | None:
    """A member's answer to a draft (None before they answer)."""
    async with tx.execute(
        "SELECT answer FROM vision_responses WHERE version_id = ? AND user_id = ?", (version_id, user_id)
    ) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None


# -- rules (AD/ART) --------------------------------------------------------------------


async def add_rules_version(
    tx: aiosqlite.Connection,
    cluster_id: int,
    *,
    file_id: str | None,
    file_name: str | None,
    sections: list[str],
    adopted_at: datetime,
    meeting_id: int | None,
    author_id: int,
    now: datetime,
    source_update_id: int,
) -> tuple[RulesVersion, bool]:
    """Store the next numbered version of the rules; once per update. True when new."""
    async with tx.execute(
        f"SELECT {_RULES} FROM rules_versions WHERE source_update_id = ?", (source_update_id,)
    ) as cur:
        row = await cur.fetchone()
    if row:
        return _rules(row), False
    cursor = await tx.execute(
        "INSERT INTO rules_versions (cluster_id, number, file_id, file_name, sections, adopted_at, meeting_id, "
        "author_id, created_at, source_update_id) "
        "VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM rules_versions WHERE cluster_id = ?), ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            cluster_id,
            cluster_id,
            file_id,
            file_name,
            json.dumps(sections),
            to_text(adopted_at),
            meeting_id,
            author_id,
            to_text(now),
            source_update_id,
        ),
    )
    return await load_rules(tx, inserted_id(cursor)), True


async def get_rules(tx: aiosqlite.Connection, version_id: int) -> RulesVersion | None:
    """One version of the rules by id."""
    async with tx.execute(f"SELECT {_RULES} FROM rules_versions WHERE id = ?", (version_id,)) as cursor:
        row = await cursor.fetchone()
    return _rules(row) if row else None


async def load_rules(tx: aiosqlite.Connection, version_id: int) -> RulesVersion:
    """A version of the rules that must exist (versions are never deleted): raises LookupError otherwise."""
    version = await get_rules(tx, version_id)
    if version is None:
        raise LookupError(f"no rules version {version_id}")
    return version


async def rules_versions(tx: aiosqlite.Connection, cluster_id: int) -> list[RulesVersion]:
    """Every version of the cluster's rules, newest first (the first is in force)."""
    async with tx.execute(
        f"SELECT {_RULES} FROM rules_versions WHERE cluster_id = ? ORDER BY number DESC", (cluster_id,)
    ) as cursor:
        return [_rules(row) for row in await cursor.fetchall()]


async def acknowledge_rules(tx: aiosqlite.Connection, version_id: int, user_id: int, now: datetime) -> bool:
    """Record that a member read the rules; True the first time (it is recorded once)."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO rules_acknowledgements (version_id, user_id, acknowledged_at) VALUES (?, ?, ?)",
        (version_id, user_id, to_text(now)),
    )
    return cursor.rowcount == 1


async def acknowledged_at(tx: aiosqlite.Connection, version_id: int, user_id: int) -> datetime | None:
    """When the member acknowledged this version (None if they have not)."""
    async with tx.execute(
        "SELECT acknowledged_at FROM rules_acknowledgements WHERE version_id = ? AND user_id = ?", (version_id, user_id)
    ) as cursor:
        row = await cursor.fetchone()
    return from_text(row[0]) if row else None


async def acknowledgement_count(tx: aiosqlite.Connection, version_id: int) -> int:
    """How many members acknowledged a version."""
    return await fetch_int(tx, "SELECT COUNT(*) FROM rules_acknowledgements WHERE version_id = ?", (version_id,))
