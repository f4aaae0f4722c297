"""The participant map at a meeting (ANNEX-2's "Pengecekan peta partisipan"): a facilitator puts it
on a meeting's agenda, the invitees get the map a day before (a due message that queues one outbox
batch), and after the meeting the facilitator records what changed; the review keeps the map's
figures then, so the history shows the trend from one review to the next."""

from __future__ import annotations

import logging

import aiosqlite
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.context import RembugContext
from bot.flows import exit_handlers, read_draft
from bot.recipients import language_of
from bot.reminders import Skip
from bot.replies import answer, answer_tap
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of
from conversations.cluster_map import views as chain_views
from conversations.cluster_map.chain_screen import chain_photo
from conversations.cluster_map.figures import cluster_chain, map_figures
from conversations.meetings import map_review_rules as rules
from conversations.meetings import map_review_views as views
from conversations.meetings.attendance import buttons_please
from conversations.meetings.invitations import back_to_meeting, managed_meeting, meeting_id_of
from conversations.meetings.rules import PREFIX, MeetingAction
from storage import clusters, drafts, map_reviews, meetings, memberships, supporters
from storage import outbox as outbox_store
from storage import reminders as due_messages
from storage.meetings import Meeting
from storage.reminders import Due

_LOGGER = logging.getLogger(__name__)
FLOW = "meeting_map_review"
SEND_MAP = "meeting.map_before"  # the due message that sends the map to the invitees


def before_key(meeting_id: int) -> str:
    """The due message (and outbox batch) of the map sent before the meeting."""
    return f"meeting:{meeting_id}:map:before"


async def map_now(conn: aiosqlite.Connection, cluster_id: int) -> dict[str, int]:
    """The map's figures now (``rules.FIGURES``): firms, their (estimated) workers, the chain's links,
    the confirmed outside supporters."""
    figures = await map_figures(conn, cluster_id)
    helpers = len(await supporters.confirmed_supporters(conn, cluster_id))
    return {"firms": figures.firms, "workers": figures.workers, "links": figures.links, "supporters": helpers}


async def show_review(update: Update, context: RembugContext, meeting: Meeting, intro: str | None = None) -> None:
    """The organiser's screen of the map on the meeting's agenda."""
    async with context.db.read() as conn:
        review = await map_reviews.review_of_meeting(conn, meeting.id)
        cluster = await clusters.load_cluster(conn, meeting.cluster_id)
        figures = await map_now(conn, meeting.cluster_id)
        earlier = await map_reviews.recorded_reviews(conn, meeting.cluster_id)
    if review is None:  # every caller has just planned it
        return
    moved = rules.moved_since(figures, earlier[-1] if earlier else None)
    started = context.clock.now() >= meeting.starts_at
    text, keyboard = views.review_screen(
        context.lang, meeting, cluster.timezone, review, figures, moved, intro, started=started
    )
    await answer(update, text, keyboard)


async def open_review(update: Update, context: RembugContext) -> None:
    """🗺 on the organiser's view: put the map on the agenda (once) and plan the letter before it."""
    meeting = await managed_meeting(update, context, meeting_id_of(update) or 0)
    if meeting is None:
        return
    now = context.clock.now()
    async with context.db.transaction() as tx:
        _review, new = await map_reviews.plan_review(tx, meeting.cluster_id, meeting.id, context.user.id, now)
        goes_out = rules.map_goes_out_at(meeting.starts_at, now)
        if new and goes_out is not None and not meeting.cancelled:
            await due_messages.schedule(
                tx,
                before_key(meeting.id),
                SEND_MAP,
                goes_out,
                {"meeting": meeting.id},
                now,
                expires_at=meeting.starts_at,
            )
    context.services.reminders.wake()
    await answer_tap(update.callback_query)
    await show_review(update, context, meeting)


async def _upload_map(application: RembugApplication, meeting: Meeting, review_by: int, count: int) -> str | None:
    """Draw the cluster's value chain and send it to the facilitator who put the map on the agenda, as
    the copy of what the invitees get; its Telegram file id lets the outbox send the same picture to
    everyone. None when it could not be sent (the letters then go as text, with the picture one tap away)."""
    services = application.services
    async with services.db.read() as conn:
        cluster = await clusters.load_cluster(conn, meeting.cluster_id)
        chain = await cluster_chain(conn, meeting.cluster_id)
        lang = await language_of(conn, review_by, services.settings.language)
    photo = await chain_photo(chain, lang, cluster.name)
    try:
        sent = await application.bot.send_photo(review_by, photo, caption=views.copy_caption(lang, meeting, count))
    except TelegramError:
        _LOGGER.warning("the map of meeting %s could not be sent to %s; the invitees get text", meeting.id, review_by)
        return None
    return sent.photo[-1].file_id if sent.photo else None


async def send_map_before(due: Due, application: RembugApplication) -> str:
    """A day before the meeting: queue the map (the value chain's picture with its figures) for every
    invitee who has not declined, through one outbox batch."""
    services = application.services
    async with services.db.read() as conn:
        meeting = await meetings.get_meeting(conn, due.payload["meeting"])
        review = await map_reviews.review_of_meeting(conn, meeting.id) if meeting else None
        invitees = [i for i in await meetings.invitees(conn, meeting.id) if i.rsvp != "no"] if meeting else []
    if meeting is None or review is None or meeting.cancelled:
        raise Skip("meeting cancelled")
    file_id = await _upload_map(application, meeting, review.planned_by, len(invitees))
    now = services.clock.now()
    async with services.db.transaction() as tx:
        cluster = await clusters.load_cluster(tx, meeting.cluster_id)
        figures = await map_now(tx, meeting.cluster_id)
        letters = []
        for invitee in invitees:
            lang = await language_of(tx, invitee.user_id, services.settings.language)
            text, keyboard = views.letter_before(lang, meeting, cluster.timezone, figures, picture=file_id is not None)
            payload = {"kind": "photo", "file_id": file_id} if file_id else {"kind": "text"}
            letters.append((invitee.user_id, {**payload, "text": text, "reply_markup": keyboard.to_dict()}))
        added = await outbox_store.enqueue(tx, before_key(meeting.id), letters, now)
    services.outbox.wake()
    return f"map sent to {added}" + ("" if file_id else " (as text)")


async def show_chain(update: Update, context: RembugContext) -> None:
    """🔗 The value chain: the map of the meeting's cluster, for its organisers and its invitees."""
    meeting_id = meeting_id_of(update) or 0
    async with context.db.read() as conn:
        meeting = await meetings.get_meeting(conn, meeting_id)
        invited = meeting is not None and await meetings.get_invitee(conn, meeting.id, context.user.id) is not None
        member = meeting is not None and await memberships.get_membership(conn, meeting.cluster_id, context.user.id)
        cluster = await clusters.load_cluster(conn, meeting.cluster_id) if meeting else None
        chain = await cluster_chain(conn, meeting.cluster_id) if meeting else None
    if meeting is None or cluster is None or chain is None or not (invited or member):
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query)
    await chat_of(update).send_photo(
        await chain_photo(chain, context.lang, cluster.name),
        caption=chain_views.caption(context.lang, cluster.name, chain),
    )


async def show_history(update: Update, context: RembugContext) -> None:
    """🕓 The map's history, review by review."""
    meeting = await managed_meeting(update, context, meeting_id_of(update) or 0)
    if meeting is None:
        return
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, meeting.cluster_id)
        reviews = await map_reviews.recorded_reviews(conn, meeting.cluster_id)
        topics = {}
        for review in reviews:
            reviewed = await meetings.get_meeting(conn, review.meeting_id)
            topics[review.meeting_id] = reviewed.topic if reviewed else ""
    await answer_tap(update.callback_query)
    await answer(update, *views.history(context.lang, cluster.timezone, rules.steps(reviews), topics, meeting.id))


async def begin_record(update: Update, context: RembugContext) -> str | int:
    """📝 Record what changed: ask it (a fresh draft naming the meeting)."""
    meeting = await managed_meeting(update, context, meeting_id_of(update) or 0)
    if meeting is None:
        return ConversationHandler.END
    if context.clock.now() < meeting.starts_at:  # an old screen's button, or a moved meeting
        await answer_tap(update.callback_query, views.not_started(context.lang), show_alert=True)
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
        await drafts.save_draft_answer(tx, context.user.id, FLOW, "meeting", meeting.id, context.clock.now())
    await answer_tap(update.callback_query)
    await answer(update, *views.ask_changes(context.lang, meeting.id))
    return "changes"


async def _record(update: Update, context: RembugContext, changes: str) -> int:
    """Store the review with the map's figures now and add it to the meeting's notes, in one
    transaction; then show it."""
    now = context.clock.now()
    async with context.db.transaction() as tx:
        draft = await drafts.get_draft(tx, context.user.id, FLOW)
        meeting = await meetings.get_meeting(tx, int(draft.get("meeting", 0)))
        review = await map_reviews.review_of_meeting(tx, meeting.id) if meeting else None
        if meeting is not None and review is not None:
            figures = await map_now(tx, meeting.cluster_id)
            line = views.notes_line(context.lang, changes or views.no_changes(context.lang))
            if await map_reviews.record_review(tx, review.id, changes, figures, context.user.id, now, update.update_id):
                notes = rules.notes_with_review(meeting.notes, line)
                await meetings.update_meeting(tx, meeting.id, notes=notes)
        await drafts.clear_draft(tx, context.user.id, FLOW)
    if meeting is None or review is None:
        await explain_stale(update, context)
        return ConversationHandler.END
    await show_review(update, context, meeting, intro=views.recorded_intro(context.lang))
    return ConversationHandler.END


async def receive_changes(update: Update, context: RembugContext) -> str | int:
    """What changed, typed."""
    changes = rules.clean_changes(message_of(update).text)
    if changes is None:
        await message_of(update).reply_text(views.changes_too_long(context.lang, rules.CHANGES_LIMIT))
        return "changes"
    return await _record(update, context, changes)


async def nothing_changed(update: Update, context: RembugContext) -> str | int:
    """✅ No changes."""
    draft = await read_draft(context, FLOW)
    if int(draft.get("meeting", -1)) != (meeting_id_of(update) or 0):
        await explain_stale(update, context)
        return "changes" if draft else ConversationHandler.END
    await answer_tap(update.callback_query)
    return await _record(update, context, "")


def conversation() -> ConversationHandler:
    """Recording the review (named and persistent: a restart keeps the question open)."""
    text = filters.TEXT & ~filters.COMMAND
    states: dict[object, list[BaseHandler]] = {
        "changes": [
            CallbackQueryHandler(nothing_changed, pattern=f"^{PREFIX}:{MeetingAction.MAP_NONE.value}:"),
            MessageHandler(text, receive_changes),
            MessageHandler(~filters.COMMAND, buttons_please),
        ]
    }
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(begin_record, pattern=f"^{PREFIX}:{MeetingAction.MAP_NOTE.value}:")],
        states=states,
        fallbacks=[*exit_handlers(FLOW), back_to_meeting(FLOW)],
        name=FLOW,
        persistent=True,
        allow_reentry=True,
    )


def register(application: RembugApplication) -> None:
    """The map review's due message, conversation and buttons."""
    application.services.reminders.register(SEND_MAP, send_map_before)
    application.add_handler(conversation())
    for action, callback in (
        (MeetingAction.MAP, open_review),
        (MeetingAction.MAP_HISTORY, show_history),
        (MeetingAction.MAP_VIEW, show_chain),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=f"^{PREFIX}:{action.value}:"))
