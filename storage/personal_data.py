"""Read everything held about one person, from every table, into ``PersonalData``.

``USER_COLUMNS`` names every column that holds a person's id (a reference to users(id), or
an id kept without one) and says how the copy and the erasure (``storage.erasure``) treat
it; a unit test fails when a migration adds such a column that is not listed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import aiosqlite

from storage.consents import consents_of
from storage.personal_records import PersonalData, Record
from storage.timestamps import to_text

COPY = "copied"  # in the person's copy; erased or kept as an anonymous number on erasure
KEPT = "kept"  # the cluster's own record (who organised it, who entered it): the id stays, no text of theirs

# (table, column) -> how the person's copy and their erasure treat it.
USER_COLUMNS: dict[tuple[str, str], str] = {
    ("users", "id"): COPY,
    ("memberships", "user_id"): COPY,
    ("small_groups", "leader_id"): COPY,
    ("committee_members", "user_id"): COPY,
    ("meeting_invitees", "user_id"): COPY,
    ("attendance", "user_id"): COPY,
    ("form_responses", "respondent_id"): COPY,
    ("form_focus", "user_id"): COPY,
    ("brainstorm_cards", "author_id"): COPY,
    ("brainstorm_participants", "user_id"): COPY,
    ("brainstorm_dots", "voter_id"): COPY,
    ("vision_responses", "user_id"): COPY,
    ("plan_activities", "owner_id"): COPY,
    ("plan_checkins", "owner_id"): COPY,
    ("letters", "member_id"): COPY,
    ("letters", "sender_id"): COPY,
    ("broadcasts", "sender_id"): COPY,
    ("broadcast_mutes", "user_id"): COPY,
    ("organisation_positions", "user_id"): COPY,
    ("election_candidates", "user_id"): COPY,
    ("rules_acknowledgements", "user_id"): COPY,
    ("ballot_turnout", "user_id"): COPY,
    ("clusters", "created_by"): COPY,
    ("drafts", "user_id"): COPY,
    ("ptb_user_data", "user_id"): COPY,
    ("ptb_chat_data", "chat_id"): COPY,
    ("outbox", "recipient_id"): COPY,
    # The cluster's records a person made in a role: kept, their id only.
    ("brainstorm_cards", "entered_by"): KEPT,
    ("brainstorm_dots", "entered_by"): KEPT,
    ("brainstorm_sessions", "facilitator_id"): KEPT,
    ("meetings", "organiser_id"): KEPT,
    ("meeting_guests", "added_by"): KEPT,
    ("meeting_sheet_photos", "added_by"): KEPT,  # who attached the photo of the signed sheet
    ("form_responses", "entered_by"): KEPT,
    ("survey_rounds", "opened_by"): KEPT,
    ("questionnaires", "imported_by"): KEPT,  # who brought the XLSForm in
    ("cash_entries", "recorded_by"): KEPT,  # the cluster's cash book: never edited, kept with who wrote it
    ("cash_entries", "decided_by"): KEPT,  # the chair who confirmed or rejected an entry
    ("budget_lines", "set_by"): KEPT,
    ("books_settings", "set_by"): KEPT,
    ("action_plans", "created_by"): KEPT,
    ("plan_versions", "changed_by"): KEPT,
    ("vision_versions", "author_id"): KEPT,
    ("rules_versions", "author_id"): KEPT,
    ("elections", "created_by"): KEPT,
    ("election_candidates", "proposed_by"): KEPT,
    ("election_positions", "winner_id"): KEPT,
    ("election_draws", "winner_id"): KEPT,
    ("ballot_counts", "candidate_id"): KEPT,  # a count of ballots: never who cast them
    ("ballot_confirmations", "user_id"): KEPT,  # a seal that a ballot was cast, no choice
    ("paper_tallies", "entered_by"): KEPT,
    ("paper_tallies", "witness_id"): KEPT,
    ("firms", "added_by"): KEPT,
    ("supporters", "added_by"): KEPT,  # who added or suggested a supporter
    ("supporters", "decided_by"): KEPT,  # the facilitator who confirmed or rejected it
    ("visits", "recorded_by"): KEPT,  # the facilitator who recorded a visit or call
    ("map_reviews", "planned_by"): KEPT,  # the facilitator who put the participant map on the agenda
    ("map_reviews", "reviewed_by"): KEPT,  # ... and who recorded what changed
    ("meeting_tasks", "assigned_by"): KEPT,  # who handed out a task at a meeting
    ("meeting_task_owners", "user_id"): COPY,  # an owner of a task from a meeting; erasure drops their note
    ("dues_payments", "user_id"): COPY,  # the dues periods they paid (the cash book keeps the amounts)
    ("dues_payments", "recorded_by"): KEPT,  # the treasurer who ticked it
    ("dues_terms", "set_by"): KEPT,
    ("annual_plan_responses", "user_id"): COPY,  # their answer to an annual plan's draft, with the comments
    ("annual_plan_versions", "author_id"): KEPT,
    ("annual_events", "created_by"): KEPT,
    ("visits", "member_id"): KEPT,  # the member firm visited: the visit stays, its name is erased
    ("cluster_channels", "linked_by"): KEPT,
    ("newsletters", "sender_id"): KEPT,
    ("committees", "created_by"): KEPT,
    ("consents", "user_id"): COPY,
    ("access_log", "actor_id"): KEPT,  # who downloaded or appointed: the log stays, without a name
    ("access_log", "subject_id"): KEPT,
    ("wrong_invitation_codes", "user_id"): KEPT,  # a count of wrong tries, kept a week
}


async def _rows(conn: aiosqlite.Connection, sql: str, params: Sequence[object] | Mapping[str, object]) -> list[Record]:
    """The rows of ``sql`` as dicts keyed by column name."""
    async with conn.execute(sql, params) as cursor:
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in await cursor.fetchall()]


async def _account(conn: aiosqlite.Connection, user_id: int) -> Record:
    rows = await _rows(
        conn,
        "SELECT first_name, last_name, username, telegram_language, language, first_seen, last_seen "
        "FROM users WHERE id = ?",
        (user_id,),
    )
    return rows[0] if rows else {}


_QUERIES: dict[str, str] = {
    "memberships": (
        "SELECT c.name AS cluster, m.full_name, m.phone, m.home_area, m.core_business, m.stakeholder_type, "
        "g.name AS small_group, m.is_facilitator, m.is_secretary, m.joined_at, m.left_at "
        "FROM memberships m JOIN clusters c ON c.id = m.cluster_id "
        "LEFT JOIN small_groups g ON g.id = m.small_group_id WHERE m.user_id = :user ORDER BY m.joined_at"
    ),
    "small_groups": (
        "SELECT c.name AS cluster, g.name AS small_group, g.area, g.leader_id = :user AS leader "
        "FROM small_groups g JOIN clusters c ON c.id = g.cluster_id "
        "WHERE g.leader_id = :user OR g.id IN (SELECT small_group_id FROM memberships WHERE user_id = :user) "
        "ORDER BY c.name, g.name"
    ),
    "committees": (
        "SELECT k.name AS committee, cm.full_name, cm.stakeholder_type, cm.role, cm.joined_at, cm.left_at "
        "FROM committee_members cm JOIN committees k ON k.id = cm.committee_id WHERE cm.user_id = :user"
    ),
    "meetings": (
        "SELECT c.name AS cluster, mt.topic, mt.starts_at, mt.place, i.user_id IS NOT NULL AS invited, i.rsvp, "
        "i.rsvp_at, "
        "a.checked_in_at, a.method AS checked_in_by "
        "FROM meetings mt JOIN clusters c ON c.id = mt.cluster_id "
        "LEFT JOIN meeting_invitees i ON i.meeting_id = mt.id AND i.user_id = :user "
        "LEFT JOIN attendance a ON a.meeting_id = mt.id AND a.user_id = :user "
        "WHERE i.user_id IS NOT NULL OR a.user_id IS NOT NULL ORDER BY mt.starts_at"
    ),
    "survey_answers": (
        "SELECT s.title AS round, r.form_id, r.form_version, r.status, r.submitted_at, a.question, a.value, "
        "a.answered_at FROM form_responses r JOIN form_answers a ON a.response_id = r.id "
        "LEFT JOIN survey_rounds s ON r.subject = 'survey_round:' || s.id "
        "WHERE r.respondent_id = :user ORDER BY r.id, a.answered_at"
    ),
    "cards": (
        "SELECT c.name AS cluster, s.question AS session, s.anonymous, k.number, k.kind, k.swot_column, k.text, "
        "k.summary, k.withdrawn_at, k.created_at FROM brainstorm_cards k "
        "JOIN brainstorm_sessions s ON s.id = k.session_id JOIN clusters c ON c.id = s.cluster_id "
        "WHERE k.author_id = :user ORDER BY k.created_at, k.id"
    ),
    "comments": (
        "SELECT c.name AS cluster, v.number AS draft, r.answer, r.comment, r.answered_at FROM vision_responses r "
        "JOIN vision_versions v ON v.id = r.version_id JOIN clusters c ON c.id = v.cluster_id "
        "WHERE r.user_id = :user "
        "UNION ALL SELECT c.name, 'annual plan ' || v.year || ' #' || v.number, r.answer, r.comment, r.answered_at "
        "FROM annual_plan_responses r JOIN annual_plan_versions v ON v.id = r.version_id "
        "JOIN clusters c ON c.id = v.cluster_id WHERE r.user_id = :user ORDER BY 5"
    ),
    "plan_activities": (
        "SELECT p.title AS plan, a.title AS activity, a.starts_on, a.ends_on FROM plan_activities a "
        "JOIN action_plans p ON p.id = a.plan_id WHERE a.owner_id = :user ORDER BY a.starts_on, a.id"
    ),
    "plan_checkins": (
        "SELECT a.title AS activity, k.period_start, k.status, k.indicator_value, k.confidence, k.note, "
        "(SELECT COUNT(*) FROM plan_evidence e WHERE e.checkin_id = k.id) AS evidence, k.created_at "
        "FROM plan_checkins k JOIN plan_activities a ON a.id = k.activity_id WHERE k.owner_id = :user "
        "ORDER BY k.created_at, k.id"
    ),
    "tasks": (
        "SELECT c.name AS cluster, m.topic AS meeting, t.what, t.due_on, o.status, o.help_note, o.changed_at "
        "FROM meeting_task_owners o JOIN meeting_tasks t ON t.id = o.task_id JOIN meetings m ON m.id = t.meeting_id "
        "JOIN clusters c ON c.id = t.cluster_id WHERE o.user_id = :user ORDER BY t.due_on, t.id"
    ),
    "dues": (
        "SELECT c.name AS cluster, d.period, d.amount, d.recorded_at FROM dues_payments d "
        "JOIN clusters c ON c.id = d.cluster_id WHERE d.user_id = :user ORDER BY c.name, d.period"
    ),
    "letters": (
        "SELECT c.name AS cluster, l.body, l.status, l.created_at, l.sent_at FROM letters l "
        "JOIN clusters c ON c.id = l.cluster_id WHERE l.sender_id = :user ORDER BY l.created_at, l.id"
    ),
    "broadcasts": (
        "SELECT c.name AS cluster, b.content, b.status, b.send_at, b.created_at FROM broadcasts b "
        "JOIN clusters c ON c.id = b.cluster_id WHERE b.sender_id = :user ORDER BY b.created_at, b.id"
    ),
    "organisation": (
        "SELECT c.name AS cluster, 'position' AS what, p.position AS detail, p.since AS at, p.until "
        "FROM organisation_positions p JOIN clusters c ON c.id = p.cluster_id WHERE p.user_id = :user "
        "UNION ALL SELECT c.name, 'candidate', e.position, e.proposed_at, e.status FROM election_candidates e "
        "JOIN elections l ON l.id = e.election_id JOIN clusters c ON c.id = l.cluster_id WHERE e.user_id = :user "
        "UNION ALL SELECT c.name, 'rules_read', v.number, r.acknowledged_at, NULL FROM rules_acknowledgements r "
        "JOIN rules_versions v ON v.id = r.version_id JOIN clusters c ON c.id = v.cluster_id "
        "WHERE r.user_id = :user "
        "UNION ALL SELECT c.name, 'voted', t.contest_id, NULL, NULL FROM ballot_turnout t "
        "JOIN election_contests x ON x.id = t.contest_id JOIN elections l ON l.id = x.election_id "
        "JOIN clusters c ON c.id = l.cluster_id WHERE t.user_id = :user "
        "UNION ALL SELECT name, 'cluster_created', NULL, created_at, NULL FROM clusters WHERE created_by = :user"
    ),
}


async def _consents(conn: aiosqlite.Connection, user_id: int) -> list[Record]:
    """The person's consents with their dates (``storage.consents``), as records."""
    names = {r["id"]: r["name"] for r in await _rows(conn, "SELECT id, name FROM clusters", ())}
    return [
        {
            "what": consent.kind,
            "cluster": names.get(consent.cluster_id) if consent.cluster_id is not None else None,
            "given_at": to_text(consent.given_at),
            "withdrawn_at": to_text(consent.withdrawn_at) if consent.withdrawn_at else None,
        }
        for consent in await consents_of(conn, user_id)
    ]


async def personal_data(conn: aiosqlite.Connection, user_id: int) -> PersonalData:
    """Everything held about ``user_id``, from every table."""
    found: dict[str, Any] = {}
    for kind, sql in _QUERIES.items():
        found[kind] = await _rows(conn, sql, {"user": user_id})
    return PersonalData(user_id, await _account(conn, user_id), **found, consents=await _consents(conn, user_id))
