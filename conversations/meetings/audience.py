"""Who a meeting's audience covers, read from the membership records."""

from __future__ import annotations

import aiosqlite

from bot.i18n import translator
from conversations.meetings.labels import ROLE_LABELS
from conversations.meetings.rules import Audience, Person, committee_role
from storage import committees, memberships, small_groups


async def people_of(conn: aiosqlite.Connection, cluster_id: int) -> list[Person]:
    """Every active member with their small group and roles."""
    members, _total = await memberships.directory(conn, cluster_id)
    people = []
    for member in members:
        roles = {
            role
            for role, held in (
                ("facilitator", member.is_facilitator),
                ("secretary", member.is_secretary),
                ("group_leader", member.is_group_leader),
            )
            if held
        }
        people.append(Person(member.user_id, member.small_group_id, frozenset(roles)))
    for committee in await committees.following(conn, cluster_id):
        people += [
            Person(m.user_id, None, frozenset({committee_role(committee.id)}))
            for m in await committees.members_of(conn, committee.id)
        ]
    return people


async def audience_text(conn: aiosqlite.Connection, lang: str, audience: Audience) -> str:
    """The audience in words: "Whole cluster", or group names and roles."""
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
    return ", ".join(parts) or "-"
