"""The supporters' list under a form's question (``suggest: supporters``, the action plan's supporter):
the cluster's confirmed supporters as buttons, and a typed name not on the list added to it
(confirmed when someone who keeps the list typed it, suggested otherwise)."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.form_suggestions import SuggestionSource
from bot.menu import N_
from bot.services import RembugApplication
from conversations.supporters import notices, rules
from storage import action_plans, memberships, supporters
from storage.forms import Response
from storage.supporters import Supporter

SOURCE = "supporters"
TYPED_KIND = "bds_provider"  # the kind of a supporter typed under a question (the facilitator can change it later)


async def _cluster_of(conn: aiosqlite.Connection, response: Response, user_id: int) -> int | None:
    """The cluster a response is about: a plan's (``plan:<id>:...``), else the person's current one."""
    kind, _sep, rest = response.subject.partition(":")
    if kind == "plan" and rest.split(":")[0].isdigit():
        plan = await action_plans.get_plan(conn, int(rest.split(":")[0]))
        return plan.cluster_id if plan else None
    place = await memberships.roles_in_current_cluster(conn, user_id)
    return place.cluster_id if place else None


async def entries(conn: aiosqlite.Connection, response: Response, user_id: int) -> list[tuple[int, str]]:
    """The cluster's confirmed supporters, a few, as (id, name)."""
    cluster_id = await _cluster_of(conn, response, user_id)
    if cluster_id is None:
        return []
    listed = await supporters.confirmed_supporters(conn, cluster_id)
    return rules.form_suggestions([(s.id, s.name) for s in listed])


async def add_typed(
    tx: aiosqlite.Connection, response: Response, user_id: int, text: str, now: datetime, default_lang: str
) -> Supporter | None:
    """A typed name not on the list joins it: confirmed from a facilitator, suggested from anyone else
    (the facilitators are told, as of a member's suggestion); None when nothing was added."""
    name = rules.clean_text(text, rules.NAME_LIMIT)
    cluster_id = await _cluster_of(tx, response, user_id)
    if name is None or cluster_id is None or await supporters.find_by_name(tx, cluster_id, name):
        return None
    member = await memberships.get_membership(tx, cluster_id, user_id)
    if member is None or not member.active:
        return None
    status = "confirmed" if member.is_facilitator else "suggested"
    fields = {"name": name, "kind": TYPED_KIND, "services": []}
    added = await supporters.add_supporter(tx, cluster_id, fields, status, user_id, now, None)
    if status == "suggested":
        await notices.notify_suggestion(tx, added, user_id, default_lang, now)  # the outbox looks every second
    return added


def source(application: RembugApplication) -> SuggestionSource:
    """The supporters' list as a suggestion source of the forms engine."""
    default_lang = application.services.settings.language

    async def typed(tx: aiosqlite.Connection, response: Response, user_id: int, text: str, now: datetime) -> None:
        await add_typed(tx, response, user_id, text, now, default_lang)

    return SuggestionSource(entries, typed, N_("A name that is not on the list is added to the cluster's supporters."))
