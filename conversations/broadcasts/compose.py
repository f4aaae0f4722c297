"""Composing a broadcast: audience, the message, a preview, then send now, later, or cancel."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import ConversationHandler

from bot.buttons import parse_callback
from bot.context import RembugContext
from bot.fitting import CAPTION_LIMIT, TEXT_LIMIT, split_text, visible_length
from bot.flows import finish_draft, read_draft, replayed_effect, save_answers, show_menu, stale_button, start_draft
from bot.outbox import send_payload
from bot.permissions import require
from bot.replies import answer, answer_tap, edit_buttons
from bot.roles import Action, Role
from bot.update_parts import chat_of, message_of, query_of
from conversations.broadcasts import rules, views
from conversations.broadcasts.delivery import START, members_of, with_rsvp
from conversations.broadcasts.delivery import send_again as send_again_to_unknown
from conversations.survey.rules import accepting
from storage import broadcasts, clusters, forms, meetings, plan_checkins, small_groups, surveys
from storage import reminders as due_messages

FLOW = "broadcast"


def _may_reach_everyone(context: RembugContext) -> bool:
    return bool(context.standing.roles & {Role.FACILITATOR, Role.SECRETARY})


async def begin(update: Update, context: RembugContext) -> str | int:
    """Start composing: who receives it."""
    draft = await start_draft(
        update,
        context,
        Action.SEND_BROADCAST,
        FLOW,
        cluster_id=context.standing.cluster_id,
        audience=rules.Audience().to_json(),
    )
    if draft is None:
        return ConversationHandler.END
    await _show_audience(update, context, rules.Audience())
    return "audience"


async def _show_audience(update: Update, context: RembugContext, chosen: rules.Audience) -> None:
    now = context.clock.now()
    async with context.db.read() as conn:
        groups = await small_groups.list_groups(conn, context.standing.cluster_id)
        any_meeting = bool(await meetings.list_meetings(conn, context.standing.cluster_id))
        rounds = [
            r
            for r in await surveys.rounds_of(conn, context.standing.cluster_id)
            if accepting(r.status, r.closes_at, now)
        ]
        late = bool(await plan_checkins.overdue_check_ins(conn, context.standing.cluster_id, now))
    if not _may_reach_everyone(context):
        groups = [g for g in groups if g.id in context.standing.led_group_ids]
    text, keyboard = views.audience_screen(
        context.lang,
        chosen,
        [(g.id, g.name) for g in groups],
        _may_reach_everyone(context),
        any_meeting,
        bool(rounds),
        late,
    )
    await answer(update, text, keyboard)


async def _meetings_around(context: RembugContext) -> tuple[list, list]:
    """Upcoming meetings (soonest first) and those held in the last 30 days (latest first), not cancelled."""
    now = context.clock.now()
    async with context.db.read() as conn:
        upcoming = [
            m for m in await meetings.list_meetings(conn, context.standing.cluster_id, after=now) if not m.cancelled
        ]
        held = [
            m
            for m in await meetings.list_meetings(
                conn, context.standing.cluster_id, after=now - timedelta(days=30), before=now
            )
            if not m.cancelled
        ]
    return upcoming[:3], held[::-1][:2]


async def _show_meeting_audiences(update: Update, context: RembugContext) -> None:
    upcoming, held = await _meetings_around(context)
    await answer(
        update,
        *views.meeting_audiences(context.lang, [(m.id, m.topic) for m in upcoming], [(m.id, m.topic) for m in held]),
    )


async def choose_audience(update: Update, context: RembugContext) -> str:
    """Toggle part of the audience, open a sub-list, or finish."""
    query = query_of(update)
    parts = (parse_callback(query.data, rules.PREFIX) or [])[1:]
    draft = await read_draft(context, FLOW)
    chosen = rules.Audience.from_json(draft.get("audience", {}))
    everyone_allowed = _may_reach_everyone(context)
    stale = stale_button(context.lang)
    if parts == ["done"]:
        async with context.db.read() as conn:
            count = len(
                rules.recipients(
                    chosen, await members_of(conn, context.standing.cluster_id), context.user.id, urgent=True
                )[0]
            )
        if chosen.empty or count == 0:
            await answer_tap(query, views.problem(context.lang, "empty_audience"), show_alert=True)
            return "audience"
        await save_answers(context, FLOW, audience_done=True)
        await answer_tap(query)
        await answer(update, *views.ask_message(context.lang, count))
        return "message"
    if parts == ["more"] and everyone_allowed:
        await answer_tap(query)
        await answer(update, *views.roles_and_types(context.lang, chosen))
        return "audience"
    if parts == ["back"]:
        await answer_tap(query)
        await _show_audience(update, context, chosen)
        return "audience"
    label = chosen.label
    if parts == ["all"] and everyone_allowed:
        chosen = rules.Audience(
            not chosen.everyone, chosen.group_ids, chosen.roles, chosen.stakeholder_types, chosen.people
        )
        label = context.gettext("Whole cluster")
    elif (
        len(parts) == 2
        and parts[0] == "g"
        and parts[1].isdigit()
        and (everyone_allowed or int(parts[1]) in context.standing.led_group_ids)
    ):
        ids = (
            tuple(g for g in chosen.group_ids if g != int(parts[1]))
            if int(parts[1]) in chosen.group_ids
            else (*chosen.group_ids, int(parts[1]))
        )
        chosen = rules.Audience(chosen.everyone, ids, chosen.roles, chosen.stakeholder_types, chosen.people)
    elif len(parts) == 2 and parts[0] == "r" and parts[1] in rules.ROLES and everyone_allowed:
        roles = (
            tuple(r for r in chosen.roles if r != parts[1]) if parts[1] in chosen.roles else (*chosen.roles, parts[1])
        )
        chosen = rules.Audience(chosen.everyone, chosen.group_ids, roles, chosen.stakeholder_types, chosen.people)
    elif len(parts) == 2 and parts[0] == "t" and everyone_allowed:
        kinds = (
            tuple(t for t in chosen.stakeholder_types if t != parts[1])
            if parts[1] in chosen.stakeholder_types
            else (*chosen.stakeholder_types, parts[1])
        )
        chosen = rules.Audience(chosen.everyone, chosen.group_ids, chosen.roles, kinds, chosen.people)
    elif parts == ["mtg"] and everyone_allowed:
        await answer_tap(query)
        await _show_meeting_audiences(update, context)
        return "audience"
    elif len(parts) == 2 and parts[0] in ("inv", "rsvp", "absent") and parts[1].isdigit() and everyone_allowed:
        async with context.db.read() as conn:
            meeting = await meetings.get_meeting(conn, int(parts[1]))
            ours = meeting is not None and meeting.cluster_id == context.standing.cluster_id
            invitees = await meetings.invitees(conn, meeting.id) if ours else []
            present = await meetings.present(conn, meeting.id) if ours else set()
        if not ours:
            await answer_tap(query, stale)
            return "audience"
        people = rules.meeting_people(parts[0], [(i.user_id, i.rsvp) for i in invitees], present)
        chosen = rules.Audience(chosen.everyone, chosen.group_ids, chosen.roles, chosen.stakeholder_types, people)
        label = views.meeting_audience_label(context.lang, parts[0], meeting.topic)
    elif parts == ["survey"] and everyone_allowed:
        async with context.db.read() as conn:
            rounds = [
                r
                for r in await surveys.rounds_of(conn, context.standing.cluster_id)
                if accepting(r.status, r.closes_at, context.clock.now())
            ]
            sent = (
                {r.respondent_id for r in await forms.responses_about(conn, rounds[-1].subject, submitted_only=True)}
                if rounds
                else set()
            )
            everyone = await members_of(conn, context.standing.cluster_id)
        people = tuple(m.user_id for m in everyone if m.user_id not in sent)
        chosen = rules.Audience(chosen.everyone, chosen.group_ids, chosen.roles, chosen.stakeholder_types, people)
        label = context.gettext("Has not answered the questionnaire")
    elif parts == ["late"] and everyone_allowed:
        async with context.db.read() as conn:
            overdue = await plan_checkins.overdue_check_ins(conn, context.standing.cluster_id, context.clock.now())
        people = tuple(dict.fromkeys(activity.owner_id for activity, _period in overdue if activity.owner_id))
        chosen = rules.Audience(chosen.everyone, chosen.group_ids, chosen.roles, chosen.stakeholder_types, people)
        label = context.gettext("Progress report overdue")
    else:
        await answer_tap(query, stale)
        return "audience"
    chosen = rules.Audience(
        chosen.everyone, chosen.group_ids, chosen.roles, chosen.stakeholder_types, chosen.people, label
    )
    await save_answers(context, FLOW, audience=chosen.to_json())
    await answer_tap(query)
    if parts and parts[0] in ("r", "t"):
        await answer(update, *views.roles_and_types(context.lang, chosen))
    else:
        await _show_audience(update, context, chosen)
    return "audience"


def _content_of(update: Update) -> tuple[dict | None, str | None]:
    """The broadcast payload from the sender's message, or the problem with it."""
    message = update.effective_message
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
    parts = (parse_callback(query.data, rules.PREFIX) or [])[1:]
    upcoming, _held = await _meetings_around(context)
    if parts and (not parts[0].isdigit() or (int(parts[0]) and int(parts[0]) not in {m.id for m in upcoming})):
        await answer_tap(query, stale_button(context.lang))
        return "review"
    if not parts:
        await answer_tap(query)
        await answer(update, *views.rsvp_choice(context.lang, [(m.id, m.topic) for m in upcoming]))
        return "review"
    draft = await save_answers(context, FLOW, rsvp=int(parts[0]) or None)
    await answer_tap(query)
    await _show_preview(update, context, draft)
    return "review"


async def _show_review(update: Update, context: RembugContext, draft: dict, *, edit: bool = False) -> None:
    async with context.db.read() as conn:
        members = await members_of(conn, context.standing.cluster_id)
    audience = rules.Audience.from_json(draft["audience"])
    chosen, _muted = rules.recipients(audience, members, context.user.id, draft.get("urgent", False))
    _all, muted_any = rules.recipients(audience, members, context.user.id, False)
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
        await answer_tap(update.callback_query, stale_button(context.lang))
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
        timezone = (await clusters.get_cluster(tx, draft["cluster_id"])).timezone
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
    parts = (parse_callback(query_of(update).data, rules.PREFIX) or [])[1:]
    now = context.clock.now()
    if parts == ["1h"]:
        when = now + timedelta(hours=1)
    elif parts == ["8am"]:
        async with context.db.read() as conn:
            zone = ZoneInfo((await clusters.get_cluster(conn, context.standing.cluster_id)).timezone)
        tomorrow = now.astimezone(zone).date() + timedelta(days=1)
        when = datetime.combine(tomorrow, time(8, 0), tzinfo=zone)
    else:
        await answer_tap(update.callback_query, stale_button(context.lang))
        return "review"
    return await _confirm(update, context, when)


async def cancel_scheduled(update: Update, context: RembugContext) -> None:
    """✖️ Cancel a scheduled broadcast (only before it starts)."""
    query = query_of(update)
    parts = (parse_callback(query.data, rules.PREFIX) or [])[1:]
    async with context.db.transaction() as tx:
        broadcast = await broadcasts.get_broadcast(tx, int(parts[0])) if parts and parts[0].isdigit() else None
        if broadcast is None or broadcast.sender_id != context.user.id:
            outcome = "stale"
        elif broadcast.status != "scheduled":
            outcome = "already_started"
        else:
            await broadcasts.set_status(tx, broadcast.id, "cancelled")
            await due_messages.cancel(tx, f"broadcast:{broadcast.id}:start", context.clock.now())
            outcome = "cancelled"
    if outcome == "stale":
        await answer_tap(query, stale_button(context.lang))
        return
    await answer_tap(query, views.problem(context.lang, outcome), show_alert=outcome == "already_started")
    if outcome == "cancelled":
        await answer(update, views.problem(context.lang, "cancelled"))


async def send_again(update: Update, context: RembugContext) -> None:
    """🔁 Under a finished report: send again to those Telegram did not confirm (``bc1:again:<broadcast>``)."""
    query = query_of(update)
    parts = (parse_callback(query.data, rules.PREFIX) or [])[1:]
    count = (
        await send_again_to_unknown(context.application, int(parts[0]), context.user.id)
        if parts and parts[0].isdigit()
        else None
    )
    if not count:
        await answer_tap(query, stale_button(context.lang))
        return
    await answer_tap(query, views.sending_again(context.lang, count))
    await edit_buttons(query, None)


async def toggle_mute(update: Update, context: RembugContext) -> None:
    """A member mutes or unmutes non-urgent broadcasts of the current cluster."""
    if not await require(update, context, Action.MUTE_BROADCASTS):
        return
    async with context.db.transaction() as tx:
        muted = context.user.id in await broadcasts.muted_ids(tx, context.standing.cluster_id)
        await broadcasts.set_muted(tx, context.standing.cluster_id, context.user.id, not muted, context.clock.now())
    await answer_tap(update.callback_query)
    await show_menu(update, context, views.mute_state(context.lang, not muted))


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Something other than what this step asks for."""
    await message_of(update).reply_text(context.gettext("Please choose with the buttons below."))
