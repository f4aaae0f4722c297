"""/profile (see it, the phone consent, leave the cluster) and /cluster (switch between one's clusters)."""

from __future__ import annotations

from datetime import datetime

import aiosqlite
from telegram import InlineKeyboardMarkup, Update

from bot.context import RembugContext, refresh_standing
from bot.flows import confirmation_needed, open_confirmation, show_menu, take_confirmation
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import query_of
from conversations.access_log.rules import Access, leaving_ends_roles
from conversations.membership import cluster_views, profile_views, rules
from storage import access_log, clusters, consents, memberships


async def show_profile(update: Update, context: RembugContext) -> None:
    """The person's profile in their current cluster, with change and leave buttons."""
    if update.callback_query:
        await answer_tap(update.callback_query)
    standing = context.standing
    if standing.cluster_id is None:
        await show_menu(update, context, profile_views.not_in_cluster(context.lang))
        return
    await answer(update, *await _card(context))


async def settle_phone_consent(
    tx: aiosqlite.Connection, user_id: int, cluster_id: int, phone: str | None, now: datetime
) -> None:
    """After a profile is saved: a number shared now is consented to today; no number, no consent in force."""
    consent = await consents.in_force(tx, user_id, consents.PHONE, cluster_id)
    match rules.phone_consent_move(phone, consent is not None):
        case rules.PhoneConsentMove.GIVE:
            await consents.give(tx, user_id, consents.PHONE, cluster_id, now)
        case rules.PhoneConsentMove.WITHDRAW:
            await consents.withdraw(tx, user_id, consents.PHONE, cluster_id, now)


async def agree_phone(update: Update, context: RembugContext) -> None:
    """A number stored before consents were asked: the person agrees the facilitators may have it."""
    if not await require(update, context, Action.EDIT_OWN_PROFILE):
        return
    cluster_id = context.standing.current_cluster_id
    async with context.db.transaction() as tx:
        membership = await memberships.get_membership(tx, cluster_id, context.user.id)
        if membership is not None and membership.phone:
            await consents.give(tx, context.user.id, consents.PHONE, cluster_id, context.clock.now())
    await answer_tap(update.callback_query)
    await _profile_after(update, context, profile_views.phone_agreed(context.lang))


async def withdraw_phone(update: Update, context: RembugContext) -> None:
    """Withdraw the phone consent: the number is deleted, so no list or download shows it from now on."""
    if not await require(update, context, Action.EDIT_OWN_PROFILE):
        return
    cluster_id = context.standing.current_cluster_id
    async with context.db.transaction() as tx:
        await memberships.update_profile(tx, cluster_id, context.user.id, {"phone": None})
        await consents.withdraw(tx, context.user.id, consents.PHONE, cluster_id, context.clock.now())
    await answer_tap(update.callback_query)
    await _profile_after(update, context, profile_views.phone_withdrawn(context.lang))


async def _profile_after(update: Update, context: RembugContext, result: str) -> None:
    """The profile card again, under what the tap just did."""
    text, keyboard = await _card(context)
    await answer(update, result + "\n\n" + text, keyboard)


async def _card(context: RembugContext) -> tuple[str, InlineKeyboardMarkup]:
    """The profile card of the person's current cluster, with its phone consent."""
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        membership = await memberships.get_membership(conn, cluster_id, context.user.id)
        consent = await consents.in_force(conn, context.user.id, consents.PHONE, cluster_id)
        cluster = await clusters.load_cluster(conn, cluster_id)
    assert membership is not None  # the current cluster is one the person is an active member of
    return profile_views.profile_card(context.lang, cluster.name, cluster.timezone, membership, consent)


async def ask_leave(update: Update, context: RembugContext) -> None:
    """Ask to confirm leaving the current cluster."""
    if not await require(update, context, Action.LEAVE_CLUSTER):
        return
    await open_confirmation(context, f"cluster:{context.standing.current_cluster_id}:leave")
    await answer_tap(update.callback_query)
    text, keyboard = profile_views.confirm_leave(context.lang, context.standing.current_cluster_name)
    await answer(update, text, keyboard)


async def leave(update: Update, context: RembugContext) -> None:
    """Leave the current cluster (the record stays, marked as left)."""
    if not await require(update, context, Action.LEAVE_CLUSTER):
        return
    name = context.standing.current_cluster_name
    async with context.db.transaction() as tx:
        confirmed = await take_confirmation(tx, context, f"cluster:{context.standing.current_cluster_id}:leave", update)
        if confirmed:
            await memberships.leave_cluster(
                tx, context.standing.current_cluster_id, context.user.id, context.clock.now()
            )
            if leaving_ends_roles(context.standing.roles):  # a facilitator, secretary or group leader
                me, now, cluster_id = context.user.id, context.clock.now(), context.standing.current_cluster_id
                await access_log.record(tx, me, cluster_id, Access.LEFT_WITH_ROLES, "", now, subject_id=me)
    if not confirmed:
        await answer_tap(update.callback_query, confirmation_needed(context.lang), show_alert=True)
        return
    await answer_tap(update.callback_query)
    await refresh_standing(context)
    await show_menu(update, context, profile_views.left(context.lang, name))


async def list_clusters(update: Update, context: RembugContext) -> None:
    """/cluster: pick which of one's clusters to work in."""
    if update.callback_query:
        await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        choices = await memberships.clusters_of(conn, context.user.id)
    if not choices:
        await show_menu(update, context, cluster_views.no_clusters(context.lang))
        return
    text, keyboard = cluster_views.cluster_list(context.lang, choices, context.standing.cluster_id)
    await answer(update, text, keyboard)


async def switch_cluster(update: Update, context: RembugContext) -> None:
    """Make the tapped cluster the current one (only one the person belongs to)."""
    query = query_of(update)
    tap = rules.parse_member_button(query.data)
    async with context.db.transaction() as tx:
        choices = dict(await memberships.clusters_of(tx, context.user.id))
        chosen = tap.cluster_id if isinstance(tap, rules.SwitchCluster) and tap.cluster_id in choices else None
        if chosen is not None:
            await memberships.set_current_cluster(tx, context.user.id, chosen)
    if chosen is None:  # forged, or a cluster they left meanwhile
        await explain_stale(update, context)
        return
    await answer_tap(query)
    await refresh_standing(context)
    await show_menu(update, context, cluster_views.switched(context.lang, choices[chosen]))
