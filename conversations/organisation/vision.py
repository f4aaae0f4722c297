"""The vision and mission: the facilitator drafts and revises, members answer within a window, a meeting adopts.

Every version is kept and numbered. Sending a draft plans, through the reminder
engine, one card per member, a nudge the day before the window closes for
those who have not answered, and a summary to the facilitator when it closes.
"""

from __future__ import annotations

import aiosqlite
from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import finish_draft, read_draft, replayed_effect, save_answers
from bot.permissions import require
from bot.recipients import language_of
from bot.reminders import Skip
from bot.replies import answer, answer_tap, edit_buttons
from bot.roles import Action
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of, query_of
from conversations.organisation import rules, views
from conversations.organisation import vision_views as vviews
from storage import clusters, drafts, meetings, memberships, organisation
from storage import reminders as due_messages
from storage.clusters import Cluster
from storage.organisation import VisionVersion
from storage.reminders import Due

FLOW = "organisation_vision"
COMMENT_FLOW = "organisation_comment"
CARD, NUDGE, CLOSED = "organisation.vision_card", "organisation.vision_nudge", "organisation.vision_closed"


async def _members(conn: aiosqlite.Connection, cluster_id: int) -> list[int]:
    everyone, _total = await memberships.directory(conn, cluster_id)
    return [m.user_id for m in everyone]


async def show_drafts(update: Update, context: RembugContext, intro: str | None = None) -> None:
    """The facilitator's page of drafts (``og1:vm``)."""
    if not await require(update, context, Action.RUN_ORGANISATION):
        return
    cluster_id = context.standing.current_cluster_id
    if update.callback_query and intro is None:
        await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, cluster_id)
        versions = await organisation.vision_versions(conn, cluster_id)
        summary, meeting = None, None
        if versions:
            answers = await organisation.vision_responses(conn, versions[0].id)
            summary = rules.summarise_responses((a.answer, a.comment) for a in answers)
            if versions[0].meeting_id:
                meeting = await meetings.get_meeting(conn, versions[0].meeting_id)
        members = len(await _members(conn, cluster_id)) - 1  # the author does not answer their own draft
    await answer(
        update, *vviews.drafts_view(context.lang, versions, cluster.timezone, summary, members, meeting, intro)
    )


async def begin_draft(update: Update, context: RembugContext) -> str | int:
    """Ask for the text of the next version (``og1:vd``)."""
    if not await require(update, context, Action.RUN_ORGANISATION):
        return ConversationHandler.END
    cluster_id = context.standing.current_cluster_id
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
        versions = await organisation.vision_versions(tx, cluster_id)
    number = rules.next_number(v.number for v in versions)
    await save_answers(context, FLOW, cluster_id=cluster_id, number=number)
    await answer_tap(update.callback_query)
    await answer(update, *vviews.ask_text(context.lang, number))
    return "vision_text"


async def receive_text(update: Update, context: RembugContext) -> str:
    """The typed draft: keep it and ask how long members may answer."""
    text, problem = rules.clean_text(message_of(update).text, rules.VISION_LIMIT)
    if text is None:
        await message_of(update).reply_text(views.typed_problem(context.lang, problem or "empty", rules.VISION_LIMIT))
        return "vision_text"
    draft = await save_answers(context, FLOW, text=text)
    text, keyboard = vviews.review(context.lang, draft.get("number", 1), text)
    await message_of(update).reply_text(text, reply_markup=keyboard)
    return "vision_review"


async def send_draft(update: Update, context: RembugContext) -> int | str:
    """Store the version and plan the cards, the nudges and the closing summary (``og1:vs:<days>``)."""
    query = query_of(update)
    if not await require(update, context, Action.RUN_ORGANISATION):
        return ConversationHandler.END
    tap = rules.parse_tap(query.data)
    done = await replayed_effect(context, update, FLOW)
    if done is not None:  # sent before a crash: say so again
        await answer_tap(query)
        await show_drafts(update, context, vviews.sent_intro(context.lang, done["number"], done["readers"]))
        return ConversationHandler.END
    draft = await read_draft(context, FLOW)
    if tap is None or not rules.vision_draft_ready(draft, context.standing.cluster_id, tap.target):
        await explain_stale(update, context)
        return ConversationHandler.END
    now = context.clock.now()
    closes_at, nudge_at = rules.vision_window(now, tap.target)
    async with context.db.transaction() as tx:
        version, new = await organisation.post_vision(
            tx, draft["cluster_id"], draft["text"], context.user.id, closes_at, now, update.update_id
        )
        readers = [uid for uid in await _members(tx, version.cluster_id) if uid != context.user.id]
        if new:
            for user_id in readers:
                payload = {"version": version.id, "user": user_id}
                await due_messages.schedule(
                    tx, f"vision:{version.id}:card:{user_id}", CARD, now, payload, now, expires_at=closes_at
                )
                if nudge_at:
                    await due_messages.schedule(
                        tx, f"vision:{version.id}:nudge:{user_id}", NUDGE, nudge_at, payload, now, expires_at=closes_at
                    )
            await due_messages.schedule(
                tx,
                f"vision:{version.id}:closed",
                CLOSED,
                closes_at,
                {"version": version.id, "user": context.user.id},
                now,
            )
        await finish_draft(tx, update, context.user.id, FLOW, number=version.number, readers=len(readers))
    context.services.reminders.wake()
    await answer_tap(query)
    await show_drafts(update, context, vviews.sent_intro(context.lang, version.number, len(readers)))
    return ConversationHandler.END


async def _version_context(application: RembugApplication, due: Due) -> tuple[VisionVersion, Cluster, str, str | None]:
    async with application.services.db.read() as conn:
        version = await organisation.load_vision(conn, due.payload["version"])
        cluster = await clusters.load_cluster(conn, version.cluster_id)
        lang = await language_of(conn, due.payload["user"], application.services.settings.language)
        given = await organisation.vision_answer_of(conn, version.id, due.payload["user"])
    return version, cluster, lang, given


async def send_card(due: Due, application: RembugApplication) -> str:
    """One member's copy of the draft, with Agree / Needs change."""
    version, cluster, lang, given = await _version_context(application, due)
    if version.status != "consulting":
        raise Skip("a newer version or adopted")
    text, keyboard = vviews.card(lang, version, cluster.name, cluster.timezone, given)
    await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    return "draft sent"


async def send_nudge(due: Due, application: RembugApplication) -> str:
    """Remind a member who has not answered yet."""
    version, cluster, lang, given = await _version_context(application, due)
    if version.status != "consulting" or given:
        raise Skip("answered, or no longer open")
    text, keyboard = vviews.nudge(lang, version, cluster.name, cluster.timezone)
    await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    return "nudged"


async def send_closed(due: Due, application: RembugApplication) -> str:
    """Tell the author how members answered, when the window closes."""
    version, _cluster, lang, _given = await _version_context(application, due)
    if version.status != "consulting":
        raise Skip("adopted or replaced before the window closed")
    async with application.services.db.read() as conn:
        answers = await organisation.vision_responses(conn, version.id)
        members = len(await _members(conn, version.cluster_id)) - 1
    summary = rules.summarise_responses((a.answer, a.comment) for a in answers)
    text, keyboard = vviews.closed_notice(lang, version, summary, members)
    await application.bot.send_message(due.payload["user"], text, reply_markup=keyboard)
    return "summary sent"


async def _record_answer(update: Update, context: RembugContext, answer_given: str) -> VisionVersion | None:
    """Check and store a member's answer; the version, or None after refusing."""
    query = query_of(update)
    tap = rules.parse_tap(query.data)
    cluster, before = None, None
    async with context.db.transaction() as tx:
        version = await organisation.get_vision(tx, tap.target) if tap else None
        if version is None:
            problem = None
        else:
            member = await memberships.get_membership(tx, version.cluster_id, context.user.id)
            problem = rules.check_vision_answer(
                version.status, version.closes_at, context.clock.now(), bool(member and member.active)
            )
            if problem is None:
                before = await organisation.vision_answer_of(tx, version.id, context.user.id)
                await organisation.answer_vision(tx, version.id, context.user.id, answer_given, context.clock.now())
                cluster = await clusters.load_cluster(tx, version.cluster_id)
    if version is None or cluster is None or problem:
        await answer_tap(
            query,
            views.answer_problem(context.lang, problem) if problem else views.stale(context.lang),
            show_alert=bool(problem),
        )
        return None
    await answer_tap(query, vviews.saved(context.lang, answer_given))
    if before != answer_given:
        await answer(update, *vviews.card(context.lang, version, cluster.name, cluster.timezone, answer_given))
    return version


async def agree(update: Update, context: RembugContext) -> int:
    """👍 Agree (``og1:va:<version>``); changeable until the window closes."""
    await _record_answer(update, context, "agree")
    return ConversationHandler.END


async def needs_change(update: Update, context: RembugContext) -> str | int:
    """✏️ Needs change (``og1:vc:<version>``): recorded, then ask for a comment."""
    version = await _record_answer(update, context, "change")
    if version is None:
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, COMMENT_FLOW)
    await save_answers(context, COMMENT_FLOW, version=version.id)
    text, keyboard = vviews.ask_comment(context.lang)
    await chat_of(update).send_message(text, reply_markup=keyboard)
    return "vision_comment"


async def receive_comment(update: Update, context: RembugContext) -> str | int:
    """The typed comment on a draft."""
    text, problem = rules.clean_text(message_of(update).text, rules.COMMENT_LIMIT)
    if text is None:
        await message_of(update).reply_text(views.typed_problem(context.lang, problem or "empty", rules.COMMENT_LIMIT))
        return "vision_comment"
    draft = await read_draft(context, COMMENT_FLOW)
    async with context.db.transaction() as tx:
        version = await organisation.get_vision(tx, draft.get("version", 0))
        refusal = None
        if version is None:
            refusal = views.stale(context.lang)
        else:
            problem = rules.check_vision_answer(version.status, version.closes_at, context.clock.now(), True)
            if problem:
                refusal = views.answer_problem(context.lang, problem)
            else:
                await organisation.comment_vision(tx, version.id, context.user.id, text, context.clock.now())
        await drafts.clear_draft(tx, context.user.id, COMMENT_FLOW)
    await message_of(update).reply_text(refusal or vviews.comment_saved(context.lang))
    return ConversationHandler.END


async def skip_comment(update: Update, context: RembugContext) -> int:
    """No comment after all (``og1:vk``)."""
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, COMMENT_FLOW)
    await answer_tap(update.callback_query, context.gettext("Noted."))
    await edit_buttons(update.callback_query, None)
    return ConversationHandler.END


async def show_responses(update: Update, context: RembugContext) -> None:
    """Who answered what, with comments (``og1:vr:<version>``)."""
    if not await require(update, context, Action.RUN_ORGANISATION):
        return
    tap = rules.parse_tap(query_of(update).data)
    async with context.db.read() as conn:
        version = await organisation.get_vision(conn, tap.target) if tap else None
        answers = await organisation.vision_responses(conn, version.id) if version else []
    if version is None or version.cluster_id != context.standing.cluster_id:
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query)
    await answer(update, *vviews.responses_view(context.lang, version, answers))


async def ask_adopting_meeting(update: Update, context: RembugContext) -> None:
    """Which meeting confirmed this version (``og1:vp:<version>``)."""
    if not await require(update, context, Action.RUN_ORGANISATION):
        return
    cluster_id = context.standing.current_cluster_id
    tap = rules.parse_tap(query_of(update).data)
    async with context.db.read() as conn:
        version = await organisation.get_vision(conn, tap.target) if tap else None
        cluster = await clusters.load_cluster(conn, cluster_id)
        found = [m for m in await meetings.list_meetings(conn, cluster.id) if not m.cancelled]
    if version is None or version.cluster_id != cluster.id:
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query)
    await answer(update, *vviews.ask_meeting(context.lang, version, list(reversed(found))[:8], cluster.timezone))


async def adopt(update: Update, context: RembugContext) -> None:
    """Record the adopted version with its meeting (``og1:vpm:<version>:<meeting>``); pending cards stop."""
    if not await require(update, context, Action.RUN_ORGANISATION):
        return
    cluster_id = context.standing.current_cluster_id
    query = query_of(update)
    tap = rules.parse_tap(query.data)
    async with context.db.transaction() as tx:
        version = await organisation.get_vision(tx, tap.target) if tap else None
        meeting = await meetings.get_meeting(tx, tap.number) if tap and tap.number else None
        latest = (await organisation.vision_versions(tx, cluster_id))[:1]
        valid = (
            version is not None
            and meeting is not None
            and rules.can_adopt(version.cluster_id, version.status, latest[0].id == version.id, meeting, cluster_id)
        )
        if valid and version is not None and meeting is not None:
            await organisation.adopt_vision(tx, version.id, meeting.id, context.clock.now())
            await due_messages.cancel(tx, f"vision:{version.id}:", context.clock.now())
    if not valid or version is None or meeting is None:
        await explain_stale(update, context)
        return
    await answer_tap(query)
    await show_drafts(update, context, vviews.adopted_intro(context.lang, version.number, meeting.topic))
