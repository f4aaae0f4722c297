"""Opening a session: meeting, question, template, who takes part, names, dots, review; then the rules go out.

Each answer is committed to the draft (flow "brainstorm") the moment it is
given. Opening stores the session with its participants and hands the rules
messages to the reminder engine (due now), one per participant.
"""

from __future__ import annotations

from datetime import timedelta

import aiosqlite
from telegram import Update
from telegram.ext import ConversationHandler

from bot.audience import Allowed, Audience, PickAction, parse_pick, select
from bot.context import RembugContext
from bot.flows import finish_draft, read_draft, replayed_effect, save_answers, start_draft
from bot.permissions import require
from bot.recipients import people_of
from bot.replies import answer, answer_tap
from bot.roles import Action, Role
from bot.stale import explain_stale
from bot.update_parts import message_of, query_of
from conversations.brainstorm import opening_views as views
from conversations.brainstorm import rules
from conversations.brainstorm.button_rules import Step
from conversations.brainstorm.notices import RULES
from conversations.brainstorm.sessions import plan_for_participants, read_tap, send_panel
from conversations.brainstorm.views import refused
from conversations.membership.views import use_the_buttons
from storage import brainstorm, clusters, meetings, small_groups

FLOW = "brainstorm"
FIELDS = ("meeting", "question", "template", "audience", "anonymous", "dots")
RECENT, AHEAD = timedelta(days=14), timedelta(days=60)


def _is_facilitator(context: RembugContext) -> bool:
    return Role.FACILITATOR in context.standing.roles


async def begin(update: Update, context: RembugContext) -> str | int:
    """Check the sender may lead a session, then ask for the meeting."""
    draft = await start_draft(update, context, Action.RUN_BRAINSTORM, FLOW, cluster_id=context.standing.cluster_id)
    return ConversationHandler.END if draft is None else await ask_next(update, context, draft)


async def _timezone(conn: aiosqlite.Connection, cluster_id: int) -> str:
    """The time zone of the draft's cluster (clusters are never deleted)."""
    cluster = await clusters.get_cluster(conn, cluster_id)
    if cluster is None:
        raise LookupError(f"cluster {cluster_id} of a brainstorm draft is gone")
    return cluster.timezone


async def _meetings_to_pick(context: RembugContext, cluster_id: int) -> tuple[list[meetings.Meeting], str]:
    now = context.clock.now()
    async with context.db.read() as conn:
        found = await meetings.list_meetings(conn, cluster_id, after=now - RECENT, before=now + AHEAD)
        timezone = await _timezone(conn, cluster_id)
    found = [m for m in found if not m.cancelled and (_is_facilitator(context) or m.organiser_id == context.user.id)]
    return found[:6], timezone


async def _audience_choices(context: RembugContext, draft: dict):
    async with context.db.read() as conn:
        meeting = await meetings.get_meeting(conn, draft["meeting"]) if draft.get("meeting") else None
        groups = await small_groups.list_groups(conn, draft["cluster_id"])
    if not _is_facilitator(context):
        groups = [g for g in groups if g.id in context.standing.led_group_ids]
    return meeting, [(g.id, g.name) for g in groups]


def _audience_of(draft: dict, invitees: tuple[int, ...]) -> Audience:
    """The stored choice (``meeting``, ``group`` or ``cluster``) as an audience of the audience engine."""
    if draft["audience"] == "meeting":
        return Audience(people=invitees)
    if draft["audience"] == "group":
        return Audience(group_ids=(draft["group"],))
    return Audience(everyone=True)


async def _people(context: RembugContext, draft: dict) -> tuple[list[int], str]:
    """Who the chosen audience covers, and its name."""
    async with context.db.read() as conn:
        meeting = await meetings.get_meeting(conn, draft["meeting"]) if draft["audience"] == "meeting" else None
        invitees = tuple(i.user_id for i in await meetings.invitees(conn, meeting.id)) if meeting else ()
        everyone = await people_of(conn, draft["cluster_id"], with_committees=True)
        group = await small_groups.get_group(conn, draft["group"]) if draft["audience"] == "group" else None
    people = select(_audience_of(draft, invitees), everyone).chosen
    if meeting is not None:
        label = context.gettext("Invitees of “{topic}”").format(topic=meeting.topic)
    elif draft["audience"] == "group":
        label = group.name if group else "-"
    else:
        label = context.gettext("Whole cluster")
    return people, label


async def ask_next(update: Update, context: RembugContext, draft: dict) -> str:
    """Ask the first question the draft has no answer for, or show the review."""
    lang = context.lang
    missing = next((field for field in FIELDS if field not in draft), None)
    if missing == "meeting":
        found, timezone = await _meetings_to_pick(context, draft["cluster_id"])
        await answer(update, *views.ask_meeting(lang, found, timezone))
    elif missing == "question":
        await answer(update, *views.ask_question(lang))
    elif missing == "template":
        await answer(update, *views.ask_template(lang))
    elif missing == "audience":
        meeting, groups = await _audience_choices(context, draft)
        await answer(update, *views.ask_audience(lang, meeting, groups, _is_facilitator(context)))
    elif missing == "anonymous":
        await answer(update, *views.ask_anonymous(lang))
    elif missing == "dots":
        await answer(update, *views.ask_dots(lang))
    else:
        people, label = await _people(context, draft)
        async with context.db.read() as conn:
            meeting = await meetings.get_meeting(conn, draft["meeting"]) if draft.get("meeting") else None
            timezone = await _timezone(conn, draft["cluster_id"])
        await answer(update, *views.review(lang, draft, meeting, timezone, label, len(people)))
        return "review"
    return missing


async def choose_meeting(update: Update, context: RembugContext) -> str:
    """A meeting from the list, or none (``bs1:mt:<id>``)."""
    tap = await read_tap(update, context, Step.MEETING)
    if tap is None or tap.meeting_id is None:
        return "meeting"
    meeting_id, cluster_id = tap.meeting_id, context.standing.cluster_id
    found, _zone = await _meetings_to_pick(context, cluster_id) if cluster_id else ([], "")
    if meeting_id and meeting_id not in {m.id for m in found}:
        await explain_stale(update, context)
        return "meeting"
    await answer_tap(update.callback_query)
    return await ask_next(update, context, await save_answers(context, FLOW, meeting=meeting_id))


async def _store_question(update: Update, context: RembugContext, text: str) -> str:
    question, problem = rules.check_line(text, rules.QUESTION_LIMIT)
    if problem:
        await message_of(update).reply_text(
            refused(context.lang, "line_empty" if problem == "empty" else "line_too_long")
        )
        return "question"
    return await ask_next(update, context, await save_answers(context, FLOW, question=question))


async def type_question(update: Update, context: RembugContext) -> str:
    """A typed question."""
    return await _store_question(update, context, message_of(update).text or "")


async def suggested_question(update: Update, context: RembugContext) -> str:
    """The suggested question, in the sender's language."""
    await answer_tap(update.callback_query)
    return await _store_question(update, context, context.gettext(views.SUGGESTED_QUESTION))


async def choose_template(update: Update, context: RembugContext) -> str:
    """Free question or SWOT (``bs1:tp:swot``)."""
    tap = await read_tap(update, context, Step.TEMPLATE)
    if tap is None:
        return "template"
    await answer_tap(update.callback_query)
    return await ask_next(update, context, await save_answers(context, FLOW, template=tap.template))


async def choose_audience(update: Update, context: RembugContext) -> str:
    """The meeting's invitees, a small group, or the whole cluster (the audience picker's ``bs1:a:...``)."""
    pick = parse_pick(query_of(update).data, rules.PREFIX)
    draft = await read_draft(context, FLOW)
    meeting, groups = await _audience_choices(context, draft)
    allowed = Allowed(whole_cluster=_is_facilitator(context), group_ids=frozenset(g for g, _n in groups))
    chosen: dict[str, str | int | None] | None = None
    if pick is None:
        pass
    elif pick.action is PickAction.MEETING_PEOPLE and meeting is not None and pick.number == meeting.id:
        chosen = {"audience": "meeting", "group": None}
    elif pick.action is PickAction.EVERYONE and allowed.whole_cluster:
        chosen = {"audience": "cluster", "group": None}
    elif pick.action is PickAction.GROUP and pick.number in allowed.group_ids:
        chosen = {"audience": "group", "group": pick.number}
    if chosen is None:
        await explain_stale(update, context)
        return "audience"
    people, _label = await _people(context, {**draft, **chosen})
    if not people:
        await answer_tap(update.callback_query, views.nobody(context.lang), show_alert=True)
        return "audience"
    await answer_tap(update.callback_query)
    return await ask_next(update, context, await save_answers(context, FLOW, **chosen))


async def choose_anonymous(update: Update, context: RembugContext) -> str:
    """Anonymous or named cards (``bs1:an:1``)."""
    tap = await read_tap(update, context, Step.ANONYMOUS)
    if tap is None:
        return "anonymous"
    await answer_tap(update.callback_query)
    return await ask_next(update, context, await save_answers(context, FLOW, anonymous=tap.anonymous))


async def choose_dots(update: Update, context: RembugContext) -> str:
    """Dots per person (``bs1:d:3``)."""
    tap = await read_tap(update, context, Step.DOTS)
    if tap is None:
        return "dots"
    await answer_tap(update.callback_query)
    return await ask_next(update, context, await save_answers(context, FLOW, dots=tap.dots))


async def open_session(update: Update, context: RembugContext) -> int:
    """Store the session and its participants, hand the rules to the reminder engine, show the panel."""
    query = query_of(update)
    if not await require(update, context, Action.RUN_BRAINSTORM):
        return ConversationHandler.END
    done = await replayed_effect(context, update, FLOW)
    if done is not None:  # opened before a crash: show it again
        async with context.db.read() as conn:
            session = await brainstorm.get_session(conn, done["session"])
        if session is None:  # an effect names the session it opened; sessions are never deleted
            raise LookupError(f"brainstorm session {done['session']} of a replayed opening is gone")
        await answer_tap(query)
        await answer(update, views.opened_intro(context.lang, done["people"]))
        await send_panel(update, context, session)
        return ConversationHandler.END
    draft = await read_draft(context, FLOW)
    if not draft or any(field not in draft for field in FIELDS):
        await explain_stale(update, context)
        return ConversationHandler.END
    people, _label = await _people(context, draft)
    now = context.clock.now()
    async with context.db.transaction() as tx:
        session, new = await brainstorm.create_session(
            tx,
            cluster_id=draft["cluster_id"],
            meeting_id=draft["meeting"] or None,
            small_group_id=draft.get("group"),
            question=draft["question"],
            template=draft["template"],
            audience=draft["audience"],
            anonymous=draft["anonymous"],
            dots=draft["dots"],
            facilitator_id=context.user.id,
            participant_ids=people,
            now=now,
            source_update_id=update.update_id,
        )
        if new:
            await plan_for_participants(tx, session, RULES, "rules", now)
        await finish_draft(tx, update, context.user.id, FLOW, session=session.id, people=len(people))
    context.services.reminders.wake()
    await answer_tap(query)
    await answer(update, views.opened_intro(context.lang, len(people)))
    await send_panel(update, context, session)
    return ConversationHandler.END


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Something other than what is asked."""
    await message_of(update).reply_text(use_the_buttons(context.lang))
