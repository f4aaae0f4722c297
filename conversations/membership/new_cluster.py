"""/newcluster: an admin creates a cluster (name, region, industry, time zone) and becomes its facilitator."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import RembugContext, refresh_standing
from bot.flows import exit_handlers, finish_draft, read_button, replayed_effect, show_menu
from bot.i18n import ZONES_BY_NAME
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.update_parts import message_of, query_of
from conversations.access_log.rules import Access
from conversations.membership import rules, views
from conversations.membership.invites import invite_link
from storage import access_log, clusters, drafts

FLOW = "new_cluster"
TIMEZONE, REVIEW = "timezone", "review"
STEPS = len(rules.CLUSTER_FIELDS)


async def begin(update: Update, context: RembugContext) -> str | int:
    """Check the sender may create clusters, then ask the first question."""
    if not await require(update, context, Action.CREATE_CLUSTER):
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
    if update.callback_query:
        await answer_tap(update.callback_query)
    return await ask_next(update, context, {})


async def ask_next(update: Update, context: RembugContext, draft: dict) -> str:
    """Ask the first question the draft has no answer for."""
    field = rules.next_question(rules.CLUSTER_FIELDS, draft)
    if field == TIMEZONE:
        text, keyboard = views.ask_timezone(context.lang, STEPS, STEPS)
        await answer(update, text, keyboard)
        return TIMEZONE
    if field is not None:
        step = rules.CLUSTER_FIELDS.index(field) + 1
        text, keyboard = views.ask_new_cluster_field(context.lang, field, step, STEPS)
        await answer(update, text, keyboard)
        return field
    text, keyboard = views.review_new_cluster(context.lang, draft)
    await answer(update, text, keyboard)
    return REVIEW


def receive(field: str):
    """A handler that stores the typed answer for ``field`` and asks the next question."""

    async def receive_field(update: Update, context: RembugContext) -> str:
        value, problem = rules.clean_answer(message_of(update).text, field)
        if problem:
            await message_of(update).reply_text(views.answer_problem(context.lang, problem, field))
            return field
        async with context.db.transaction() as tx:
            draft = await drafts.save_draft_answer(tx, context.user.id, FLOW, field, value, context.clock.now())
        return await ask_next(update, context, draft)

    receive_field.__name__ = f"receive_{field}"
    receive_field.__doc__ = f"Store the typed {field} and ask the next question."
    return receive_field


async def choose_timezone(update: Update, context: RembugContext) -> str:
    """Store the tapped time zone and show the review."""
    tap = await read_button(update, context, rules.parse_member_button, rules.ChooseTimezone)
    if tap is None:
        return TIMEZONE
    async with context.db.transaction() as tx:
        draft = await drafts.save_draft_answer(tx, context.user.id, FLOW, "timezone", tap.zone, context.clock.now())
    await answer_tap(update.callback_query)
    return await ask_next(update, context, draft)


async def create(update: Update, context: RembugContext) -> int:
    """Create the cluster from the draft (once, even if this update is handled again)."""
    query = query_of(update)
    done = await replayed_effect(context, update, FLOW)
    async with context.db.transaction() as tx:
        draft = await drafts.get_draft(tx, context.user.id, FLOW)
        cluster = None
        if done is not None:  # created before a crash: say so again
            cluster = await clusters.get_cluster(tx, done["cluster_id"])
        elif rules.next_question(rules.CLUSTER_FIELDS, draft) is None:
            cluster = await clusters.create_cluster(
                tx,
                name=draft["name"],
                regency=draft["regency"],
                province=draft["province"],
                industry=draft["industry"],
                timezone=ZONES_BY_NAME[draft["timezone"]],
                invite_code=rules.new_invite_code(),
                created_by=context.user.id,
                full_name=context.user.full_name,
                now=context.clock.now(),
                source_update_id=update.update_id,
            )
            await finish_draft(tx, update, context.user.id, FLOW, cluster_id=cluster.id)
            await access_log.record(tx, context.user.id, cluster.id, Access.CLUSTER_CREATED, "", context.clock.now())
    await answer_tap(query)
    if cluster is None:  # the draft is gone or incomplete (an old "Create" button)
        await show_menu(update, context)
        return ConversationHandler.END
    link = invite_link(context.bot.username, cluster.invite_code)
    await answer(update, views.cluster_created(context.lang, cluster, link))
    await refresh_standing(context)
    await show_menu(update, context, edit=False)
    return ConversationHandler.END


async def use_the_buttons(update: Update, context: RembugContext) -> str | None:
    """Text where a button is expected: say so and ask again."""
    await message_of(update).reply_text(views.use_the_buttons(context.lang))
    async with context.db.read() as conn:
        draft = await drafts.get_draft(conn, context.user.id, FLOW)
    return await ask_next(update, context, draft)


async def not_text(update: Update, context: RembugContext) -> None:
    """A sticker, photo... where text is expected."""
    await message_of(update).reply_text(views.answer_problem(context.lang, rules.Problem.NOT_TEXT, "name"))


def conversation() -> ConversationHandler:
    """The /newcluster conversation (named and persistent: it survives restarts)."""
    text = filters.TEXT & ~filters.COMMAND
    states: dict[object, list[BaseHandler]] = {
        field: [MessageHandler(text, receive(field)), MessageHandler(~filters.COMMAND, not_text)]
        for field in rules.CLUSTER_TEXT_FIELDS
    }
    states[TIMEZONE] = [
        CallbackQueryHandler(choose_timezone, pattern=rules.member_pattern(rules.ChooseTimezone)),
        MessageHandler(~filters.COMMAND, use_the_buttons),
    ]
    states[REVIEW] = [
        CallbackQueryHandler(create, pattern=rules.member_pattern(rules.MemberAction.CREATE_CLUSTER)),
        MessageHandler(~filters.COMMAND, use_the_buttons),
    ]
    entry: list[BaseHandler] = [
        CommandHandler("newcluster", begin, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(begin, pattern=rules.member_pattern(rules.MemberAction.NEW_CLUSTER)),
    ]
    return ConversationHandler(
        entry_points=entry,
        states=states,
        fallbacks=exit_handlers(FLOW),
        name=FLOW,
        persistent=True,
        allow_reentry=True,
    )
