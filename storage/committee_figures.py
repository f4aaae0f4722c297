"""The figures of a committee's clusters, one set-based query each (GROUP BY cluster).

Each function takes a connection, the committee's id and a period ``[since, until)`` in UTC,
and returns a dict keyed by cluster id (clusters without rows are simply absent). The digest
and the reports (conversations/committee) combine them with plain rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.plan_checkins import OVERDUE
from storage.timestamps import from_text_required, to_text

_CLUSTERS = "(SELECT cluster_id FROM committee_clusters WHERE committee_id = ?)"
CONDITION_SURVEY = "annex1"  # the committee follows the cluster-condition survey, not a cluster's own questionnaires


@dataclass(frozen=True)
class ClusterRow:
    """A cluster as the committee lists it."""

    id: int
    name: str
    regency: str
    timezone: str


@dataclass(frozen=True)
class Meetings:
    """Meetings that took place in a period (not cancelled): how many, invitees, invitees present."""

    held: int
    invited: int
    attended: int


async def clusters(conn: aiosqlite.Connection, committee_id: int) -> list[ClusterRow]:
    """The committee's clusters by name."""
    async with conn.execute(
        f"SELECT id, name, regency, timezone FROM clusters WHERE id IN {_CLUSTERS} ORDER BY name COLLATE NOCASE, id",
        (committee_id,),
    ) as cursor:
        return [ClusterRow(*row) for row in await cursor.fetchall()]


async def members(
    conn: aiosqlite.Connection, committee_id: int, since: datetime, until: datetime
) -> dict[int, tuple[int, int]]:
    """``cluster -> (active members, of whom joined in the period)``."""
    async with conn.execute(
        f"SELECT cluster_id, COUNT(*), SUM(joined_at >= ? AND joined_at < ?) FROM memberships "
        f"WHERE cluster_id IN {_CLUSTERS} AND left_at IS NULL GROUP BY cluster_id",
        (to_text(since), to_text(until), committee_id),
    ) as cursor:
        return {row[0]: (row[1], row[2] or 0) for row in await cursor.fetchall()}


async def visits(conn: aiosqlite.Connection, committee_id: int, since: datetime, until: datetime) -> dict[int, int]:
    """``cluster -> visits and calls to supporters and firms`` recorded in the period (conversations/supporters)."""
    async with conn.execute(
        f"SELECT cluster_id, COUNT(*) FROM visits WHERE cluster_id IN {_CLUSTERS} AND created_at >= ? AND created_at < ? "
        "GROUP BY cluster_id",
        (committee_id, to_text(since), to_text(until)),
    ) as cursor:
        return {row[0]: row[1] for row in await cursor.fetchall()}


async def meetings(
    conn: aiosqlite.Connection, committee_id: int, since: datetime, until: datetime, kind: str | None = None
) -> dict[int, Meetings]:
    """``cluster -> Meetings`` that started in the period (optionally of one kind)."""
    sql = (
        "SELECT m.cluster_id, COUNT(*), "
        "SUM((SELECT COUNT(*) FROM meeting_invitees i WHERE i.meeting_id = m.id)), "
        "SUM((SELECT COUNT(*) FROM attendance a JOIN meeting_invitees i ON i.meeting_id = a.meeting_id AND i.user_id = a.user_id "
        "WHERE a.meeting_id = m.id)) "
        f"FROM meetings m WHERE m.cluster_id IN {_CLUSTERS} AND m.status <> 'cancelled' AND m.starts_at >= ? AND m.starts_at < ?"
    )
    params: list[object] = [committee_id, to_text(since), to_text(until)]
    if kind:
        sql += " AND m.kind = ?"
        params.append(kind)
    async with conn.execute(sql + " GROUP BY m.cluster_id", params) as cursor:
        return {row[0]: Meetings(row[1], row[2] or 0, row[3] or 0) for row in await cursor.fetchall()}


async def held(conn: aiosqlite.Connection, committee_id: int, since: datetime, until: datetime, kind: str) -> int:
    """How many meetings of ``kind`` the committee's clusters held in the period (not cancelled)."""
    async with conn.execute(
        f"SELECT COUNT(*) FROM meetings WHERE cluster_id IN {_CLUSTERS} AND status <> 'cancelled' "
        "AND starts_at >= ? AND starts_at < ? AND kind = ?",
        (committee_id, to_text(since), to_text(until), kind),
    ) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else 0


async def upcoming(
    conn: aiosqlite.Connection, committee_id: int, since: datetime, until: datetime
) -> dict[int, list[tuple[str, datetime]]]:
    """``cluster -> [(topic, start)]`` of meetings planned in the period (not cancelled), soonest first."""
    async with conn.execute(
        f"SELECT cluster_id, topic, starts_at FROM meetings WHERE cluster_id IN {_CLUSTERS} AND status <> 'cancelled' "
        "AND starts_at >= ? AND starts_at < ? ORDER BY starts_at, id",
        (committee_id, to_text(since), to_text(until)),
    ) as cursor:
        found: dict[int, list[tuple[str, datetime]]] = {}
        for cluster_id, topic, starts_at in await cursor.fetchall():
            found.setdefault(cluster_id, []).append((topic, from_text_required(starts_at)))
        return found


async def activity_statuses(conn: aiosqlite.Connection, committee_id: int) -> dict[int, dict[str, int]]:
    """``cluster -> {latest reported status: activities}`` over published plans ("no_report" when none)."""
    async with conn.execute(
        "SELECT p.cluster_id, COALESCE((SELECT c.status FROM plan_checkins c WHERE c.activity_id = a.id "
        "ORDER BY c.period_start DESC, c.id DESC LIMIT 1), 'no_report') AS latest, COUNT(*) "
        f"FROM plan_activities a JOIN action_plans p ON p.id = a.plan_id WHERE p.status = 'published' AND p.cluster_id IN {_CLUSTERS} "
        "GROUP BY p.cluster_id, latest",
        (committee_id,),
    ) as cursor:
        found: dict[int, dict[str, int]] = {}
        for cluster_id, status, count in await cursor.fetchall():
            found.setdefault(cluster_id, {})[status] = count
        return found


async def overdue_reports(conn: aiosqlite.Connection, committee_id: int, now: datetime) -> dict[int, int]:
    """``cluster -> progress reports (check-ins) overdue by now`` in published plans."""
    async with conn.execute(
        f"SELECT p.cluster_id, COUNT(*) {OVERDUE} AND p.cluster_id IN {_CLUSTERS} GROUP BY p.cluster_id",
        (to_text(now), committee_id),
    ) as cursor:
        return {row[0]: row[1] for row in await cursor.fetchall()}


async def reports_in(conn: aiosqlite.Connection, committee_id: int, since: datetime, until: datetime) -> dict[int, int]:
    """``cluster -> progress reports (check-ins) sent in the period``."""
    async with conn.execute(
        "SELECT p.cluster_id, COUNT(*) FROM plan_checkins c JOIN plan_activities a ON a.id = c.activity_id "
        f"JOIN action_plans p ON p.id = a.plan_id WHERE p.cluster_id IN {_CLUSTERS} AND c.created_at >= ? AND c.created_at < ? "
        "GROUP BY p.cluster_id",
        (committee_id, to_text(since), to_text(until)),
    ) as cursor:
        return {row[0]: row[1] for row in await cursor.fetchall()}


async def survey_non_submitters(conn: aiosqlite.Connection, committee_id: int, now: datetime) -> dict[int, list[str]]:
    """``cluster -> names of active members who have not sent the open survey round`` (rounds still accepting)."""
    async with conn.execute(
        "SELECT r.cluster_id, m.full_name FROM survey_rounds r "
        "JOIN memberships m ON m.cluster_id = r.cluster_id AND m.left_at IS NULL AND m.joined_at <= ? "
        f"WHERE r.status = 'open' AND (r.closes_at IS NULL OR r.closes_at > ?) AND r.cluster_id IN {_CLUSTERS} "
        f"AND r.form_id = '{CONDITION_SURVEY}' "
        "AND NOT EXISTS (SELECT 1 FROM form_responses f WHERE f.subject = 'survey_round:' || r.id "
        "AND f.respondent_id = m.user_id AND f.status = 'submitted') ORDER BY r.cluster_id, m.full_name COLLATE NOCASE",
        (to_text(now), to_text(now), committee_id),
    ) as cursor:
        found: dict[int, list[str]] = {}
        for cluster_id, name in await cursor.fetchall():
            found.setdefault(cluster_id, []).append(name)
        return found


@dataclass(frozen=True)
class RoundCounts:
    """One survey round with sent answers: who sent it, and how many chose each option of each question."""

    id: int
    cluster_id: int
    form_id: str
    form_version: int
    respondents: int
    counts: dict[str, dict[str, int]]  # question -> chosen option -> how many (text answers only)


# The committee's ANNEX-1 survey rounds with at least one sent response, each with its count of them and its
# age within its cluster (1: the newest). Parameters: the committee, then ``last`` twice (NULL: every round).
_ANSWERED_ROUNDS = (
    "WITH counted AS (SELECT r.id, r.cluster_id, r.form_id, r.form_version, r.opened_at, "
    "(SELECT COUNT(*) FROM form_responses f WHERE f.subject = 'survey_round:' || r.id AND f.status = 'submitted') AS sent "
    f"FROM survey_rounds r WHERE r.cluster_id IN {_CLUSTERS} AND r.form_id = '{CONDITION_SURVEY}'), "
    "answered AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY cluster_id ORDER BY opened_at DESC, id DESC) AS age "
    "FROM counted WHERE sent > 0), "
    "chosen AS (SELECT * FROM answered WHERE ? IS NULL OR age <= ?) "
)


async def survey_round_counts(conn: aiosqlite.Connection, committee_id: int, last: int | None) -> list[RoundCounts]:
    """The latest ``last`` rounds with sent answers of each of the committee's clusters (every round when
    ``last`` is None), oldest first per cluster, with their answer counts: the tallies the database keeps
    as answers are sent (migration 0020), two queries, not one per round or per answer."""
    async with conn.execute(
        f"{_ANSWERED_ROUNDS}SELECT id, cluster_id, form_id, form_version, sent FROM chosen ORDER BY cluster_id, opened_at, id",
        (committee_id, last, last),
    ) as cursor:
        rounds = [RoundCounts(row[0], row[1], row[2], row[3], row[4], {}) for row in await cursor.fetchall()]
    by_subject = {f"survey_round:{r.id}": r.counts for r in rounds}
    async with conn.execute(
        f"{_ANSWERED_ROUNDS}SELECT t.subject, t.question, t.value, t.count FROM chosen "
        "JOIN answer_tallies t ON t.subject = 'survey_round:' || chosen.id",
        (committee_id, last, last),
    ) as cursor:
        for subject, question, value, times in await cursor.fetchall():
            answer = json.loads(value)
            if isinstance(answer, str):  # a choice; numbers, lists and dates are never scored
                chosen = by_subject[subject].setdefault(question, {})
                chosen[answer] = chosen.get(answer, 0) + times
    return rounds


async def facilitators(conn: aiosqlite.Connection, committee_id: int) -> dict[int, list[int]]:
    """``facilitator -> the committee's clusters they facilitate``."""
    async with conn.execute(
        f"SELECT user_id, cluster_id FROM memberships WHERE cluster_id IN {_CLUSTERS} AND is_facilitator = 1 AND left_at IS NULL "
        "ORDER BY user_id, cluster_id",
        (committee_id,),
    ) as cursor:
        found: dict[int, list[int]] = {}
        for user_id, cluster_id in await cursor.fetchall():
            found.setdefault(user_id, []).append(cluster_id)
        return found
