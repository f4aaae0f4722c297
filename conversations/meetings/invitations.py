"""Invitations, RSVP, reminders and cancellation of meetings.

Everything a meeting sends to its invitees is one message to many and goes
through the outbox (``bot/outbox.py``): the invitation cards (with the RSVP
buttons, each in its invitee's language) are queued in the transaction that
creates the meeting; a change or a cancellation queues its notice to those
whose card arrived. Each recipient gets a result (sent, blocked the bot,
never started it, failed, may not have arrived). When a batch is finished,
the organiser's delivery report is a due message of the reminder engine,
planned in the same transaction as the last result, so it goes out once.
Reminders before the meeting are due messages too, one per reminder time:
when one falls due it queues its batch for the invitees who have not declined.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

import aiosqlite
from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, ConversationHandler

from bot.audience import Arrival, Audience, reaches
from bot.context import RembugContext
from bot.delivery_report import report_counts, send_unreached, unreached_of
from bot.flows import confirmation_needed, confirmed_by, open_confirmation, take_confirmation
from bot.permissions import require
from bot.recipients import language_of, people_of
from bot.reminders import Skip
from bot.replies import answer, answer_tap, edit_buttons
from bot.roles import Action, Role, allowed
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import query_of
from conversations.access_log.recording import note_sent
from conversations.access_log.rules import Access
from conversations.meetings import meeting_views as views
from conversations.meetings import rules
from conversations.tasks.agenda import meeting_figures, overdue_titles
from storage import clusters, drafts, map_reviews, meetings, sheet_photos
from storage import outbox as outbox_store
from storage import reminders as due_messages
from storage.meetings import Meeting, invitation_batch
from storage.reminders import Due

INVITE, REPORT, REMINDER = "meeting.invite", "meeting.invite_report", "meeting.reminder"
CANCELLED, CHANGED = "meeting.cancelled", "meeting.changed"  # before notices went through the outbox
KIND = "meeting"  # the outbox batches of meetings: meeting:<id>:invite, :changed:<n>, :cancelled, :reminder:...
REACHED = ("sent", "unknown")  # a card that arrived, or may have: its invitee hears of changes


def created_intro(lang: str, count: int) -> str:
    """First line of the organiser's view after scheduling."""
    return views.created_intro(lang, count)


def reminder_prefix(meeting_id: int) -> str:
    """The key prefix of every reminder of a meeting (to cancel them all)."""
    return f"meeting:{meeting_id}:reminder:"


def cancelled_batch(meeting_id: int) -> str:
    """The outbox batch of a meeting's cancellation notices."""
    return f"meeting:{meeting_id}:cancelled"


def changed_batch(meeting_id: int, change_id: int) -> str:
    """The outbox batch of one change's notices."""
    return f"meeting:{meeting_id}:changed:{change_id}"


def report_key(batch: str) -> str:
    """The due message of a batch's delivery report (the invitations' keeps its first name)."""
    meeting_id, what = batch.split(":")[1:3]
    return f"meeting:{meeting_id}:invite_report" if what == "invite" else f"{batch}:report"


async def _meeting(conn: aiosqlite.Connection, meeting_id: int) -> Meeting:
    meeting = await meetings.get_meeting(conn, meeting_id)
    if meeting is None:
        raise Skip("no such meeting")
    return meeting


def _payload(text: str, keyboard: InlineKeyboardMarkup | None) -> dict[str, Any]:
    return {"kind": "text", "text": text, **({"reply_markup": keyboard.to_dict()} if keyboard else {})}


async def plan_invitations(
    tx: aiosqlite.Connection, meeting: Meeting, invited: list[int], now: datetime, *, default_language: str = "id"
) -> None:
    """Queue every invitee's card in the outbox and plan the reminders (inside the creating transaction)."""
    cluster = await clusters.load_cluster(tx, meeting.cluster_id)
    overdue = await overdue_titles(tx, meeting, now)  # tasks of earlier meetings on the agenda
    letters = []
    for user_id in invited:
        lang = await language_of(tx, user_id, default_language)
        card = views.invitation_card(lang, meeting, cluster.timezone, cluster.name, None, overdue=overdue)
        letters.append((user_id, _payload(*card)))
    await outbox_store.enqueue(tx, invitation_batch(meeting.id), letters, now)
    await plan_reminders(tx, meeting, now)


async def invite_newcomer(
    tx: aiosqlite.Connection, cluster_id: int, user_id: int, now: datetime, *, default_language: str = "id"
) -> int:
    """Someone just joined the cluster or entered a small group (inside that transaction): invite
    them to every meeting still ahead whose audience now includes them and that they are not
    invited to yet, with the card and reminders every invitee gets (``plan_invitations``); how many.
    A replay or a second entry changes nothing: they are invited once, and the outbox holds
    one card per invitee."""
    upcoming = await meetings.list_meetings(tx, cluster_id, after=now)
    people = await people_of(tx, cluster_id, with_committees=True) if upcoming else []
    count = 0
    for meeting in upcoming:
        if not rules.newcomer_invited(
            starts_at=meeting.starts_at,
            now=now,
            cancelled=meeting.cancelled,
            invited=await meetings.get_invitee(tx, meeting.id, user_id) is not None,
            in_audience=reaches(Audience.from_json(meeting.audience), people, user_id),
        ):
            continue
        if await meetings.add_invitee(tx, meeting.id, user_id, now):
            await plan_invitations(tx, meeting, [user_id], now, default_language=default_language)
            count += 1
    return count


def newcomer_listener(application: RembugApplication) -> Arrival:
    """The listener meetings give the audience engine's ``Newcomers``: invite, then wake the outbox
    (its next read waits for this transaction to commit)."""
    services = application.services

    async def invite(tx: aiosqlite.Connection, cluster_id: int, user_id: int, now: datetime) -> None:
        """Invite a newcomer to the upcoming meetings meant for them."""
        if await invite_newcomer(tx, cluster_id, user_id, now, default_language=services.settings.language):
            services.outbox.wake()

    return invite


async def plan_reminders(tx: aiosqlite.Connection, meeting: Meeting, now: datetime) -> None:
    """Plan one due message per reminder time still ahead. Keys carry the start time, so a moved
    meeting gets fresh reminders while those already sent for the old time stay sent."""
    stamp = int(meeting.starts_at.timestamp())
    for minutes, due_at in rules.reminder_times(meeting.starts_at, meeting.reminders, now):
        await due_messages.schedule(
            tx,
            f"{reminder_prefix(meeting.id)}{stamp}:{minutes}",
            REMINDER,
            due_at,
            {"meeting": meeting.id, "minutes": minutes, "stamp": stamp},
            now,
            expires_at=meeting.starts_at,  # late is fine, after the start is pointless
        )


async def _queue_notices(
    tx: aiosqlite.Connection, meeting: Meeting, batch: str, now: datetime, default_language: str, *, changed: bool
) -> int:
    """Queue a notice for every invitee whose card arrived (or may have); how many."""
    cluster = await clusters.load_cluster(tx, meeting.cluster_id)
    letters = []
    for invitee in await meetings.invitees(tx, meeting.id):
        if invitee.delivery not in REACHED:
            continue
        lang = await language_of(tx, invitee.user_id, default_language)
        if changed:
            payload = _payload(*views.changed_notice(lang, meeting, cluster.timezone, invitee.rsvp))
        else:
            payload = _payload(views.cancelled_notice(lang, meeting, cluster.timezone), None)
        letters.append((invitee.user_id, payload))
    return await outbox_store.enqueue(tx, batch, letters, now)


async def plan_change_notices(
    tx: aiosqlite.Connection, meeting: Meeting, change_id: int, now: datetime, default_language: str
) -> int:
    """Tell every invitee whose card arrived that the meeting changed (once per change)."""
    return await _queue_notices(tx, meeting, changed_batch(meeting.id, change_id), now, default_language, changed=True)


async def plan_cancellation(tx: aiosqlite.Connection, meeting: Meeting, now: datetime, default_language: str) -> int:
    """Stop the cards not yet sent and the reminders, and tell those whose card arrived (once)."""
    await due_messages.cancel(tx, reminder_prefix(meeting.id), now)
    await due_messages.cancel(tx, f"meeting:{meeting.id}:invite:", now)  # cards planned before the outbox
    await outbox_store.cancel_batch(tx, invitation_batch(meeting.id), now)
    return await _queue_notices(tx, meeting, cancelled_batch(meeting.id), now, default_language, changed=False)


async def batch_finished(tx: aiosqlite.Connection, batch: str, now: datetime) -> None:
    """The outbox's end-of-batch hook (same transaction as the last result): plan the organiser's
    delivery report of cards and notices, once per batch; reminders need none."""
    if batch.split(":")[2] in ("invite", "changed", "cancelled"):
        meeting_id = int(batch.split(":")[1])
        await due_messages.schedule(tx, report_key(batch), REPORT, now, {"meeting": meeting_id, "batch": batch}, now)


async def wake_reports(application: RembugApplication, batch: str, counts: dict[str, int], done: bool) -> None:
    """The outbox's progress callback: once a batch is finished its report is due, so look now."""
    if done:
        application.services.reminders.wake()


async def send_delivery_report(due: Due, application: RembugApplication) -> str:
    """Tell the organiser how many cards (or notices) arrived and whom to reach another way."""
    db = application.services.db
    meeting_id = due.payload["meeting"]
    batch = due.payload.get("batch") or invitation_batch(meeting_id)
    async with db.read() as conn:
        meeting = await _meeting(conn, meeting_id)
        invitees = await meetings.invitees(conn, meeting.id)
        lang = await language_of(conn, meeting.organiser_id, application.services.settings.language)
        counts = await outbox_store.counts(conn, batch)
        unreached = await unreached_of(conn, meeting.cluster_id, batch)
    if batch == invitation_batch(meeting.id):
        if not counts:  # cards sent before they went through the outbox: what each invitee's row says
            counts = dict(Counter(i.delivery for i in invitees if i.delivery))
        not_reached = [i for i in invitees if i.delivery in rules.UNREACHED]
        text, keyboard = views.invite_report(lang, meeting, not_reached, report_counts(counts))
        await application.bot.send_message(meeting.organiser_id, text, reply_markup=keyboard)
        return f"{report_counts(counts)['sent']} reached, {len(not_reached)} not"
    text = views.notice_report(
        lang, meeting, cancelled=batch == cancelled_batch(meeting.id), figures=report_counts(counts)
    )
    await application.bot.send_message(meeting.organiser_id, text)
    await send_unreached(application.bot, meeting.organiser_id, lang, unreached, f"meeting-{meeting.id}-unreached.csv")
    if unreached:  # a file of phones went to the organiser
        await note_sent(application, meeting.organiser_id, meeting.cluster_id, Access.UNREACHED, meeting.topic)
    return f"{report_counts(counts)['sent']} told, {len(unreached)} not"


async def send_reminder(due: Due, application: RembugApplication) -> str:
    """A reminder time came: queue the reminder for every invitee who has not declined."""
    services = application.services
    now = services.clock.now()
    async with services.db.transaction() as tx:
        meeting = await _meeting(tx, due.payload["meeting"])
        if meeting.cancelled:
            raise Skip("meeting cancelled")
        cluster = await clusters.load_cluster(tx, meeting.cluster_id)
        only = due.payload.get("user")  # one invitee's reminder, planned before reminders went through the outbox
        on_agenda = await map_reviews.review_of_meeting(tx, meeting.id) is not None
        overdue = await overdue_titles(tx, meeting, now)
        letters = []
        for invitee in await meetings.invitees(tx, meeting.id):
            if invitee.rsvp == "no" or (only is not None and invitee.user_id != only):
                continue
            lang = await language_of(tx, invitee.user_id, services.settings.language)
            text, keyboard = views.reminder(
                lang,
                meeting,
                cluster.timezone,
                due.payload["minutes"],
                invitee.rsvp,
                map_review=on_agenda,
                overdue=overdue,
            )
            letters.append((invitee.user_id, _payload(text, keyboard)))
        stamp = due.payload.get("stamp", int(meeting.starts_at.timestamp()))
        batch = f"{reminder_prefix(meeting.id)}{stamp}:{due.payload['minutes']}"
        added = await outbox_store.enqueue(tx, batch, letters, now)
    services.outbox.wake()
    return f"{added} reminders queued"


async def send_legacy_notice(due: Due, application: RembugApplication) -> str:
    """A card, change or cancellation notice planned for one invitee before they went through the
    outbox (a database from before): it joins its meeting's batch, so it still goes out once."""
    services = application.services
    now = services.clock.now()
    user_id = due.payload["user"]
    async with services.db.transaction() as tx:
        meeting = await _meeting(tx, due.payload["meeting"])
        if meeting.cancelled and due.kind != CANCELLED:
            raise Skip("meeting cancelled")
        cluster = await clusters.load_cluster(tx, meeting.cluster_id)
        invitee = await meetings.get_invitee(tx, meeting.id, user_id)
        lang = await language_of(tx, user_id, services.settings.language)
        chosen = invitee.rsvp if invitee else None
        if due.kind == INVITE:
            batch = invitation_batch(meeting.id)
            payload = _payload(*views.invitation_card(lang, meeting, cluster.timezone, cluster.name, chosen))
        elif due.kind == CHANGED:
            batch = changed_batch(meeting.id, int(due.key.split(":")[3]))
            payload = _payload(*views.changed_notice(lang, meeting, cluster.timezone, chosen))
        else:
            batch = cancelled_batch(meeting.id)
            payload = _payload(views.cancelled_notice(lang, meeting, cluster.timezone), None)
        await outbox_store.enqueue(tx, batch, [(user_id, payload)], now)
    services.outbox.wake()
    return "queued"


async def rsvp(update: Update, context: RembugContext) -> None:
    """Coming / Maybe / Can't come: saved at once, changeable until the meeting starts."""
    query = query_of(update)
    tap = rules.parse_rsvp(query.data)
    if tap is None:
        await explain_stale(update, context)
        return
    meeting_id, choice, under_broadcast = tap.meeting_id, tap.choice, tap.under_broadcast
    async with context.db.transaction() as tx:
        meeting = await meetings.get_meeting(tx, meeting_id)
        invitee = await meetings.get_invitee(tx, meeting_id, context.user.id) if meeting else None
        problem = None
        if meeting is None or invitee is None:
            problem = rules.RsvpProblem.NOT_INVITED
        else:
            problem = rules.check_rsvp(
                invited=True,
                cancelled=meeting.cancelled,
                starts_at=meeting.starts_at,
                now=context.clock.now(),
                choice=choice,
                previous=invitee.rsvp,
                capacity=meeting.capacity,
                coming=sum(1 for i in await meetings.invitees(tx, meeting_id) if i.rsvp == "yes"),
            )
        if problem is None and meeting is not None:
            await meetings.set_rsvp(tx, meeting_id, context.user.id, choice, context.clock.now())
            cluster = await clusters.load_cluster(tx, meeting.cluster_id)
    if problem is rules.RsvpProblem.CLOSED:  # cancelled or begun: say which, with the way on
        await explain_stale(update, context)
        return
    if problem is not None or meeting is None or invitee is None:
        await answer_tap(
            query, views.rsvp_problem(context.lang, problem or rules.RsvpProblem.NOT_INVITED), show_alert=True
        )
        return
    await answer_tap(query, views.rsvp_saved(context.lang, choice))
    if tap.on_list:
        await show_list(update, context)
        return
    message = query.message
    card_text = message.text if isinstance(message, Message) else None
    if under_broadcast and invitee.rsvp != choice:
        await edit_buttons(query, views.rsvp_keyboard(context.lang, meeting_id, choice, in_broadcast=True))
    elif "\n" in (card_text or "") and invitee.rsvp != choice:
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
        await explain_stale(update, context)
        return None
    return meeting


def meeting_tap(update: Update) -> rules.MeetingTap | None:
    """The ``mt1:<action>:<meeting>`` button tapped, as ``rules.parse_button`` reads it."""
    tap = rules.parse_button(query_of(update).data)
    return tap if isinstance(tap, rules.MeetingTap) else None


def meeting_id_of(update: Update) -> int | None:
    """The meeting a ``mt1:<action>:<meeting>`` button is about."""
    tap = meeting_tap(update)
    return tap.meeting_id if tap else None


async def figures_of(
    conn: aiosqlite.Connection, meeting_id: int, invitees: list[meetings.Invitee]
) -> rules.MeetingFigures:
    """The meeting's figures (``rules.meeting_figures``) from what is stored: every screen and download uses them."""
    present = await meetings.present(conn, meeting_id)
    guests = len(await meetings.guests(conn, meeting_id))
    unreachable = sum(1 for i in invitees if i.delivery in rules.UNREACHED)
    return rules.meeting_figures({i.user_id: i.rsvp for i in invitees}, present, guests, unreachable)


async def show_meeting(update: Update, context: RembugContext, meeting_id: int, intro: str | None = None) -> None:
    """The organiser's view of one meeting."""
    async with context.db.read() as conn:
        meeting = await meetings.get_meeting(conn, meeting_id)
        if meeting is None:  # every caller has just read or made it
            return
        cluster = await clusters.load_cluster(conn, meeting.cluster_id)
        invitees = await meetings.invitees(conn, meeting_id)
        figures = await figures_of(conn, meeting_id, invitees)
        photos = await sheet_photos.count_photos(conn, meeting_id)
        review = await map_reviews.review_of_meeting(conn, meeting_id)
        overdue = await overdue_titles(conn, meeting, context.clock.now())
        tasks = await meeting_figures(conn, meeting, context.clock.now())
    text, keyboard = views.organiser_view(
        context.lang,
        meeting,
        cluster.timezone,
        invitees,
        figures,
        intro,
        sheet_photos=photos,
        map_review=bool(review),
        overdue=overdue,
        tasks=tasks,
    )
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
    await show_list(update, context)


async def show_list(update: Update, context: RembugContext) -> None:
    """The meetings list, with the person's answer and RSVP buttons on each upcoming meeting they are invited to."""
    now = context.clock.now()
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, context.standing.current_cluster_id)
        everything = await meetings.list_meetings(conn, cluster.id)
        upcoming = [m for m in everything if rules.answers_open(m.starts_at, now, False)]
        answers = await meetings.invitations_of(conn, context.user.id, [m.id for m in upcoming])
    past = [m for m in everything if m.starts_at <= now]
    text, keyboard = views.meeting_list(
        context.lang,
        upcoming,
        past,
        cluster.timezone,
        allowed(context.standing, Action.SCHEDULE_MEETING),
        allowed(context.standing, Action.MANAGE_MEETING),
        answers,
        may_assign=allowed(context.standing, Action.ASSIGN_TASKS),
    )
    await answer(update, text, keyboard)


async def open_card(update: Update, context: RembugContext) -> None:
    """An invitee opens their invitation card from the meetings list (``mt1:card:<id>``)."""
    if not await require(update, context, Action.VIEW_MEETINGS):
        return
    query = query_of(update)
    meeting_id = meeting_id_of(update) or 0
    async with context.db.read() as conn:
        meeting = await meetings.get_meeting(conn, meeting_id)
        invitee = await meetings.get_invitee(conn, meeting_id, context.user.id) if meeting else None
        cluster = await clusters.load_cluster(conn, meeting.cluster_id) if meeting else None
        on_agenda = await map_reviews.review_of_meeting(conn, meeting_id) is not None
        overdue = await overdue_titles(conn, meeting, context.clock.now()) if meeting else []
    if meeting is None or invitee is None or cluster is None:
        await answer_tap(query, views.not_invited(context.lang), show_alert=True)
        return
    await answer_tap(query)
    card = views.invitation_card(
        context.lang, meeting, cluster.timezone, cluster.name, invitee.rsvp, map_review=on_agenda, overdue=overdue
    )
    await answer(update, *card)


async def ask_cancel(update: Update, context: RembugContext) -> None:
    """Confirm before calling a meeting off."""
    meeting = await managed_meeting(update, context, meeting_id_of(update) or 0)
    if meeting is None:
        return
    if meeting.cancelled:
        await explain_stale(update, context)  # tapped twice: "was cancelled", and the way on
        return
    async with context.db.read() as conn:
        invited = {i.user_id: i.rsvp for i in await meetings.invitees(conn, meeting.id)}
    figures = rules.meeting_figures(invited, set(), 0)
    await open_confirmation(context, f"meeting:{meeting.id}:cancel")
    await answer_tap(update.callback_query)
    await answer(update, *views.confirm_cancel(context.lang, meeting.id, figures.invited, figures.coming))


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
        await explain_stale(update, context)  # tapped twice: "was cancelled", and the way on
        return
    now = context.clock.now()
    async with context.db.transaction() as tx:
        confirmed = await take_confirmation(tx, context, f"meeting:{meeting.id}:cancel", update)
        if confirmed:
            await meetings.update_meeting(tx, meeting.id, status="cancelled")
            await plan_cancellation(tx, meeting, now, context.settings.language)
    if not confirmed:
        await answer_tap(query_of(update), confirmation_needed(context.lang), show_alert=True)
        return
    context.services.outbox.wake()
    await answer_tap(query_of(update))
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
