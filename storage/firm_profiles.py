"""Firm profiles: each active member's latest sent firm profile, read from the survey rounds that asked it.

A profile is a response to a round of the ``firm_profile`` questionnaire (``storage/surveys.py``,
``storage/forms.py``); nothing is kept twice. A member who sent it in several rounds (one a year)
counts with the newest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.timestamps import from_text_required

FORM_ID = "firm_profile"


@dataclass(frozen=True)
class MemberProfile:
    """An active member with their stakeholder type and their latest sent firm profile (None: not sent)."""

    user_id: int
    full_name: str
    stakeholder_type: str | None
    answers: dict[str, Any] | None
    submitted_at: datetime | None


_LATEST = (
    "WITH sent AS (SELECT f.id, f.respondent_id, f.submitted_at, ROW_NUMBER() OVER "
    "(PARTITION BY f.respondent_id ORDER BY f.submitted_at DESC, f.id DESC) AS age "
    "FROM form_responses f JOIN survey_rounds r ON f.subject = 'survey_round:' || r.id "
    "WHERE r.cluster_id = ? AND r.form_id = ? AND f.status = 'submitted' AND f.respondent_id IS NOT NULL) "
)


async def member_profiles(conn: aiosqlite.Connection, cluster_id: int) -> list[MemberProfile]:
    """Every active member of the cluster by name, each with their latest sent firm profile (two queries)."""
    async with conn.execute(
        f"{_LATEST}SELECT m.user_id, m.full_name, m.stakeholder_type, s.id, s.submitted_at FROM memberships m "
        "LEFT JOIN sent s ON s.respondent_id = m.user_id AND s.age = 1 "
        "WHERE m.cluster_id = ? AND m.left_at IS NULL ORDER BY m.full_name COLLATE NOCASE, m.user_id",
        (cluster_id, FORM_ID, cluster_id),
    ) as cursor:
        rows = list(await cursor.fetchall())
    answers: dict[int, dict[str, Any]] = {}
    async with conn.execute(
        f"{_LATEST}SELECT a.response_id, a.question, a.value FROM sent JOIN form_answers a ON a.response_id = sent.id "
        "WHERE sent.age = 1",
        (cluster_id, FORM_ID),
    ) as cursor:
        for response_id, question, value in await cursor.fetchall():
            answers.setdefault(response_id, {})[question] = json.loads(value)
    return [
        MemberProfile(
            user_id=row[0],
            full_name=row[1],
            stakeholder_type=row[2],
            answers=answers.get(row[3], {}) if row[3] is not None else None,
            submitted_at=from_text_required(row[4]) if row[4] is not None else None,
        )
        for row in rows
    ]
