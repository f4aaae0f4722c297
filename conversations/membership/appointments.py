"""Facilitators appoint more facilitators, the secretary, or hand over."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden

from bot.context import RembugContext, refresh_standing
from bot.flows import read_button, show_menu
from bot.paging import page_of
from bot.permissions import require
from bot.recipients import language_of
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import query_of
from conversations.access_log.rules import Access
from conversations.membership import cluster_views, rules
from storage import access_log, memberships

_LOGGER = logging.getLogger(__name__)


async def show_roles(update: Update, context: RembugContext) -> None:
    """The appointments a facilitator can make."""
    if not await require(update, context, Action.APPOINT_ROLES):
        return
    if update.callback_query:
        await answer_tap(update.callback_query)
    text, keyboard = cluster_views.roles_menu(context.lang, context.standing.current_cluster_name)
    await answer(update, text, keyboard)


async def pick(update: Update, context: RembugContext) -> None:
    """A page of members to appoint (``mb1:ap:<role>:<page>``)."""
    if not await require(update, context, Action.APPOINT_ROLES):
        return
    tap = await read_button(update, context, rules.parse_member_button, rules.PickAppointee)
    if tap is None:
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        everyone, _total = await memberships.directory(conn, context.standing.current_cluster_id)
    candidates = [m for m in everyone if rules.may_be_offered(tap.role, context.user.id, m.user_id, m.is_facilitator)]
    shown, page, pages = page_of(candidates, tap.page, cluster_views.PAGE_SIZE)
    text, keyboard = cluster_views.pick_member(context.lang, tap.role, shown, page, pages)
    await answer(update, text, keyboard)


async def appoint(update: Update, context: RembugContext) -> None:
    """Give the chosen member the role (``mb1:apm:<role>:<user id>``) and tell them."""
    if not await require(update, context, Action.APPOINT_ROLES):
        return
    tap = await read_button(update, context, rules.parse_member_button, rules.Appoint)
    if tap is None:
        return
    query = query_of(update)
    if not rules.may_appoint(context.user.id, tap.user_id):
        await explain_stale(update, context)
        return
    cluster_id, cluster_name = context.standing.current_cluster_id, context.standing.current_cluster_name
    change = rules.role_change(tap.role)
    their_lang, me, now = context.settings.language, context.user.id, context.clock.now()
    async with context.db.transaction() as tx:
        target = await memberships.get_membership(tx, cluster_id, tap.user_id)
        if target is not None and not target.active:
            target = None  # they left since the list was shown
        if target is not None:
            if change.makes_facilitator:
                await memberships.set_roles(tx, cluster_id, tap.user_id, facilitator=True)
                await access_log.record(tx, me, cluster_id, Access.FACILITATOR_ADDED, "", now, subject_id=tap.user_id)
            if change.makes_sole_secretary:
                await memberships.make_sole_secretary(tx, cluster_id, tap.user_id)
                await access_log.record(tx, me, cluster_id, Access.SECRETARY_APPOINTED, "", now, subject_id=tap.user_id)
            if change.appointer_steps_down:
                await memberships.set_roles(tx, cluster_id, context.user.id, facilitator=False)
                await access_log.record(tx, me, cluster_id, Access.FACILITATOR_REMOVED, "", now, subject_id=me)
            their_lang = await language_of(tx, tap.user_id, context.settings.language)
    if target is None:
        await answer_tap(query, cluster_views.not_a_member_any_more(context.lang), show_alert=True)
        return
    await answer_tap(query)
    await refresh_standing(context)
    await show_menu(update, context, cluster_views.appointed(context.lang, tap.role, target.full_name))
    try:
        await context.bot.send_message(
            tap.user_id, cluster_views.you_were_appointed(their_lang, tap.role, cluster_name)
        )
    except Forbidden:
        _LOGGER.info("could not tell user %s of their new role: they blocked the bot", tap.user_id)
