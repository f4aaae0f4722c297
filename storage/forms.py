"""Responses to questionnaires: one row per respondent and subject, one row per answer."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.database import inserted_id
from storage.timestamps import from_text, from_text_required, to_text


@dataclass(frozen=True)
class Response:
    """One person's answers to one form about one subject."""

    id: int
    form_id: str
    form_version: int
    subject: str
    respondent_id: int | None
    respondent_name: str | None
    entered_by: int
    current: str | None
    status: str
    answers: dict[str, Any]
    started_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    source: str = "phone"  # how it was entered: SOURCES

    @property
    def submitted(self) -> bool:
        """Whether the respondent confirmed their answers."""
        return self.status == "submitted"

    @property
    def interviewed(self) -> bool:
        """Entered by someone else on the respondent's behalf (an interview, or copied from paper)."""
        return self.entered_by != self.respondent_id

    @property
    def from_paper(self) -> bool:
        """Copied into the bot from a filled-in paper questionnaire."""
        return self.source == "paper"


_COLUMNS = (
    "id, form_id, form_version, subject, respondent_id, respondent_name, entered_by, current, status, "
    "started_at, updated_at, submitted_at, source"
)
SOURCES = ("phone", "interview", "paper")  # the respondent's own phone, a facilitator asking, a paper sheet


async def _answers(tx: aiosqlite.Connection, response_id: int) -> dict[str, Any]:
    async with tx.execute("SELECT question, value FROM form_answers WHERE response_id = ?", (response_id,)) as cursor:
        return {row[0]: json.loads(row[1]) for row in await cursor.fetchall()}


def _response_of(row: aiosqlite.Row, answers: dict[str, Any]) -> Response:
    return Response(
        id=row[0],
        form_id=row[1],
        form_version=row[2],
        subject=row[3],
        respondent_id=row[4],
        respondent_name=row[5],
        entered_by=row[6],
        current=row[7],
        status=row[8],
        answers=answers,
        started_at=from_text_required(row[9]),
        updated_at=from_text_required(row[10]),
        submitted_at=from_text(row[11]),
        source=row[12],
    )


async def _response(tx: aiosqlite.Connection, row: aiosqlite.Row | None) -> Response | None:
    if row is None:
        return None
    return _response_of(row, await _answers(tx, row[0]))


async def start_response(
    tx: aiosqlite.Connection,
    *,
    form_id: str,
    form_version: int,
    subject: str,
    respondent_id: int | None,
    respondent_name: str | None,
    entered_by: int,
    now: datetime,
    source: str | None = None,
) -> Response:
    """The respondent's response about ``subject``: the existing one (as it was entered), or a new empty one.

    ``source`` (one of ``SOURCES``) says how a new one is entered; by default 'phone' when the
    respondent enters their own, 'interview' when someone else does."""
    if source is None:
        source = "phone" if entered_by == respondent_id else "interview"
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    if respondent_id is not None:
        found = await find_response(tx, subject, respondent_id)
        if found:
            return found
    cursor = await tx.execute(
        "INSERT INTO form_responses (form_id, form_version, subject, respondent_id, respondent_name, entered_by, "
        "started_at, updated_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            form_id,
            form_version,
            subject,
            respondent_id,
            respondent_name,
            entered_by,
            to_text(now),
            to_text(now),
            source,
        ),
    )
    found = await get_response(tx, inserted_id(cursor))
    assert found is not None
    return found


async def get_response(tx: aiosqlite.Connection, response_id: int) -> Response | None:
    """The response with this id, with its answers."""
    async with tx.execute(f"SELECT {_COLUMNS} FROM form_responses WHERE id = ?", (response_id,)) as cursor:
        return await _response(tx, await cursor.fetchone())


async def find_response(tx: aiosqlite.Connection, subject: str, respondent_id: int) -> Response | None:
    """The respondent's response about ``subject``, if they started one."""
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM form_responses WHERE subject = ? AND respondent_id = ?", (subject, respondent_id)
    ) as cursor:
        return await _response(tx, await cursor.fetchone())


async def responses_about(tx: aiosqlite.Connection, subject: str, *, submitted_only: bool = False) -> list[Response]:
    """Every response about ``subject``, oldest first."""
    only = " AND status = 'submitted'" if submitted_only else ""
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM form_responses WHERE subject = ?{only} ORDER BY id", (subject,)
    ) as cursor:
        rows = await cursor.fetchall()
    answers: dict[int, dict[str, Any]] = {}
    async with tx.execute(  # every answer of these responses in one query, not one query per response
        "SELECT a.response_id, a.question, a.value FROM form_answers a JOIN form_responses r ON r.id = a.response_id "
        f"WHERE r.subject = ?{only.replace('status', 'r.status')}",
        (subject,),
    ) as cursor:
        for response_id, question, value in await cursor.fetchall():
            answers.setdefault(response_id, {})[question] = json.loads(value)
    return [_response_of(row, answers.get(row[0], {})) for row in rows]


async def paper_count(tx: aiosqlite.Connection, subject: str) -> int:
    """How many paper questionnaires about ``subject`` were entered and sent, by anyone."""
    async with tx.execute(
        "SELECT COUNT(*) FROM form_responses WHERE subject = ? AND source = 'paper' AND status = 'submitted'",
        (subject,),
    ) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else 0


async def unsent_paper(tx: aiosqlite.Connection, subject: str, entered_by: int) -> list[Response]:
    """Paper questionnaires about ``subject`` that ``entered_by`` started and has not sent yet, oldest first."""
    async with tx.execute(
        f"SELECT {_COLUMNS} FROM form_responses WHERE subject = ? AND source = 'paper' AND entered_by = ? "
        "AND status = 'in_progress' ORDER BY id",
        (subject, entered_by),
    ) as cursor:
        rows = await cursor.fetchall()
    return [_response_of(row, await _answers(tx, row[0])) for row in rows]


async def save_answer(
    tx: aiosqlite.Connection, response_id: int, question: str, value: Any, next_question: str | None, now: datetime
) -> None:
    """Store one answer (replacing an earlier one) and what to show next."""
    await tx.execute(
        "INSERT INTO form_answers (response_id, question, value, answered_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (response_id, question) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at",
        (response_id, question, json.dumps(value), to_text(now)),
    )
    await set_current(tx, response_id, next_question, now)


async def drop_answers(tx: aiosqlite.Connection, response_id: int, questions: list[str]) -> None:
    """Forget answers to questions that no longer apply."""
    await tx.executemany(
        "DELETE FROM form_answers WHERE response_id = ? AND question = ?", [(response_id, q) for q in questions]
    )


async def set_current(tx: aiosqlite.Connection, response_id: int, question: str | None, now: datetime) -> None:
    """Remember which question is on screen (None: the review)."""
    await tx.execute(
        "UPDATE form_responses SET current = ?, updated_at = ? WHERE id = ?", (question, to_text(now), response_id)
    )


async def submit(tx: aiosqlite.Connection, response_id: int, now: datetime) -> None:
    """Mark the response as confirmed by the respondent (keeps the first submission time)."""
    await tx.execute(
        "UPDATE form_responses SET status = 'submitted', current = NULL, updated_at = ?, "
        "submitted_at = COALESCE(submitted_at, ?) WHERE id = ?",
        (to_text(now), to_text(now), response_id),
    )


async def set_focus(tx: aiosqlite.Connection, user_id: int, response_id: int | None) -> None:
    """Which response the person's typed text answers (None: none)."""
    if response_id is None:
        await tx.execute("DELETE FROM form_focus WHERE user_id = ?", (user_id,))
    else:
        await tx.execute(
            "INSERT INTO form_focus (user_id, response_id) VALUES (?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET response_id = excluded.response_id",
            (user_id, response_id),
        )


async def focus_of(tx: aiosqlite.Connection, user_id: int) -> int | None:
    """The response the person's typed text answers."""
    async with tx.execute("SELECT response_id FROM form_focus WHERE user_id = ?", (user_id,)) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None


async def reopen(tx: aiosqlite.Connection, response_id: int, question: str, now: datetime) -> None:
    """Take a sent response back to one question (its answer was refused after sending; nothing else changes)."""
    await tx.execute(
        "UPDATE form_responses SET status = 'in_progress', current = ?, updated_at = ?, submitted_at = NULL WHERE id = ?",
        (question, to_text(now), response_id),
    )


async def track_choices(tx: aiosqlite.Connection, questions: Iterable[tuple[str, int, str]]) -> int:
    """Keep a tally of the sent answers to these one-choice questions (``(form, version, question)``).

    The triggers of migration 0020 keep ``answer_tallies`` as answers are sent, changed or withdrawn;
    a question tracked for the first time (a new questionnaire, or a database from before the
    tallies) is counted here from the answers already stored. Returns how many were new."""
    new = 0
    for form_id, version, question in questions:
        cursor = await tx.execute(
            "INSERT INTO tallied_questions (form_id, form_version, question) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (form_id, version, question),
        )
        if not cursor.rowcount:
            continue
        new += 1
        await tx.execute(
            "INSERT INTO answer_tallies (subject, question, value, count) "
            "SELECT f.subject, a.question, a.value, COUNT(*) FROM form_responses f "
            "JOIN form_answers a ON a.response_id = f.id AND a.question = ? "
            "WHERE f.form_id = ? AND f.form_version = ? AND f.status = 'submitted' GROUP BY f.subject, a.value "
            "ON CONFLICT (subject, question, value) DO UPDATE SET count = count + excluded.count",
            (question, form_id, version),
        )
    return new
