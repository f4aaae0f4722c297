"""🧾 Dues: one's own status (every member), the treasurer's and facilitators' tools, and who is behind
(the treasurer and the chair only)."""

from __future__ import annotations

from telegram import Update

from bot.context import RembugContext
from bot.flows import read_button
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action, allowed
from bot.stale import explain_stale
from conversations.dues import ledger, rules, views
from conversations.dues.rules import DuesTap, Step
from storage import memberships


async def pressed(update: Update, context: RembugContext, action: Action, *steps: Step) -> DuesTap | None:
    """The pressed dues button when it is one of ``steps`` and the sender may take ``action``; None after answering."""
    if not await require(update, context, action):
        return None
    tap = await read_button(update, context, rules.parse_tap, DuesTap)
    if tap is not None and tap.step not in steps:
        await explain_stale(update, context)
        return None
    return tap


async def show_home(update: Update, context: RembugContext) -> None:
    """🧾 Dues (``du1:home``): the dues in force, paid up to when, what is owed; the tools one may use."""
    if await pressed(update, context, Action.VIEW_OWN_DUES, Step.HOME) is None:
        return
    await answer_tap(update.callback_query)
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        found = await ledger.ledger_of(conn, cluster_id, context.clock.now())
        me = await memberships.get_membership(conn, cluster_id, context.user.id)
        own = await ledger.status_of(conn, found, me) if found and me and ledger.pays_dues(me) else None
    text, keyboard = views.home(
        context.lang,
        found.schedule if found else None,
        own,
        manages=allowed(context.standing, Action.MANAGE_DUES),
        sees_arrears=allowed(context.standing, Action.VIEW_ARREARS),
    )
    await answer(update, text, keyboard)


async def show_arrears(update: Update, context: RembugContext) -> None:
    """📋 Who is behind (``du1:late:<page>``): the treasurer and the chair only."""
    tap = await pressed(update, context, Action.VIEW_ARREARS, Step.ARREARS)
    if tap is None:
        return
    async with context.db.read() as conn:
        found = await ledger.ledger_of(conn, context.standing.current_cluster_id, context.clock.now())
        late = await ledger.arrears_of(conn, found) if found else None
    if found is None or late is None:
        await answer_tap(update.callback_query, views.no_dues_yet(context.lang))
        return
    await answer_tap(update.callback_query)
    await answer(update, *views.arrears(context.lang, found.schedule, late, tap.number or 0, found.today))
