"""Facilitators appoint more facilitators, the secretary, or hand over."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden

from bot.buttons import parse_callback
from bot.context import RembugContext, refresh_standing
from bot.flows import show_menu, stale_button
from bot.paging import page_of
from bot.permissions import require
from bot.recipients import language_of
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.update_parts import query_of
from conversations.membership import cluster_views, rules
from storage import memberships

_LOGGER = logging.getLogger(__name__)
ROLES = ("fac", "sec", "hand")


async def show_roles(update: Update, context: RembugContext) -> None:
    """The appointments a facilitator can make."""
    if not await require(update, context, Action.APPOINT_ROLES):
        return
    if update.callback_query:
        await answer_tap(update.callback_query)
    text, keyboard = cluster_views.roles_menu(context.lang, context.standing.cluster_name)
    await answer(update, text, keyboard)


async def pick(update: Update, context: RembugContext) -> None:
    """A page of members to appoint (``mb1:ap:<role>:<page>``)."""
    if not await require(update, context, Action.APPOINT_ROLES):
        return
    query = query_of(update)
    parts = parse_callback(query.data, rules.PREFIX)
    if not (parts and len(parts) == 3 and parts[1] in ROLES and parts[2].isdigit()):
        await answer_tap(query, stale_button(context.lang))
        return
    role, page = parts[1], int(parts[2])
    await answer_tap(query)
    async with context.db.read() as conn:
        everyone, _total = await memberships.directory(conn, context.standing.cluster_id)
    candidates = [m for m in everyone if m.user_id != context.user.id]
    if role in ("fac", "hand"):
        candidates = [m for m in candidates if not m.is_facilitator or role == "hand"]
    shown, page, pages = page_of(candidates, page, cluster_views.PAGE_SIZE)
    text, keyboard = cluster_views.pick_member(context.lang, role, shown, page, pages)
    await answer(update, text, keyboard)


async def appoint(update: Update, context: RembugContext) -> None:
    """Give the chosen member the role (``mb1:apm:<role>:<user id>``) and tell them."""
    if not await require(update, context, Action.APPOINT_ROLES):
        return
    query = query_of(update)
    parts = parse_callback(query.data, rules.PREFIX)
    if not (parts and len(parts) == 3 and parts[1] in ROLES and parts[2].isdigit()) or int(parts[2]) == context.user.id:
        await answer_tap(
            query, stale_button(context.lang)
        )  # one never appoints oneself (a handover to oneself would drop the role)
        return
    role, user_id = parts[1], int(parts[2])
    cluster_id, cluster_name = context.standing.cluster_id, context.standing.cluster_name
    async with context.db.transaction() as tx:
        target = await memberships.get_membership(tx, cluster_id, user_id)
        if target is None or not target.active:
            target = None
        elif role == "fac":
            await memberships.set_roles(tx, cluster_id, user_id, facilitator=True)
        elif role == "sec":
            everyone, _total = await memberships.directory(tx, cluster_id)
            for member in everyone:  # one secretary per cluster
                if member.is_secretary and member.user_id != user_id:
                    await memberships.set_roles(tx, cluster_id, member.user_id, secretary=False)
            await memberships.set_roles(tx, cluster_id, user_id, secretary=True)
        else:
            await memberships.set_roles(tx, cluster_id, user_id, facilitator=True)
            await memberships.set_roles(tx, cluster_id, context.user.id, facilitator=False)
        their_lang = await language_of(tx, user_id, context.settings.language) if target else None
    if target is None:
        await answer_tap(query, cluster_views.not_a_member_any_more(context.lang), show_alert=True)
        return
    await answer_tap(query)
    await refresh_standing(context)
    await show_menu(update, context, cluster_views.appointed(context.lang, role, target.full_name))
    try:
        await context.bot.send_message(user_id, cluster_views.you_were_appointed(their_lang, role, cluster_name))
    except Forbidden:
        _LOGGER.info("could not tell user %s of their new role: they blocked the bot", user_id)
