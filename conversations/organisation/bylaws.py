"""The cluster's bylaws, its rules (AD/ART): the facilitator sends a file or types sections; members read and acknowledge once.

An amendment is a new numbered version with the date and the meeting that
adopted it; each member is told through the reminder engine.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import read_draft, save_answers
from bot.i18n import format_when
from bot.permissions import require
from bot.recipients import language_of
from bot.replies import answer, answer_tap, edit_buttons
from bot.roles import Action
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of, query_of
from conversations.organisation import bylaws_views, rules, views
from storage import clusters, drafts, meetings, memberships, organisation
from storage import reminders as due_messages
from storage.memberships import Membership
from storage.organisation import RulesVersion
from storage.reminders import Due

FLOW = "organisation_rules"
NOTICE = "organisation.rules_notice"


async def show_versions(update: Update, context: RembugContext, intro: str | None = None) -> None:
    """The facilitator's page of versions (``og1:rm``)."""
    if not await require(update, context, Action.RUN_ORGANISATION):
        return
    cluster_id = context.standing.current_cluster_id
    if update.callback_query and intro is None:
        await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, cluster_id)
        rows = []
        for version in await organisation.rules_versions(conn, cluster_id):
            meeting = await meetings.get_meeting(conn, version.meeting_id) if version.meeting_id else None
            rows.append((version, meeting, await organisation.acknowledgement_count(conn, version.id)))
        _everyone, members = await memberships.directory(conn, cluster_id, limit=1)
    await answer(update, *bylaws_views.versions_view(context.lang, rows, cluster.timezone, members, intro))


async def begin_rules(update: Update, context: RembugContext) -> str | int:
    """Ask for the file or the first section (``og1:rn``)."""
    if not await require(update, context, Action.RUN_ORGANISATION):
        return ConversationHandler.END
    cluster_id = context.standing.current_cluster_id
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
        versions = await organisation.rules_versions(tx, cluster_id)
    number = rules.next_number(v.number for v in versions)
    await save_answers(context, FLOW, cluster_id=cluster_id, number=number, sections=[])
    await answer_tap(update.callback_query)
    await answer(update, *bylaws_views.ask_rules(context.lang, number))
    return "rules_input"


async def _ask_meeting(update: Update, context: RembugContext) -> str | int:
    if context.standing.cluster_id is None:  # no longer in a cluster
        await chat_of(update).send_message(views.stale(context.lang))
        return ConversationHandler.END
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, context.standing.cluster_id)
        found = [m for m in await meetings.list_meetings(conn, cluster.id) if not m.cancelled]
    text, keyboard = bylaws_views.ask_meeting(context.lang, list(reversed(found))[:8], cluster.timezone)
    await chat_of(update).send_message(text, reply_markup=keyboard)
    return "rules_meeting"


async def receive_document(update: Update, context: RembugContext) -> str | int:
    """The rules as a file: keep its Telegram file id."""
    document = message_of(update).document
    if document is None:  # the handler's filter lets only documents through
        return "rules_input"
    await save_answers(context, FLOW, file_id=document.file_id, file_name=document.file_name or "AD-ART", sections=[])
    return await _ask_meeting(update, context)


async def receive_section(update: Update, context: RembugContext) -> str:
    """One typed section of the rules."""
    text, problem = rules.clean_text(message_of(update).text, rules.SECTION_LIMIT)
    if problem:
        await message_of(update).reply_text(views.typed_problem(context.lang, problem, rules.SECTION_LIMIT))
        return "rules_input"
    draft = await read_draft(context, FLOW)
    sections = list(draft.get("sections", []))
    if len(sections) >= rules.MAX_SECTIONS:
        await message_of(update).reply_text(bylaws_views.too_many_sections(context.lang, rules.MAX_SECTIONS))
        return "rules_input"
    sections.append(text)
    await save_answers(context, FLOW, sections=sections, file_id=None)
    reply, keyboard = bylaws_views.section_noted(context.lang, len(sections))
    await message_of(update).reply_text(reply, reply_markup=keyboard)
    return "rules_input"


async def done_sections(update: Update, context: RembugContext) -> str | int:
    """✅ Done typing sections (``og1:rd``)."""
    draft = await read_draft(context, FLOW)
    if not draft.get("sections"):
        await answer_tap(update.callback_query, bylaws_views.no_sections(context.lang), show_alert=True)
        return "rules_input"
    await answer_tap(update.callback_query)
    await edit_buttons(update.callback_query, None)
    return await _ask_meeting(update, context)


async def choose_meeting(update: Update, context: RembugContext) -> int | str:
    """Store the version with its adopting meeting and tell every member (``og1:rmt:<meeting or 0>``)."""
    query = query_of(update)
    if not await require(update, context, Action.RUN_ORGANISATION):
        return ConversationHandler.END
    tap = rules.parse_tap(query.data)
    draft = await read_draft(context, FLOW)
    usable = rules.rules_draft_ready(draft, context.standing.cluster_id) and tap is not None
    meeting_id = tap.target if tap else 0
    now = context.clock.now()
    version: RulesVersion | None = None
    everyone: list[Membership] = []
    async with context.db.transaction() as tx:
        meeting = await meetings.get_meeting(tx, meeting_id) if usable and meeting_id else None
        if usable and meeting_id and not rules.adopting_meeting_fits(meeting, draft["cluster_id"]):
            usable = False
        if usable:
            version, new = await organisation.add_rules_version(
                tx,
                draft["cluster_id"],
                file_id=draft.get("file_id"),
                file_name=draft.get("file_name"),
                sections=[] if draft.get("file_id") else draft["sections"],
                adopted_at=meeting.starts_at if meeting else now,
                meeting_id=meeting.id if meeting else None,
                author_id=context.user.id,
                now=now,
                source_update_id=update.update_id,
            )
            everyone, _total = await memberships.directory(tx, version.cluster_id)
            if new:
                for member in everyone:
                    await due_messages.schedule(
                        tx,
                        f"rules:{version.id}:notice:{member.user_id}",
                        NOTICE,
                        now,
                        {"version": version.id, "user": member.user_id},
                        now,
                    )
            await drafts.clear_draft(tx, context.user.id, FLOW)
    if version is None:
        await explain_stale(update, context)
        return ConversationHandler.END
    await answer_tap(query)
    context.services.reminders.wake()
    await show_versions(update, context, bylaws_views.published_intro(context.lang, version.number, len(everyone)))
    return ConversationHandler.END


async def send_notice(due: Due, application: RembugApplication) -> str:
    """One member's notice of a new version: the file itself, or a link to read the sections."""
    user_id = due.payload["user"]
    async with application.services.db.read() as conn:
        version = await organisation.load_rules(conn, due.payload["version"])
        cluster = await clusters.load_cluster(conn, version.cluster_id)
        meeting = await meetings.get_meeting(conn, version.meeting_id) if version.meeting_id else None
        lang = await language_of(conn, user_id, application.services.settings.language)
    text, keyboard = bylaws_views.notice(lang, version, cluster.name, cluster.timezone, meeting)
    if version.file_id:
        await application.bot.send_document(user_id, version.file_id, caption=text, reply_markup=keyboard)
    else:
        await application.bot.send_message(user_id, text, reply_markup=keyboard)
    return "notice sent"


async def _member_version(update: Update, context: RembugContext) -> tuple[RulesVersion, rules.Tap] | None:
    """The version a button names, when the sender is a member of its cluster; else answer and return None."""
    if not await require(update, context, Action.VIEW_ORGANISATION):
        return None
    tap = rules.parse_tap(query_of(update).data)
    async with context.db.read() as conn:
        version = await organisation.get_rules(conn, tap.target) if tap else None
        member = await memberships.get_membership(conn, version.cluster_id, context.user.id) if version else None
    if tap is None or version is None or member is None or not member.active:
        await explain_stale(update, context)
        return None
    return version, tap


async def read_rules(update: Update, context: RembugContext) -> None:
    """The rules: the file, or one section a page (``og1:rr:<version>:<page>``)."""
    named = await _member_version(update, context)
    if named is None:
        return
    version, tap = named
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        done = await organisation.acknowledged_at(conn, version.id, context.user.id) is not None
    if version.file_id:
        caption, keyboard = bylaws_views.document_caption(context.lang, version, done)
        await chat_of(update).send_document(version.file_id, caption=caption, reply_markup=keyboard)
        return
    await answer(update, *bylaws_views.section_page(context.lang, version, tap.number or 0, done))


async def acknowledge(update: Update, context: RembugContext) -> None:
    """✅ I have read the rules (``og1:rk:<version>``): recorded once."""
    named = await _member_version(update, context)
    if named is None:
        return
    version, _tap = named
    now = context.clock.now()
    async with context.db.transaction() as tx:
        first = await organisation.acknowledge_rules(tx, version.id, context.user.id, now)
        when = await organisation.acknowledged_at(tx, version.id, context.user.id) or now
        cluster = await clusters.load_cluster(tx, version.cluster_id)
    await answer_tap(
        update.callback_query,
        bylaws_views.acknowledged(context.lang, first, format_when(when, cluster.timezone, context.lang)),
        show_alert=not first,
    )
