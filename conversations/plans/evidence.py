"""Evidence where it is needed: a plan's activities, an activity's page with its progress reports and the
evidence sent with each (for the facilitators and the activity's owner), and each piece sent back into
the chat by its Telegram file id."""

from __future__ import annotations

from telegram import Update
from telegram.error import BadRequest

from bot.context import RembugContext
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action, allowed
from bot.stale import explain_stale
from bot.update_parts import chat_of
from conversations.plans import evidence_views, rules
from conversations.plans.access import plan_in_cluster, tap_of, viewable_plan
from storage import action_plans as plans
from storage import plan_checkins
from storage.action_plans import Activity, Plan


async def show_activities(update: Update, context: RembugContext) -> None:
    """The plan's activities, each a button to its page (``pl1:acts:<plan>``)."""
    plan = await viewable_plan(update, context)
    if plan is None:
        return
    async with context.db.read() as conn:
        activities = await plans.activities_of(conn, plan.id)
    await answer(update, *evidence_views.activity_list(context.lang, plan, activities))


def _may_see_evidence(context: RembugContext, activity: Activity) -> bool:
    return rules.may_see_evidence(allowed(context.standing, Action.RUN_PLANS), activity.owner_id, context.user.id)


async def _visible(context: RembugContext, activity_id: int) -> tuple[Activity, Plan] | None:
    async with context.db.read() as conn:
        activity = await plans.get_activity(conn, activity_id)
        plan = await plan_in_cluster(conn, context, activity.plan_id) if activity else None
    return (activity, plan) if activity is not None and plan is not None else None


async def show_activity(update: Update, context: RembugContext) -> None:
    """An activity's page (``pl1:a:<activity>``): its latest progress reports, the evidence of each
    counted, and a button per piece for the facilitators and the activity's owner."""
    if not await require(update, context, Action.VIEW_PLANS):
        return
    tap = await tap_of(update, context, rules.ActivityPageTap)
    found = await _visible(context, tap.activity_id) if tap else None
    if tap is None:
        return
    if found is None:
        await explain_stale(update, context)
        return
    activity, plan = found
    async with context.db.read() as conn:
        reports = await plan_checkins.checkins_of_activity(conn, activity.id)
        evidence = await plan_checkins.evidence_of_plan(conn, plan.id) if _may_see_evidence(context, activity) else None
    await answer_tap(update.callback_query)
    await answer(update, *evidence_views.activity_page(context.lang, plan, activity, reports, evidence))


async def send_piece(update: Update, context: RembugContext) -> None:
    """One piece of evidence sent back into the chat (``pl1:evs:<evidence>``): the photo, voice note or
    document itself; a file Telegram no longer has gets a sentence that says so."""
    if not await require(update, context, Action.VIEW_PLANS):
        return
    tap = await tap_of(update, context, rules.EvidencePieceTap)
    if tap is None:
        return
    async with context.db.read() as conn:
        piece = await plan_checkins.get_evidence(conn, tap.evidence_id)
        checkin = await plan_checkins.get_checkin(conn, piece.checkin_id) if piece else None
        total = len(await plan_checkins.evidence_of_checkin(conn, checkin.id)) if checkin else 0
    found = await _visible(context, checkin.activity_id) if checkin else None
    if piece is None or found is None or not _may_see_evidence(context, found[0]):
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query)
    caption = evidence_views.piece_caption(context.lang, found[0], piece, total)
    chat = chat_of(update)
    try:
        if piece.kind == "photo":
            await chat.send_photo(piece.file_id, caption=caption)
        elif piece.kind == "voice":
            await chat.send_voice(piece.file_id, caption=caption)
        else:
            await chat.send_document(piece.file_id, caption=caption)
    except BadRequest:
        await chat.send_message(evidence_views.evidence_gone(context.lang))
