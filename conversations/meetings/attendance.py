"""At and after the meeting: check-in by link or QR, ticking names, guests, notes, summary, downloads."""

from __future__ import annotations

import asyncio
import io

from telegram import Document, InputFile, PhotoSize, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot import exports, media_zip
from bot.context import RembugContext
from bot.flows import exit_handlers, read_button, read_draft, read_tap, save_answers, show_menu
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of, query_of
from conversations.access_log.recording import note_download
from conversations.access_log.rules import Access
from conversations.meetings import attendance_views as views
from conversations.meetings import meeting_views, rules
from conversations.meetings.attendance_sheet import build_attendance_pdf
from conversations.meetings.invitations import (
    back_to_meeting,
    figures_of,
    managed_meeting,
    meeting_id_of,
    meeting_tap,
    show_meeting,
)
from conversations.meetings.labels import rsvp_label
from conversations.membership.invites import qr_png
from conversations.membership.rules import STAKEHOLDER_TYPES
from conversations.membership.views import stakeholder_label, use_the_buttons
from storage import clusters, drafts, meetings, memberships, sheet_photos
from storage.meetings import Meeting

FLOW = "meeting_record"


def checkin_link(bot_username: str, code: str) -> str:
    """The deep link a member opens (or scans) to check in."""
    return f"https://t.me/{bot_username}?start={rules.checkin_payload(code)}"


async def checkin_by_link(update: Update, context: RembugContext) -> None:
    """/start hadir-CODE: check the member in (twice counts once)."""
    code = context.args[0][len(rules.CHECKIN_PAYLOAD_PREFIX) :] if context.args else ""
    now = context.clock.now()
    async with context.db.transaction() as tx:
        meeting = await meetings.find_by_checkin_code(tx, code)
        problem: rules.CheckinProblem | None = None
        first, timezone = False, ""
        if meeting is not None:
            membership = await memberships.get_membership(tx, meeting.cluster_id, context.user.id)
            timezone = (await clusters.load_cluster(tx, meeting.cluster_id)).timezone
            invited = (
                await meetings.get_invitee(tx, meeting.id, context.user.id) is not None
            )  # e.g. a committee's member
            problem = rules.check_checkin(
                meeting.starts_at, now, meeting.cancelled, bool(membership and membership.active) or invited
            )
            first = await meetings.check_in(tx, meeting.id, context.user.id, "link", now) if problem is None else False
    if meeting is None:
        await message_of(update).reply_text(views.unknown_checkin(context.lang))
    elif problem:
        await message_of(update).reply_text(views.checkin_refused(context.lang, problem, meeting, timezone))
    else:
        await message_of(update).reply_text(views.checked_in(context.lang, meeting, first))


async def send_checkin_qr(update: Update, context: RembugContext) -> None:
    """The check-in link as a QR image to print or show on a screen."""
    meeting = await managed_meeting(update, context, meeting_id_of(update) or 0)
    if meeting is None:
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        timezone = (await clusters.load_cluster(conn, meeting.cluster_id)).timezone
    link = checkin_link(context.bot.username, meeting.checkin_code)
    await chat_of(update).send_photo(
        InputFile(io.BytesIO(qr_png(link)), filename=f"checkin-{meeting.id}.png"),
        caption=views.checkin_qr_caption(context.lang, meeting, timezone, link),
    )


async def show_ticks(update: Update, context: RembugContext) -> None:
    """The invitee list to tick (``mt1:tick:<id>:<page>``)."""
    meeting = await managed_meeting(update, context, meeting_id_of(update) or 0)
    if meeting is None:
        return
    tap = meeting_tap(update)
    page = tap.page if tap else 0
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        invitees = await meetings.invitees(conn, meeting.id)
    await answer(update, *views.tick_list(context.lang, meeting, invitees, page))


async def show_invitees(update: Update, context: RembugContext) -> None:
    """A page of the invitee list, filtered by answer, presence or delivery (``mt1:inv:<id>:<filter>:<page>``)."""
    tap = await read_tap(update, context, rules.PREFIX, rules.parse_invitee_list)
    meeting = await managed_meeting(update, context, tap.meeting_id) if tap else None
    if meeting is None or tap is None:
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        invitees = await meetings.invitees(conn, meeting.id)
    await answer(update, *views.invitee_list(context.lang, meeting, invitees, tap.chosen, tap.page))


async def toggle_tick(update: Update, context: RembugContext) -> None:
    """Mark an invitee present, or not (``mt1:tk:<id>:<user>:<page>``)."""
    tap = rules.parse_tick(query_of(update).data)
    meeting = await managed_meeting(update, context, tap.meeting_id if tap else 0)
    if meeting is None or tap is None:
        return
    if meeting.cancelled:
        await answer_tap(update.callback_query, meeting_views.already_cancelled(context.lang))
        return
    user_id, page = tap.user_id, tap.page
    async with context.db.transaction() as tx:
        invitee = await meetings.get_invitee(tx, meeting.id, user_id)
        if invitee is not None:
            if invitee.checked_in:
                await meetings.undo_check_in(tx, meeting.id, user_id)
            else:
                await meetings.check_in(tx, meeting.id, user_id, "ticked", context.clock.now())
        invitees = await meetings.invitees(tx, meeting.id)
    if invitee is None:
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query)
    await answer(update, *views.tick_list(context.lang, meeting, invitees, page))


async def send_attendance_sheet(update: Update, context: RembugContext) -> None:
    """🖨 The attendance sheet to print (``mt1:sheet:<id>``): an A4 PDF with every invitee in the tick
    list's order, empty rows for guests, the check-in QR code and the facilitator's signature block."""
    meeting = await managed_meeting(update, context, meeting_id_of(update) or 0)
    if meeting is None:
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, meeting.cluster_id)
        invitees = await meetings.invitees(conn, meeting.id)
        signer = await memberships.get_membership(conn, meeting.cluster_id, context.user.id)
    sheet = views.attendance_sheet(
        context.lang,
        meeting,
        cluster.timezone,
        cluster.name,
        invitees,
        checkin_link(context.bot.username, meeting.checkin_code),
        signer.full_name if signer and signer.full_name else context.user.first_name,
    )
    pdf = await asyncio.to_thread(build_attendance_pdf, sheet)  # a list of hundreds takes a moment
    name = f"{exports.slug(meeting.topic, 'meeting')}-{meeting.starts_at.date().isoformat()}"
    await chat_of(update).send_document(
        InputFile(io.BytesIO(pdf), filename=f"{views.sheet_file_prefix(context.lang)}-{name}.pdf"),
        caption=views.sheet_caption(context.lang, meeting, len(invitees)),
    )
    await note_download(context, meeting.cluster_id, Access.ATTENDANCE, meeting.topic)


async def begin_sheet_photos(update: Update, context: RembugContext) -> str | int:
    """📷 Attach photos of the signed sheet (``mt1:photos:<id>``): ask for them; each one sent is kept."""
    meeting = await _start_record(update, context)
    if meeting is None:
        return ConversationHandler.END
    async with context.db.read() as conn:
        count = await sheet_photos.count_photos(conn, meeting.id)
    await answer(update, *views.ask_sheet_photos(context.lang, meeting, count))
    return "sheet_photos"


async def receive_sheet_photo(update: Update, context: RembugContext) -> str | int:
    """A photo of the signed sheet (or an image sent as a file): kept with the meeting, after the others."""
    message = message_of(update)
    media: PhotoSize | Document
    if message.photo:
        kind, media = "photo", message.photo[-1]
    elif message.document:
        kind, media = "document", message.document
    else:  # the filters let only these in
        return "sheet_photos"
    async with context.db.transaction() as tx:
        draft = await drafts.get_draft(tx, context.user.id, FLOW)
        photos = (
            await sheet_photos.add_photo(
                tx, draft["meeting"], kind, media.file_id, media.file_unique_id, context.user.id, context.clock.now()
            )
            if "meeting" in draft
            else None
        )
    if photos is None:
        await show_menu(update, context)
        return ConversationHandler.END
    text, keyboard = views.sheet_photo_saved(context.lang, draft["meeting"], len(photos))
    await message.reply_text(text, reply_markup=keyboard)
    return "sheet_photos"


async def sheet_photo_please(update: Update, context: RembugContext) -> str:
    """Text or anything else while the photos are awaited: say so, with the way back."""
    draft = await read_draft(context, FLOW)
    text, keyboard = views.sheet_photo_please(context.lang, draft.get("meeting", 0))
    await message_of(update).reply_text(text, reply_markup=keyboard)
    return "sheet_photos"


async def _start_record(update: Update, context: RembugContext) -> Meeting | None:
    """Start recording something for the meeting on the button (a guest, notes, sheet photos): a fresh
    draft that names the meeting, the tap answered; None (refused or stale, already said) otherwise."""
    meeting = await managed_meeting(update, context, meeting_id_of(update) or 0)
    if meeting is None:
        return None
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
        await drafts.save_draft_answer(tx, context.user.id, FLOW, "meeting", meeting.id, context.clock.now())
    await answer_tap(update.callback_query)
    return meeting


async def _begin_record(update: Update, context: RembugContext, state: str, ask) -> str | int:
    """Start recording a guest or notes for the meeting on the button: ask the first question."""
    meeting = await _start_record(update, context)
    if meeting is None:
        return ConversationHandler.END
    await answer(update, *ask(context.lang, meeting.id))
    return state


async def begin_guest(update: Update, context: RembugContext) -> str | int:
    """Add a walk-in guest: ask the name."""
    return await _begin_record(update, context, "guest_name", views.ask_guest_name)


async def receive_guest_name(update: Update, context: RembugContext) -> str:
    """The guest's name; then their type."""
    name = " ".join((message_of(update).text or "").split())
    if not name or len(name) > 80:
        await message_of(update).reply_text(
            context.gettext("That is too long: at most {limit} characters. Please type a shorter answer.").format(
                limit=80
            )
            if name
            else context.gettext("The answer is empty. Please type it.")
        )
        return "guest_name"
    draft = await save_answers(context, FLOW, name=name)
    await answer(update, *views.ask_guest_type(context.lang, name, draft["meeting"]))
    return "guest_type"


async def choose_guest_type(update: Update, context: RembugContext) -> int | str:
    """Store the guest (once per update) and go back to the meeting."""
    query = query_of(update)
    tap = await read_button(
        update, context, lambda data: rules.parse_button(data, STAKEHOLDER_TYPES), rules.GuestTypeTap
    )
    if tap is None:
        return "guest_type"
    kind = tap.stakeholder_type
    async with context.db.transaction() as tx:
        draft = await drafts.get_draft(tx, context.user.id, FLOW)
        if "name" in draft:
            await meetings.add_guest(
                tx, draft["meeting"], draft["name"], kind, context.user.id, context.clock.now(), update.update_id
            )
        await drafts.clear_draft(tx, context.user.id, FLOW)
    await answer_tap(query)
    if "name" not in draft:
        await show_menu(update, context)
        return ConversationHandler.END
    await show_meeting(
        update,
        context,
        draft["meeting"],
        intro=views.guest_added(context.lang, draft["name"]) + f" · {stakeholder_label(context.lang, kind)}",
    )
    return ConversationHandler.END


async def begin_notes(update: Update, context: RembugContext) -> str | int:
    """Record notes and decisions: ask the notes."""
    return await _begin_record(update, context, "notes", views.ask_notes)


async def receive_notes(update: Update, context: RembugContext) -> str:
    """The notes; then the decisions."""
    text = (message_of(update).text or "").strip()
    if not text or len(text) > rules.NOTES_LIMIT:
        await message_of(update).reply_text(
            context.gettext("That is too long: at most {limit} characters. Please type a shorter answer.").format(
                limit=rules.NOTES_LIMIT
            )
            if text
            else context.gettext("The answer is empty. Please type it.")
        )
        return "notes"
    await save_answers(context, FLOW, notes=text)
    text, keyboard = views.ask_decisions(context.lang)
    await message_of(update).reply_text(text, reply_markup=keyboard)
    return "decisions"


async def _store_notes(update: Update, context: RembugContext, decisions: str | None) -> int:
    async with context.db.transaction() as tx:
        draft = await drafts.get_draft(tx, context.user.id, FLOW)
        if "notes" in draft:
            await meetings.update_meeting(tx, draft["meeting"], notes=draft["notes"], decisions=decisions)
        await drafts.clear_draft(tx, context.user.id, FLOW)
    if "notes" not in draft:
        await show_menu(update, context)
        return ConversationHandler.END
    await show_summary_of(update, context, draft["meeting"])
    return ConversationHandler.END


async def receive_decisions(update: Update, context: RembugContext) -> int | str:
    """The decisions; then the summary."""
    text = (message_of(update).text or "").strip()
    if len(text) > rules.NOTES_LIMIT:
        await message_of(update).reply_text(
            context.gettext("That is too long: at most {limit} characters. Please type a shorter answer.").format(
                limit=rules.NOTES_LIMIT
            )
        )
        return "decisions"
    return await _store_notes(update, context, text or None)


async def no_decisions(update: Update, context: RembugContext) -> int:
    """No decisions to record."""
    await answer_tap(update.callback_query)
    return await _store_notes(update, context, None)


async def show_summary_of(update: Update, context: RembugContext, meeting_id: int) -> None:
    """The attendance summary of one meeting."""
    async with context.db.read() as conn:
        meeting = await meetings.get_meeting(conn, meeting_id)
        if meeting is None:  # the caller has just read it
            return
        timezone = (await clusters.load_cluster(conn, meeting.cluster_id)).timezone
        invitees = await meetings.invitees(conn, meeting_id)
        figures = await figures_of(conn, meeting_id, invitees)
    await answer(update, *views.summary(context.lang, meeting, timezone, figures))


async def show_summary(update: Update, context: RembugContext) -> None:
    """The summary button (``mt1:sum:<id>``)."""
    meeting = await managed_meeting(update, context, meeting_id_of(update) or 0)
    if meeting is None:
        return
    await answer_tap(update.callback_query)
    await show_summary_of(update, context, meeting.id)


async def send_exports(update: Update, context: RembugContext) -> None:
    """Attendance as CSV and Excel files, with headers in the person's language."""
    meeting = await managed_meeting(update, context, meeting_id_of(update) or 0)
    if meeting is None:
        return
    await answer_tap(update.callback_query)
    lang = context.lang
    async with context.db.read() as conn:
        invitees = await meetings.invitees(conn, meeting.id)
        figures = await figures_of(conn, meeting.id, invitees)
        guests = await meetings.guests(conn, meeting.id)
        members, _total = await memberships.directory(conn, meeting.cluster_id)
        photos = await sheet_photos.photos_of(conn, meeting.id)
    present = {i.user_id for i in invitees if i.checked_in}
    rows = [
        [
            i.full_name,
            i.small_group,
            views.yes_no(lang, True),
            rsvp_label(lang, i.rsvp),
            views.yes_no(lang, i.user_id in present),
            None,
        ]
        for i in invitees
    ]
    rows += [  # members who checked in by the link without an invitation
        [
            m.full_name,
            m.small_group_name,
            views.yes_no(lang, False),
            "-",
            views.yes_no(lang, True),
            views.walk_in_label(lang),
        ]
        for m in members
        if m.user_id in figures.walk_in_members
    ]
    rows += [
        [
            g.name,
            None,
            views.yes_no(lang, False),
            "-",
            views.yes_no(lang, True),
            f"{views.guest_label(lang)}: {stakeholder_label(lang, g.stakeholder_type)}",
        ]
        for g in guests
    ]
    headers = views.export_headers(lang)
    name = f"{exports.slug(meeting.topic, 'meeting')}-{meeting.starts_at.date().isoformat()}"
    caption = views.export_caption(lang, meeting)
    table = exports.build_csv(headers, rows)
    if photos:  # the photos of the signed sheet go with the list, in one ZIP (as evidence does in plans)
        fetched = await media_zip.fetch_media(
            context.bot,
            [media_zip.Medium(views.sheet_photo_stem(lang, p.position), p.kind, p.file_id) for p in photos],
        )
        counts = media_zip.counted(fetched)
        packed = media_zip.build_zip([(f"{name}.csv", table)], fetched)
        await chat_of(update).send_document(
            InputFile(io.BytesIO(packed), filename=f"{name}.zip"),
            caption=views.export_zip_caption(
                lang, meeting, counts[media_zip.Outcome.PACKED], len(fetched) - counts[media_zip.Outcome.PACKED]
            ),
        )
    else:
        await chat_of(update).send_document(InputFile(io.BytesIO(table), filename=f"{name}.csv"), caption=caption)
    await chat_of(update).send_document(
        InputFile(io.BytesIO(exports.build_xlsx(headers, rows, meeting.topic)), filename=f"{name}.xlsx"),
        caption=caption,
    )
    await note_download(context, meeting.cluster_id, Access.ATTENDANCE, meeting.topic)


async def my_attendance(update: Update, context: RembugContext) -> None:
    """A member's own attendance history in the current cluster."""
    if not await require(update, context, Action.VIEW_MEETINGS):
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        rows = await meetings.attendance_history(conn, context.standing.current_cluster_id, context.user.id)
        timezone = (await clusters.load_cluster(conn, context.standing.current_cluster_id)).timezone
    await answer(update, *views.history(context.lang, rows, timezone))


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Something other than what is asked."""
    await message_of(update).reply_text(use_the_buttons(context.lang))


def conversation() -> ConversationHandler:
    """Guests, notes and photos of the signed sheet: short persistent conversations started from the
    organiser's view."""
    p = rules.PREFIX
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.COMMAND
    states: dict[object, list[BaseHandler]] = {
        "guest_name": [MessageHandler(text, receive_guest_name), MessageHandler(other, buttons_please)],
        "guest_type": [
            CallbackQueryHandler(choose_guest_type, pattern=f"^{p}:gt:"),
            MessageHandler(other, buttons_please),
        ],
        "notes": [MessageHandler(text, receive_notes), MessageHandler(other, buttons_please)],
        "sheet_photos": [
            MessageHandler(filters.PHOTO | filters.Document.IMAGE, receive_sheet_photo),
            MessageHandler(other, sheet_photo_please),
        ],
        "decisions": [
            CallbackQueryHandler(no_decisions, pattern=f"^{p}:nodec$"),
            MessageHandler(text, receive_decisions),
            MessageHandler(other, buttons_please),
        ],
    }
    entry: list[BaseHandler] = [
        CallbackQueryHandler(begin_guest, pattern=f"^{p}:guest:"),
        CallbackQueryHandler(begin_notes, pattern=f"^{p}:notes:"),
        CallbackQueryHandler(begin_sheet_photos, pattern=f"^{p}:photos:"),
    ]
    fallbacks = [*exit_handlers(FLOW), back_to_meeting(FLOW)]
    return ConversationHandler(
        entry_points=entry, states=states, fallbacks=fallbacks, name=FLOW, persistent=True, allow_reentry=True
    )
