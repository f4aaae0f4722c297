"""Facts about the people the bot writes to first (not in answer to an update): the cluster's
people as the audience engine sees them, an audience in words, each person's language, and
what a refused send means."""

from __future__ import annotations

from collections.abc import Iterable

import aiosqlite

from bot.audience import BOARD, Audience, Person
from bot.audience_views import ROLE_LABELS
from bot.i18n import pick_language, translator
from storage import broadcasts, committees, memberships, small_groups, users


async def people_of(conn: aiosqlite.Connection, cluster_id: int, *, with_committees: bool = False) -> list[Person]:
    """The cluster's active members (small group, roles, stakeholder type, muted broadcasts) and the
    board of its organisation (role ``board``) for ``bot.audience.select``; with ``with_committees``
    also the members of committees that follow it."""
    muted = await broadcasts.muted_ids(conn, cluster_id)
    members, _total = await memberships.directory(conn, cluster_id)
    board = [holder.user_id for holder in await memberships.board(conn, cluster_id)]
    people = [
        Person(
            user_id=m.user_id,
            group_id=m.small_group_id,
            roles=frozenset(
                role
                for role, held in (
                    ("facilitator", m.is_facilitator),
                    ("secretary", m.is_secretary),
                    ("group_leader", m.is_group_leader),
                    (BOARD, m.user_id in board),
                )
                if held
            ),
            stakeholder_type=m.stakeholder_type,
            muted=m.user_id in muted,
        )
        for m in members
    ]
    listed = {m.user_id for m in members}
    people += [Person(uid, roles=frozenset({BOARD}), member=False) for uid in dict.fromkeys(board) if uid not in listed]
    if with_committees:
        for committee in await committees.following(conn, cluster_id):
            people += [
                Person(m.user_id, committee_ids=frozenset({committee.id}), member=False)
                for m in await committees.members_of(conn, committee.id)
            ]
    return people


async def audience_text(conn: aiosqlite.Connection, lang: str, audience: Audience) -> str:
    """The audience in words: "Whole cluster", or group names, roles and committees (or its label)."""
    _ = translator(lang).gettext
    if audience.everyone:
        return _("Whole cluster")
    parts = []
    for group_id in audience.group_ids:
        group = await small_groups.get_group(conn, group_id)
        if group:
            parts.append(group.name)
    parts += [_(ROLE_LABELS[role]) for role in audience.roles if role in ROLE_LABELS]
    for committee_id in audience.committee_ids:
        committee = await committees.get_committee(conn, committee_id)
        if committee:
            parts.append(committee.name)
    if audience.people and audience.label:
        parts.append(audience.label)
    return ", ".join(parts) or "-"


async def language_of(conn: aiosqlite.Connection, user_id: int, default: str) -> str:
    """The language to write to ``user_id`` in: their choice, else their phone's, else ``default``."""
    person = await users.get_user(conn, user_id)
    if person is None:
        return default
    return pick_language(person.language, person.telegram_language, default)


async def languages_of(conn: aiosqlite.Connection, user_ids: Iterable[int], default: str) -> dict[int, str]:
    """``language_of`` for many people in one query (a digest writes to hundreds)."""
    found = await users.get_users(conn, user_ids)
    return {
        user_id: pick_language(person.language, person.telegram_language, default) if person else default
        for user_id in user_ids
        for person in (found.get(user_id),)
    }


def delivery_problem(error_message: str) -> str:
    """Classify a 403 from Telegram: ``blocked`` or ``not_started`` (else ``failed``)."""
    text = error_message.lower()
    if "blocked" in text:
        return "blocked"
    if "initiate" in text or "chat not found" in text:
        return "not_started"
    return "failed"
