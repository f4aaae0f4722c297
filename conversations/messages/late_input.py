"""Text that came too late: what closed while the person was typing, in one sentence.

Each explainer reads one flow's object (the survey round a person was answering, their newest
brainstorming session, a meeting they were invited to) and, when typed text was probably meant
for it after it closed, says so; the first that speaks is used above the offer to write to the
facilitators. The rules are in ``rules.py``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

import aiosqlite

from conversations.meetings.rules import CHECKIN_CLOSES
from conversations.messages import rules, views
from storage import brainstorm, forms, meetings, surveys

Explainer = Callable[[aiosqlite.Connection, int, int, datetime, str], Awaitable[str | None]]


async def round_closed(
    conn: aiosqlite.Connection, user_id: int, cluster_id: int, now: datetime, lang: str
) -> str | None:
    """The survey round whose question the person still has on screen closed."""
    response_id = await forms.focus_of(conn, user_id)
    response = await forms.get_response(conn, response_id) if response_id else None
    round_id = rules.survey_round_of(response.subject) if response else None
    survey_round = await surveys.get_round(conn, round_id) if round_id else None
    if survey_round is None or survey_round.cluster_id != cluster_id:
        return None
    if not rules.round_closed(survey_round.status, survey_round.closes_at, now):
        return None
    return views.round_closed(lang, survey_round.title)


async def collection_closed(
    conn: aiosqlite.Connection, user_id: int, cluster_id: int, now: datetime, lang: str
) -> str | None:
    """The person's newest brainstorming session stopped collecting cards."""
    sessions = await brainstorm.sessions_of_participant(conn, cluster_id, user_id)
    if not sessions or not rules.collection_closed(sessions[0].phase, sessions[0].created_at, now):
        return None
    return views.collection_closed(lang, sessions[0].question)


async def meeting_over(
    conn: aiosqlite.Connection, user_id: int, cluster_id: int, now: datetime, lang: str
) -> str | None:
    """A meeting the person was invited to (or came to) ended a short while ago."""
    recent = await meetings.list_meetings(conn, cluster_id, after=now - CHECKIN_CLOSES - rules.LATE_WINDOW, before=now)
    for meeting in reversed(recent):
        if meeting.status == "cancelled" or not rules.meeting_over(meeting.starts_at, now):
            continue
        if await meetings.get_invitee(conn, meeting.id, user_id) or user_id in await meetings.present(conn, meeting.id):
            return views.meeting_over(lang, meeting.topic)
    return None


EXPLAINERS: tuple[Explainer, ...] = (round_closed, collection_closed, meeting_over)


async def explain(conn: aiosqlite.Connection, user_id: int, cluster_id: int, now: datetime, lang: str) -> str | None:
    """What closed that the person's text was probably meant for, or None."""
    for explainer in EXPLAINERS:
        sentence = await explainer(conn, user_id, cluster_id, now, lang)
        if sentence:
            return sentence
    return None
