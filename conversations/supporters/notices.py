"""Notices through the outbox: a member's suggestion to each facilitator (✅ Confirm / ✖ Reject),
and the facilitator's decision back to the member who suggested it."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.audience import Audience, select
from bot.recipients import language_of, people_of
from bot.roles import Role
from conversations.supporters import views
from storage import memberships, users
from storage import outbox as outbox_store
from storage.supporters import Supporter

BATCH = "supporter"  # ``supporter:<id>:suggested`` and ``supporter:<id>:decided``


def _letter(text: str, keyboard) -> dict:
    return {"kind": "text", "text": text, "reply_markup": keyboard.to_dict()}


async def notify_suggestion(
    tx: aiosqlite.Connection, supporter: Supporter, suggester_id: int, default_lang: str, now: datetime
) -> None:
    """One notice per facilitator of the cluster (in their language), in the suggestion's transaction."""
    people = await people_of(tx, supporter.cluster_id)
    chosen = select(Audience(roles=(Role.FACILITATOR.value,)), people, leave_out=suggester_id).chosen
    member = await memberships.get_membership(tx, supporter.cluster_id, suggester_id)
    person = await users.get_user(tx, suggester_id) if member is None else None
    name = member.full_name if member else (person.first_name if person else "?")
    letters = []
    for user_id in chosen:
        lang = await language_of(tx, user_id, default_lang)
        letters.append((user_id, _letter(*views.suggestion_notice(lang, supporter, name))))
    await outbox_store.enqueue(tx, f"{BATCH}:{supporter.id}:suggested", letters, now)


async def tell_suggester(
    tx: aiosqlite.Connection, supporter: Supporter, confirmed: bool, default_lang: str, now: datetime
) -> None:
    """The member who suggested it hears the facilitator's decision (once: one batch per supporter)."""
    if supporter.added_by is None:
        return
    lang = await language_of(tx, supporter.added_by, default_lang)
    letter = _letter(*views.decision_for_member(lang, supporter, confirmed))
    await outbox_store.enqueue(tx, f"{BATCH}:{supporter.id}:decided", [(supporter.added_by, letter)], now)
