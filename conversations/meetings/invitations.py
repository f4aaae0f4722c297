"""Invitations, RSVP, reminders and cancellation of meetings.

Invitation cards, reminders and cancellation notices are due messages of the
reminder engine (bot/reminders.py): planned in the same transaction as the
meeting, sent in the background, each exactly once, and recorded per invitee.
"""

from __future__ import annotations

from datetime import datetime

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import CallbackQueryHandler, ConversationHandler

from bot.buttons import parse_callback
from bot.context import RembugContext
from bot.flows import confirmation_needed, confirmed_by, open_confirmation, stale_button, take_confirmation
from bot.permissions import require
from bot.recipients import delivery_problem, language_of
from bot.reminders import Skip
from bot.replies import answer, answer_tap, edit_buttons
from bot.roles import Action, Role, allowed
from bot.services import RembugApplication
from bot.update_parts import query_of
from conversations.meetings import meeting_views as views
from conversations.meetings import rules
from storage import clusters, drafts, meetings
from storage import reminders as due_messages
from storage.meetings import Meeting
from storage.reminders import Due

INVITE, REPORT, REMINDER = "meeting.invite", "meeting.invite_report", "meeting.reminder"
CANCELLED, CHANGED = "meeting.cancelled", "meeting.changed"


def created_intro(lang: str, count: int) -> str:
    """First line of the organiser's view after scheduling."""
    return views.created_intro(lang, count)


def reminder_prefix(meeting_id: int) -> str:
    """The key prefix of every reminder of a meeting (to cancel them all)."""
    return f"meeting:{meeting_id}:reminder:"


async def plan_invitations(tx, meeting: Meeting, invited: list[int], now: datetime) -> None:
    """Plan the cards, the organiser's delivery report and the reminders (inside the creating transaction)."""
    for user_id in invited:
        await due_messages.schedule(
            tx, f"meeting:{meeting.id}:invite:{user_id}", INVITE, now, {"meeting": meeting.id, "user": user_id}, now
        )
    await due_messages.schedule(tx, f"meeting:{meeting.id}:invite_report", REPORT, now, {"meeting": meeting.id}, now)
    await plan_reminders(tx, meeting, invited, now)


async def plan_reminders(tx, meeting: Meeting, invited: list[int], now: datetime) -> None:
    """Plan a reminder per invitee and offset still ahead. Keys carry the start time, so a
    moved meeting gets fresh reminders while those already sent for the old time stay sent."""
    stamp = int(meeting.starts_at.timestamp())
    for minutes, due_at in rules.reminder_times(meeting.starts_at, meeting.reminders, now):
        for user_id in invited:
            await due_messages.schedule(
                tx,
                f"{reminder_prefix(meeting.id)}{stamp}:{minutes}:{user_id}",
                REMINDER,
                due_at,
                {"meeting": meeting.id, "user": user_id, "minutes": minutes},
                now,
                expires_at=meeting.starts_at,  # late is fine, after the start is pointless
            )


async def plan_change_notices(tx, meeting: Meeting, change_id: int, now: datetime) -> None:
    """Tell every invitee who received the card that the meeting changed (once per change)."""
    for invitee in await meetings.invitees(tx, meeting.id):
        if invitee.delivery == "sent":
            await due_messages.schedule(
                tx,
                f"meeting:{meeting.id}:changed:{change_id}:{invitee.user_id}",
                CHANGED,
                now,
                {"meeting": meeting.id, "user": invitee.user_id},
                now,
            )


async def send_change_notice(due: Due, application: RembugApplication) -> str:
    """The new time or place, with the RSVP buttons."""
    meeting, cluster, lang, invitee = await _context_of(application, due.payload["meeting"], due.payload["user"])
    if meeting.cancelled:
        raise Skip("meeting cancelled")
    text, keyboard = views.changed_notice(lang, meeting, cluster.timezone, invitee.rsvp if invitee else None)
    await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    return "told"


async def _context_of(application: RembugApplication, meeting_id: int, user_id: int):
    db = application.services.db
    async with db.read() as conn:
        meeting = await meetings.get_meeting(conn, meeting_id)
        cluster = await clusters.get_cluster(conn, meeting.cluster_id)
        lang = await language_of(conn, user_id, application.services.settings.language)
        invitee = await meetings.get_invitee(conn, meeting_id, user_id)
    return meeting, cluster, lang, invitee


async def send_invitation(due: Due, application: RembugApplication) -> str:
    """Send one invitee their card and record whether it arrived."""
    meeting, cluster, lang, invitee = await _context_of(application, due.payload["meeting"], due.payload["user"])
    if meeting.cancelled:
        raise Skip("meeting cancelled")
    text, keyboard = views.invitation_card(
        lang, meeting, cluster.timezone, cluster.name, invitee.rsvp if invitee else None
    )
    db = application.services.db
    try:
        await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    except (Forbidden, BadRequest) as error:
        # Blocked, never started, or a chat Telegram does not know: the organiser must reach them otherwise.
        async with db.transaction() as tx:
            await meetings.set_delivery(tx, meeting.id, due.payload["user"], delivery_problem(error.message))
        raise
    async with db.transaction() as tx:
        await meetings.set_delivery(tx, meeting.id, due.payload["user"], "sent")
    return "card sent"


async def send_invite_report(due: Due, application: RembugApplication) -> str:
    """Tell the organiser how many cards arrived and whom to reach another way."""
    db = application.services.db
    async with db.read() as conn:
        meeting = await meetings.get_meeting(conn, due.payload["meeting"])
        invitees = await meetings.invitees(conn, meeting.id)
        lang = await language_of(conn, meeting.organiser_id, application.services.settings.language)
    unreachable = [i for i in invitees if i.delivery in rules.UNREACHED]
    reached = sum(1 for i in invitees if i.delivery == "sent")
    text, keyboard = views.invite_report(lang, meeting, unreachable, reached)
    await application.bot.send_message(meeting.organiser_id, text, reply_markup=keyboard)
    return f"{reached} reached, {len(unreachable)} not"


async def send_reminder(due: Due, application: RembugApplication) -> str:
    """Remind an invitee who has not declined."""
    meeting, cluster, lang, invitee = await _context_of(application, due.payload["meeting"], due.payload["user"])
    if meeting.cancelled:
        raise Skip("meeting cancelled")
    if invitee is None or invitee.rsvp == "no":
        raise Skip("declined")
    text, keyboard = views.reminder(lang, meeting, cluster.timezone, due.payload["minutes"], invitee.rsvp)
    await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    return "reminder sent"


async def send_cancellation(due: Due, application: RembugApplication) -> str:
    """Tell an invitee the meeting is off."""
    meeting, cluster, lang, _invitee = await _context_of(application, due.payload["meeting"], due.payload["user"])
    await application.bot.send_message(due.payload["user"], views.cancelled_notice(lang, meeting, cluster.timezone))
    return "told"


async def rsvp(update: Update, context: RembugContext) -> None:
    """Coming / Maybe / Can't come: saved at once, changeable until the meeting starts."""
    query = query_of(update)
    tap = rules.parse_rsvp(query.data)
    if tap is None:
        await answer_tap(query, stale_button(context.lang))
        return
    meeting_id, choice, under_broadcast = tap.meeting_id, tap.choice, tap.under_broadcast
    async with context.db.transaction() as tx:
        meeting = await meetings.get_meeting(tx, meeting_id)
        invitee = await meetings.get_invitee(tx, meeting_id, context.user.id) if meeting else None
        problem = None
        if meeting is None or invitee is None:
            problem = views.not_invited(context.lang)
        elif meeting.cancelled or meeting.starts_at <= context.clock.now():
            problem = views.rsvp_closed(context.lang)
        elif choice == "yes" and meeting.capacity and invitee.rsvp != "yes":
            coming = sum(1 for i in await meetings.invitees(tx, meeting_id) if i.rsvp == "yes")
            if coming >= meeting.capacity:
                problem = views.meeting_full(context.lang)
        if problem is None:
            await meetings.set_rsvp(tx, meeting_id, context.user.id, choice, context.clock.now())
            cluster = await clusters.get_cluster(tx, meeting.cluster_id)
    if problem:
        await answer_tap(query, problem, show_alert=True)
        return
    await answer_tap(query, views.rsvp_saved(context.lang, choice))
    if under_broadcast and invitee.rsvp != choice:
        await edit_buttons(query, views.rsvp_keyboard(context.lang, meeting_id, choice, in_broadcast=True))
    elif "\n" in (query.message.text or "") and invitee.rsvp != choice:
        text, keyboard = views.invitation_card(context.lang, meeting, cluster.timezone, cluster.name, choice)
        await answer(update, text, keyboard)


async def managed_meeting(update: Update, context: RembugContext, meeting_id: int) -> Meeting | None:
    """The meeting, when the sender may manage it (facilitator, or its organiser); else refuse."""
    if not await require(update, context, Action.MANAGE_MEETING):
        return None
    async with context.db.read() as conn:
        meeting = await meetings.get_meeting(conn, meeting_id)
    allowed = (
        meeting is not None
        and meeting.cluster_id == context.standing.cluster_id
        and (Role.FACILITATOR in context.standing.roles or meeting.organiser_id == context.user.id)
    )
    if not allowed:
        await answer_tap(update.callback_query, stale_button(context.lang))
        return None
    return meeting


def meeting_id_of(update: Update) -> int | None:
    """The meeting id in ``mt1:<action>:<id>...`` button data."""
    parts = parse_callback(query_of(update).data, rules.PREFIX)
    return int(parts[1]) if parts and len(parts) >= 2 and parts[1].isdigit() else None


async def show_meeting(update: Update, context: RembugContext, meeting_id: int, intro: str | None = None) -> None:
    """The organiser's view of one meeting."""
    async with context.db.read() as conn:
        meeting = await meetings.get_meeting(conn, meeting_id)
        cluster = await clusters.get_cluster(conn, meeting.cluster_id)
        invitees = await meetings.invitees(conn, meeting_id)
        guests = await meetings.guests(conn, meeting_id)
    text, keyboard = views.organiser_view(context.lang, meeting, cluster.timezone, invitees, len(guests), intro)
    await answer(update, text, keyboard)


async def open_meeting(update: Update, context: RembugContext) -> None:
    """A meeting from the list (``mt1:open:<id>``)."""
    meeting = await managed_meeting(update, context, meeting_id_of(update) or 0)
    if meeting is None:
        return
    await answer_tap(update.callback_query)
    await show_meeting(update, context, meeting.id)


async def list_meetings(update: Update, context: RembugContext) -> None:
    """The cluster's meetings (the "Meetings" menu entry)."""
    if not await require(update, context, Action.VIEW_MEETINGS):
        return
    if update.callback_query:
        await answer_tap(update.callback_query)
    now = context.clock.now()
    async with context.db.read() as conn:
        cluster = await clusters.get_cluster(conn, context.standing.cluster_id)
        everything = await meetings.list_meetings(conn, cluster.id)
    upcoming = [m for m in everything if m.starts_at > now]
    past = [m for m in everything if m.starts_at <= now]
    text, keyboard = views.meeting_list(
        context.lang,
        upcoming,
        past,
        cluster.timezone,
        allowed(context.standing, Action.SCHEDULE_MEETING),
        allowed(context.standing, Action.MANAGE_MEETING),
    )
    await answer(update, text, keyboard)


async def ask_cancel(update: Update, context: RembugContext) -> None:
    """Confirm before calling a meeting off."""
    meeting = await managed_meeting(update, context, meeting_id_of(update) or 0)
    if meeting is None:
        return
    if meeting.cancelled:
        await answer_tap(update.callback_query, views.already_cancelled(context.lang))
        return
    await open_confirmation(context, f"meeting:{meeting.id}:cancel")
    await answer_tap(update.callback_query)
    await answer(update, *views.confirm_cancel(context.lang, meeting.id))


async def cancel(update: Update, context: RembugContext) -> None:
    """Cancel the meeting, from its confirm screen: no more reminders, and every invitee is told (once)."""
    meeting = await managed_meeting(update, context, meeting_id_of(update) or 0)
    if meeting is None:
        return
    if meeting.cancelled:  # tapped twice, or from a second phone: cancelled once
        if await confirmed_by(context, update, f"meeting:{meeting.id}:cancel"):  # this tap did it; its reply was lost
            await answer_tap(update.callback_query)
            await show_meeting(update, context, meeting.id)
            return
        await answer_tap(update.callback_query, views.already_cancelled(context.lang))
        return
    now = context.clock.now()
    async with context.db.transaction() as tx:
        confirmed = await take_confirmation(tx, context, f"meeting:{meeting.id}:cancel", update)
        if confirmed:
            await meetings.update_meeting(tx, meeting.id, status="cancelled")
            await due_messages.cancel(tx, reminder_prefix(meeting.id), now)
            await due_messages.cancel(tx, f"meeting:{meeting.id}:invite:", now)
            for invitee in await meetings.invitees(tx, meeting.id):
                if invitee.delivery == "sent":
                    await due_messages.schedule(
                        tx,
                        f"meeting:{meeting.id}:cancelled:{invitee.user_id}",
                        CANCELLED,
                        now,
                        {"meeting": meeting.id, "user": invitee.user_id},
                        now,
                    )
    if not confirmed:
        await answer_tap(update.callback_query, confirmation_needed(context.lang), show_alert=True)
        return
    context.services.reminders.wake()
    await answer_tap(update.callback_query)
    await show_meeting(update, context, meeting.id)


def back_to_meeting(flow: str) -> CallbackQueryHandler:
    """A fallback for a meeting's sub-flows: « Back to the meeting forgets the half-done draft."""

    async def leave(update: Update, context: RembugContext) -> int | None:
        """Forget the draft and show the meeting; a button of a meeting one may not manage changes nothing."""
        meeting = await managed_meeting(update, context, meeting_id_of(update) or 0)
        if meeting is None:
            return None  # refused: the step that was waiting still waits, its draft kept
        async with context.db.transaction() as tx:
            await drafts.clear_draft(tx, context.user.id, flow)
        await answer_tap(update.callback_query)
        await show_meeting(update, context, meeting.id)
        return ConversationHandler.END

    return CallbackQueryHandler(leave, pattern=f"^{rules.PREFIX}:open:")
