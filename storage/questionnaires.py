"""Questionnaires brought in as XLSForm: their definitions, for one cluster or for every cluster."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.database import inserted_id
from storage.timestamps import from_text_required, to_text


@dataclass(frozen=True)
class Stored:
    """One imported questionnaire version."""

    id: int
    form_id: str
    version: int
    cluster_id: int | None  # None: every cluster (imported on the command line)
    definition: dict[str, Any]  # the shape bot.forms.parse_form reads
    file_name: str
    xlsform_version: str | None
    imported_by: int | None
    imported_at: datetime


_COLUMNS = "id, form_id, version, cluster_id, definition, file_name, xlsform_version, imported_by, imported_at"


def _stored(row: aiosqlite.Row) -> Stored:
    return Stored(
        id=row[0],
        form_id=row[1],
        version=row[2],
        cluster_id=row[3],
        definition=json.loads(row[4]),
        file_name=row[5],
        xlsform_version=row[6],
        imported_by=row[7],
        imported_at=from_text_required(row[8]),
    )


async def same_file(tx: aiosqlite.Connection, content_hash: str, cluster_id: int | None) -> Stored | None:
    """The questionnaire already stored from this very file for the same place (a replay, or sent again)."""
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM questionnaires WHERE content_hash = ? AND cluster_id IS ? ORDER BY id LIMIT 1",
        (content_hash, cluster_id),
    ) as cursor:
        row = await cursor.fetchone()
    return _stored(row) if row else None


async def highest_version(tx: aiosqlite.Connection, form_id: str) -> int:
    """The highest stored version of ``form_id`` (0 when none)."""
    async with tx.execute("SELECT COALESCE(MAX(version), 0) FROM questionnaires WHERE form_id = ?", (form_id,)) as c:
        row = await c.fetchone()
    return int(row[0]) if row else 0


async def add(
    tx: aiosqlite.Connection,
    *,
    definition: dict[str, Any],
    cluster_id: int | None,
    file_name: str,
    xlsform_version: str | None,
    content_hash: str,
    imported_by: int | None,
    now: datetime,
) -> Stored:
    """Keep a definition whose ``id`` and ``version`` are already set (see bot.form_library)."""
    cursor = await tx.execute(
        "INSERT INTO questionnaires (form_id, version, cluster_id, definition, file_name, xlsform_version, "
        "content_hash, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            definition["id"],
            definition["version"],
            cluster_id,
            json.dumps(definition, ensure_ascii=False),
            file_name,
            xlsform_version,
            content_hash,
            imported_by,
            to_text(now),
        ),
    )
    found = await get(tx, inserted_id(cursor))
    assert found is not None  # inserted just now, in this transaction
    return found


async def get(tx: aiosqlite.Connection, questionnaire_id: int) -> Stored | None:
    """The stored questionnaire with this id."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM questionnaires WHERE id = ?", (questionnaire_id,)) as cursor:
        row = await cursor.fetchone()
    return _stored(row) if row else None


async def every(tx: aiosqlite.Connection) -> list[Stored]:
    """Every stored questionnaire, oldest first."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM questionnaires ORDER BY id") as cursor:
        return [_stored(row) for row in await cursor.fetchall()]


async def for_cluster(tx: aiosqlite.Connection, cluster_id: int) -> list[Stored]:
    """The questionnaires a cluster may use (its own and every cluster's), oldest first."""
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM questionnaires WHERE cluster_id = ? OR cluster_id IS NULL ORDER BY id",
        (cluster_id,),
    ) as cursor:
        return [_stored(row) for row in await cursor.fetchall()]
