"""Composing a broadcast: audience, the message, a preview, then send now, later, or cancel."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiosqlite
from telegram import Update
from telegram.ext import ConversationHandler

from bot.audience import Allowed, Audience, Pick, PickAction, Selection, meeting_people, parse_pick, select, with_people
from bot.audience_views import PickerChoices, meeting_people_label
from bot.context import RembugContext
from bot.fitting import CAPTION_LIMIT, TEXT_LIMIT, split_text, visible_length
from bot.flows import (
    finish_draft,
    read_button,
    read_draft,
    replayed_effect,
    save_answers,
    show_menu,
    start_draft,
)
from bot.outbox import send_payload
from bot.permissions import require
from bot.recipients import people_of
from bot.replies import answer, answer_tap, edit_buttons
from bot.roles import Action, Role
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of, query_of
from conversations.broadcasts import rules, views
from conversations.broadcasts.delivery import START, with_rsvp
from conversations.broadcasts.delivery import send_again as send_again_to_unknown
from conversations.membership.rules import STAKEHOLDER_TYPES
from conversations.survey.rules import accepting
from storage import broadcasts, clusters, forms, meetings, plan_checkins, small_groups, surveys
from storage import reminders as due_messages
from storage.meetings import Meeting

FLOW = "broadcast"


async def _timezone(conn: aiosqlite.Connection, cluster_id: int) -> str:
    cluster = await clusters.load_cluster(conn, cluster_id)
    return cluster.timezone


def _allowed(context: RembugContext) -> Allowed:
    """Facilitators and secretaries reach the whole cluster; a group leader their own small groups."""
    return Allowed(
        whole_cluster=bool(context.standing.roles & {Role.FACILITATOR, Role.SECRETARY}),
        group_ids=frozenset(context.standing.led_group_ids),
    )


async def begin(update: Update, context: RembugContext) -> str | int:
    """Start composing: who receives it."""
    draft = await start_draft(
        update,
        context,
        Action.SEND_BROADCAST,
        FLOW,
        cluster_id=context.standing.cluster_id,
        audience=Audience().to_json(),
    )
    if draft is None:
        return ConversationHandler.END
    await _show_audience(update, context, Audience())
    return "audience"


async def _open_rounds(conn: aiosqlite.Connection, cluster_id: int, now: datetime) -> list[surveys.Round]:
    return [r for r in await surveys.rounds_of(conn, cluster_id) if accepting(r.status, r.closes_at, now)]


async def _show_audience(update: Update, context: RembugContext, chosen: Audience) -> None:
    now = context.clock.now()
    cluster_id = context.standing.current_cluster_id
    allowed = _allowed(context)
    async with context.db.read() as conn:
        groups = await small_groups.list_groups(conn, cluster_id)
        any_meeting = bool(await meetings.list_meetings(conn, cluster_id))
        survey_open = bool(await _open_rounds(conn, cluster_id, now))
        late = bool(await plan_checkins.overdue_check_ins(conn, cluster_id, now))
    choices = PickerChoices(
        whole_cluster=allowed.whole_cluster,
        groups=tuple((g.id, g.name) for g in groups if allowed.may_pick_group(g.id)),
        more=True,
        meetings=any_meeting,
        not_answered=survey_open,
        reports_late=late,
    )
    await answer(update, *views.audience_screen(context.lang, chosen, choices))


async def _meetings_around(context: RembugContext) -> tuple[list[Meeting], list[Meeting]]:
    """Upcoming meetings (soonest first) and those held in the last 30 days (latest first), not cancelled."""
    now = context.clock.now()
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        upcoming = [m for m in await meetings.list_meetings(conn, cluster_id, after=now) if not m.cancelled]
        held = [
            m
            for m in await meetings.list_meetings(conn, cluster_id, after=now - timedelta(days=30), before=now)
            if not m.cancelled
        ]
    return upcoming[:3], held[::-1][:2]


async def _show_meeting_audiences(update: Update, context: RembugContext) -> None:
    upcoming, held = await _meetings_around(context)
    await answer(
        update,
        *views.meeting_audiences(context.lang, [(m.id, m.topic) for m in upcoming], [(m.id, m.topic) for m in held]),
    )


async def _people_of_pick(context: RembugContext, pick: Pick) -> tuple[tuple[int, ...], str] | None:
    """The people a "by meeting", "has not answered" or "report overdue" tap names, and their label;
    None for a meeting of another cluster."""
    cluster_id = context.standing.current_cluster_id
    now = context.clock.now()
    async with context.db.read() as conn:
        if pick.action is PickAction.MEETING_PEOPLE and pick.number is not None and pick.word:
            meeting = await meetings.get_meeting(conn, pick.number)
            if meeting is None or meeting.cluster_id != cluster_id:
                return None
            invitees = await meetings.invitees(conn, meeting.id)
            present = await meetings.present(conn, meeting.id)
            people = meeting_people(pick.word, [(i.user_id, i.rsvp) for i in invitees], present)
            return people, meeting_people_label(context.lang, pick.word, meeting.topic)
        if pick.action is PickAction.NOT_ANSWERED:
            rounds = await _open_rounds(conn, cluster_id, now)
            sent = (
                {r.respondent_id for r in await forms.responses_about(conn, rounds[-1].subject, submitted_only=True)}
                if rounds
                else set()
            )
            everyone = await people_of(conn, cluster_id)
            return tuple(p.user_id for p in everyone if p.user_id not in sent), context.gettext(
                "Has not answered the questionnaire"
            )
        overdue = await plan_checkins.overdue_check_ins(conn, cluster_id, now)
    owners = tuple(dict.fromkeys(activity.owner_id for activity, _period in overdue if activity.owner_id))
    return owners, context.gettext("Progress report overdue")


async def _recipient_count(context: RembugContext, chosen: Audience, *, urgent: bool) -> Selection:
    async with context.db.read() as conn:
        people = await people_of(conn, context.standing.current_cluster_id)
    return select(chosen, people, leave_out=context.user.id, mutes_count=not urgent)


async def choose_audience(update: Update, context: RembugContext) -> str:
    """Toggle part of the audience, open a sub-list, or finish (the decision is ``rules.audience_step``)."""
    query = query_of(update)
    pick = parse_pick(query.data, rules.PREFIX, STAKEHOLDER_TYPES)
    draft = await read_draft(context, FLOW)
    step = rules.audience_step(
        Audience.from_json(draft.get("audience", {})), pick, _allowed(context), context.gettext("Whole cluster")
    )
    chosen = step.chosen
    if step.step is rules.Step.DONE:
        count = len((await _recipient_count(context, chosen, urgent=True)).chosen)
        if not rules.may_go_on(chosen, count):
            await answer_tap(query, views.problem(context.lang, "empty_audience"), show_alert=True)
            return "audience"
        await save_answers(context, FLOW, audience_done=True)
        await answer_tap(query)
        await answer(update, *views.ask_message(context.lang, count))
        return "message"
    if step.step is rules.Step.MEETINGS:
        await answer_tap(query)
        await _show_meeting_audiences(update, context)
        return "audience"
    if step.step is rules.Step.PEOPLE and pick is not None:
        found = await _people_of_pick(context, pick)
        if found is None:
            await explain_stale(update, context)
            return "audience"
        chosen = with_people(chosen, *found)
    if step.step is rules.Step.STALE:
        await explain_stale(update, context)
        return "audience"
    if chosen != Audience.from_json(draft.get("audience", {})):  # a toggle or a list of people
        await save_answers(context, FLOW, audience=chosen.to_json())
    await answer_tap(query)
    if step.step is rules.Step.ROLES:
        await answer(update, *views.roles_and_types(context.lang, chosen))
    else:
        await _show_audience(update, context, chosen)
    return "audience"


def _content_of(update: Update) -> tuple[dict[str, Any] | None, str | None]:
    """The broadcast payload from the sender's message, or the problem with it."""
    message = message_of(update)
    if message.text and visible_length(message.text, html=False) > TEXT_LIMIT:
        # Over Telegram's limit (pasted into a client that lets it through): several messages,
        # split between paragraphs, the formatting kept.
        first, *more = split_text(message.text_html)
        return {"kind": "text", "text": first, "more": more}, None
    if message.text:
        return {"kind": "text", "text": message.text_html}, None
    caption = message.caption_html if message.caption else ""
    if message.caption and visible_length(message.caption, html=False) > CAPTION_LIMIT:
        return None, "caption_too_long"
    if message.photo:
        return {"kind": "photo", "file_id": message.photo[-1].file_id, "text": caption}, None
    if message.document:
        return {"kind": "document", "file_id": message.document.file_id, "text": caption}, None
    if message.voice:
        return {"kind": "voice", "file_id": message.voice.file_id, "text": caption}, None
    return None, "unsupported"


async def receive_message(update: Update, context: RembugContext) -> str:
    """The message to broadcast: store it, show it back as recipients will see it, then the choices."""
    content, problem = _content_of(update)
    if problem:
        await message_of(update).reply_text(views.problem(context.lang, problem))
        return "message"
    draft = await save_answers(context, FLOW, content=content, urgent=False, rsvp=None)
    await _show_preview(update, context, draft)
    return "review"


async def _show_preview(update: Update, context: RembugContext, draft: dict) -> None:
    """The message as recipients will see it (with its RSVP buttons, if any), then the review."""
    async with context.db.read() as conn:
        meeting = await meetings.get_meeting(conn, draft["rsvp"]) if draft.get("rsvp") else None
    await send_payload(
        context.bot,
        chat_of(update).id,
        with_rsvp(draft["content"], meeting.id if meeting else None, context.lang),
    )
    await _show_review(update, context, draft)


async def choose_button(update: Update, context: RembugContext) -> str:
    """➕ An RSVP button of an upcoming meeting under the message (for its invitees), or none."""
    query = query_of(update)
    tap = rules.parse_button(query.data)
    upcoming, _held = await _meetings_around(context)
    if not isinstance(tap, rules.RsvpButtonTap) or (tap.meeting_id and tap.meeting_id not in {m.id for m in upcoming}):
        await explain_stale(update, context)
        return "review"
    if tap.meeting_id is None:
        await answer_tap(query)
        await answer(update, *views.rsvp_choice(context.lang, [(m.id, m.topic) for m in upcoming]))
        return "review"
    draft = await save_answers(context, FLOW, rsvp=tap.meeting_id or None)
    await answer_tap(query)
    await _show_preview(update, context, draft)
    return "review"


async def _show_review(update: Update, context: RembugContext, draft: dict, *, edit: bool = False) -> None:
    audience = Audience.from_json(draft["audience"])
    chosen = (await _recipient_count(context, audience, urgent=draft.get("urgent", False))).chosen
    muted_any = (await _recipient_count(context, audience, urgent=False)).muted
    upcoming, _held = await _meetings_around(context)
    button_topic = next((m.topic for m in upcoming if m.id == draft.get("rsvp")), None)
    text, keyboard = views.review(
        context.lang,
        len(chosen),
        len(muted_any),
        draft.get("urgent", False),
        audience.label or "-",
        parts=1 + len(draft["content"].get("more", [])),
        can_add_button=bool(upcoming),
        button_topic=button_topic,
    )
    if edit:
        await answer(update, text, keyboard)
    else:
        await chat_of(update).send_message(text, reply_markup=keyboard)


async def toggle_urgent(update: Update, context: RembugContext) -> str:
    """Urgent reaches members who muted broadcasts too."""
    draft = await read_draft(context, FLOW)
    draft = await save_answers(context, FLOW, urgent=not draft.get("urgent", False))
    await answer_tap(update.callback_query)
    await _show_review(update, context, draft, edit=True)
    return "review"


async def _confirm(update: Update, context: RembugContext, send_at: datetime) -> int:
    if not await require(update, context, Action.SEND_BROADCAST):
        return ConversationHandler.END
    done = await replayed_effect(context, update, FLOW)
    if done is not None:  # confirmed before a crash: say the same again (its delivery is booked)
        await answer_tap(update.callback_query)
        await _say_confirmed(
            update, context, done["broadcast"], datetime.fromisoformat(done["send_at"]), done["timezone"], done["later"]
        )
        return ConversationHandler.END
    draft = await read_draft(context, FLOW)
    if not rules.ready_to_send(draft, context.standing.cluster_id):
        await explain_stale(update, context)
        return ConversationHandler.END
    now = context.clock.now()
    async with context.db.transaction() as tx:
        content = {**draft["content"], "rsvp": draft.get("rsvp")} if draft.get("rsvp") else draft["content"]
        broadcast, _new = await broadcasts.create_broadcast(
            tx,
            cluster_id=draft["cluster_id"],
            sender_id=context.user.id,
            content=content,
            audience=draft["audience"],
            urgent=draft.get("urgent", False),
            send_at=send_at,
            now=now,
            source_update_id=update.update_id,
        )
        # Sent now or later, its start is a due message: a crash before delivery began loses nothing.
        await due_messages.schedule(
            tx, f"broadcast:{broadcast.id}:start", START, send_at, {"broadcast": broadcast.id}, now
        )
        timezone = await _timezone(tx, draft["cluster_id"])
        await finish_draft(
            tx,
            update,
            context.user.id,
            FLOW,
            broadcast=broadcast.id,
            send_at=send_at.isoformat(),
            timezone=timezone,
            later=send_at > now,
        )
    context.services.reminders.wake()
    await answer_tap(update.callback_query)
    await _say_confirmed(update, context, broadcast.id, send_at, timezone, send_at > now)
    return ConversationHandler.END


async def _say_confirmed(
    update: Update, context: RembugContext, broadcast_id: int, send_at: datetime, timezone: str, later: bool
) -> None:
    if later:
        await answer(update, *views.scheduled(context.lang, send_at, timezone, broadcast_id))
    else:
        await answer(update, context.gettext("Noted."))


async def send_now(update: Update, context: RembugContext) -> int:
    """✅ Send now."""
    return await _confirm(update, context, context.clock.now())


async def send_later(update: Update, context: RembugContext) -> int | str:
    """In an hour, or tomorrow at 08.00 in the cluster's zone."""
    tap = await read_button(update, context, rules.parse_button, rules.LaterTap)
    if tap is None:
        return "review"
    now = context.clock.now()
    if tap.when is rules.Later.HOUR:
        return await _confirm(update, context, now + timedelta(hours=1))
    async with context.db.read() as conn:
        zone = ZoneInfo(await _timezone(conn, context.standing.current_cluster_id))
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return await _confirm(update, context, datetime.combine(tomorrow, time(8, 0), tzinfo=zone))


async def cancel_scheduled(update: Update, context: RembugContext) -> None:
    """✖️ Cancel a scheduled broadcast (only before it starts)."""
    query = query_of(update)
    tap = rules.parse_button(query.data)
    async with context.db.transaction() as tx:
        broadcast = await broadcasts.get_broadcast(tx, tap.broadcast_id) if isinstance(tap, rules.StopTap) else None
        if broadcast is None or broadcast.sender_id != context.user.id:
            outcome = "stale"
        elif broadcast.status != "scheduled":
            outcome = "already_started"
        else:
            await broadcasts.set_status(tx, broadcast.id, "cancelled")
            await due_messages.cancel(tx, f"broadcast:{broadcast.id}:start", context.clock.now())
            outcome = "cancelled"
    if outcome == "stale":
        await explain_stale(update, context)
        return
    await answer_tap(query, views.problem(context.lang, outcome), show_alert=outcome == "already_started")
    if outcome == "cancelled":
        await answer(update, views.problem(context.lang, "cancelled"))


async def send_again(update: Update, context: RembugContext) -> None:
    """🔁 Under a finished report: send again to those Telegram did not confirm (``bc1:again:<broadcast>``)."""
    query = query_of(update)
    tap = rules.parse_button(query.data)
    count = (
        await send_again_to_unknown(context.services, tap.broadcast_id, context.user.id)
        if isinstance(tap, rules.AgainTap)
        else None
    )
    if not count:
        await explain_stale(update, context)
        return
    await answer_tap(query, views.sending_again(context.lang, count))
    await edit_buttons(query, None)


async def toggle_mute(update: Update, context: RembugContext) -> None:
    """A member mutes or unmutes non-urgent broadcasts of the current cluster."""
    if not await require(update, context, Action.MUTE_BROADCASTS):
        return
    cluster_id = context.standing.current_cluster_id
    async with context.db.transaction() as tx:
        muted = context.user.id in await broadcasts.muted_ids(tx, cluster_id)
        await broadcasts.set_muted(tx, cluster_id, context.user.id, not muted, context.clock.now())
    await answer_tap(query_of(update))
    await show_menu(update, context, views.mute_state(context.lang, not muted))


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Something other than what this step asks for."""
    await message_of(update).reply_text(context.gettext("Please choose with the buttons below."))
