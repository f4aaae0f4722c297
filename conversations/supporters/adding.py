"""Adding a supporter (a facilitator: name, kind, services, contact, area, who worked with them) or
suggesting one (a member: name, kind, services; the facilitators get a notice through the outbox),
and editing one typed field of a listed supporter."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import finish_draft, read_draft, replayed_effect, save_answers, start_draft
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of
from conversations.supporters import listing, notices, rules, views
from conversations.supporters.rules import Step
from storage import drafts, supporters

FLOW = "supporter"  # adding or suggesting (the draft's ``mode``)
EDIT_FLOW = "supporter_edit"
TYPED_AFTER = {"contact": "area", "area": "worked_with", "worked_with": None}


async def _begin(update: Update, context: RembugContext, action: Action, mode: str) -> str | int:
    tap = await listing.pressed(update, context, action, Step.ADD if mode == "add" else Step.SUGGEST)
    if tap is None:
        return ConversationHandler.END
    if await start_draft(update, context, action, FLOW, cluster_id=context.standing.cluster_id, mode=mode) is None:
        return ConversationHandler.END
    await answer(update, *views.ask(context.lang, "name"))
    return "name"


async def begin_add(update: Update, context: RembugContext) -> str | int:
    """➕ Add a supporter (a facilitator): ask the name."""
    return await _begin(update, context, Action.MANAGE_SUPPORTERS, "add")


async def begin_suggest(update: Update, context: RembugContext) -> str | int:
    """💡 Suggest a supporter (a member): ask the name."""
    return await _begin(update, context, Action.VIEW_SUPPORTERS, "suggest")


async def receive_name(update: Update, context: RembugContext) -> str:
    """The name (not one already listed); then the kind."""
    name = rules.clean_text(message_of(update).text, rules.NAME_LIMIT)
    if name is None:
        await message_of(update).reply_text(views.problem(context.lang, "empty"))
        return "name"
    draft = await read_draft(context, FLOW)
    async with context.db.read() as conn:
        twin = await supporters.find_by_name(conn, draft.get("cluster_id") or 0, name)
    if twin is not None:
        await message_of(update).reply_text(views.problem(context.lang, "twice").format(name=twin.name))
        return "name"
    await save_answers(context, FLOW, name=name, services=[])
    await answer(update, *views.ask_kind(context.lang, name))
    return "kind"


async def choose_kind(update: Update, context: RembugContext) -> str:
    """The tapped kind; then the services."""
    tap = await listing.pressed(update, context, Action.VIEW_SUPPORTERS, Step.KIND)
    if tap is None or tap.key is None:
        return "kind"
    draft = await save_answers(context, FLOW, kind=tap.key)
    await answer_tap(update.callback_query)
    await answer(update, *views.add_toggles(context.lang, draft.get("name", ""), ()))
    return "services"


async def toggle_service(update: Update, context: RembugContext) -> str:
    """A service ticked or unticked (stored at once)."""
    tap = await listing.pressed(update, context, Action.VIEW_SUPPORTERS, Step.SERVICE)
    if tap is None or tap.key is None:
        return "services"
    draft = await read_draft(context, FLOW)
    chosen = rules.toggled(tuple(draft.get("services") or ()), tap.key)
    await save_answers(context, FLOW, services=list(chosen))
    await answer_tap(update.callback_query)
    await answer(update, *views.add_toggles(context.lang, draft.get("name", ""), chosen))
    return "services"


async def services_done(update: Update, context: RembugContext) -> str | int:
    """Done with the services: a member's suggestion is saved; a facilitator goes on to the contact."""
    draft = await read_draft(context, FLOW)
    if "kind" not in draft:
        await explain_stale(update, context)
        return ConversationHandler.END
    if not draft.get("services"):
        await answer_tap(update.callback_query, views.problem(context.lang, "no_services"), show_alert=True)
        return "services"
    await answer_tap(update.callback_query)
    if draft.get("mode") != "add":
        return await _save(update, context)
    await answer(update, *views.ask(context.lang, "contact"))
    return "contact"


async def _typed_or_skipped(update: Update, context: RembugContext, field: str, value: str | None) -> str | int:
    await save_answers(context, FLOW, **{field: value})
    following = TYPED_AFTER[field]
    if following is None:
        return await _save(update, context)
    await answer(update, *views.ask(context.lang, following))
    return following


def _typed_step(field: str):
    async def receive(update: Update, context: RembugContext) -> str | int:
        value = rules.clean_text(message_of(update).text)
        if value is None:
            await message_of(update).reply_text(views.problem(context.lang, "empty"))
            return field
        return await _typed_or_skipped(update, context, field, value)

    async def skip(update: Update, context: RembugContext) -> str | int:
        await answer_tap(update.callback_query)
        return await _typed_or_skipped(update, context, field, None)

    receive.__doc__ = f"The typed {field}; then the next question (or the supporter is saved)."
    skip.__doc__ = f"No {field}; then the next question (or the supporter is saved)."
    return receive, skip


receive_contact, skip_contact = _typed_step("contact")
receive_area, skip_area = _typed_step("area")
receive_worked_with, skip_worked_with = _typed_step("worked_with")


async def _save(update: Update, context: RembugContext) -> int:
    """Store the supporter (confirmed when a facilitator adds it, suggested by a member) in one transaction."""
    draft = await read_draft(context, FLOW)
    if "kind" not in draft:
        effect = await replayed_effect(context, update, FLOW)
        if effect is None:
            await explain_stale(update, context)
            return ConversationHandler.END
        async with context.db.read() as conn:
            saved = await supporters.get_supporter(conn, effect["supporter"])
        if saved is not None:
            await chat_of(update).send_message(views.saved(context.lang, saved))
        return ConversationHandler.END
    status = "confirmed" if draft.get("mode") == "add" else "suggested"
    async with context.db.transaction() as tx:
        saved = await supporters.add_supporter(
            tx, draft["cluster_id"], draft, status, context.user.id, context.clock.now(), update.update_id
        )
        if status == "suggested":
            await notices.notify_suggestion(tx, saved, context.user.id, context.settings.language, context.clock.now())
        await finish_draft(tx, update, context.user.id, FLOW, supporter=saved.id)
    context.services.outbox.wake()
    await chat_of(update).send_message(views.saved(context.lang, saved))
    await answer(update, *await listing.page_of_supporter(context, saved), edit=False)
    return ConversationHandler.END


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Text where the step asks for a button: say so, and ask the step's question again with its buttons
    (the message that had them may be far up the chat, or gone)."""
    await message_of(update).reply_text(views.problem(context.lang, "buttons"))
    draft = await read_draft(context, FLOW)
    name = draft.get("name", "")
    if "kind" not in draft:
        text, keyboard = views.ask_kind(context.lang, name)
    else:
        text, keyboard = views.add_toggles(context.lang, name, tuple(draft.get("services") or ()))
    await message_of(update).reply_text(text, reply_markup=keyboard)


# Editing one typed field of a listed supporter.


async def begin_edit(update: Update, context: RembugContext) -> str | int:
    """✏️ Contact / Area / Worked with (``sp1:ef:<id>:<field>``): ask the new text."""
    tap = await listing.pressed(update, context, Action.MANAGE_SUPPORTERS, Step.EDIT_FIELD)
    if tap is None or tap.key is None:
        return ConversationHandler.END
    supporter = await listing.supporter_of(update, context, tap)
    if supporter is None:
        return ConversationHandler.END
    if (
        await start_draft(update, context, Action.MANAGE_SUPPORTERS, EDIT_FLOW, supporter=supporter.id, field=tap.key)
        is None
    ):
        return ConversationHandler.END
    await answer(update, *views.ask(context.lang, tap.key, clear=True))
    return "text"


async def _edited(update: Update, context: RembugContext, value: str | None) -> int:
    draft = await read_draft(context, EDIT_FLOW)
    if "field" not in draft:
        await explain_stale(update, context)
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        await supporters.set_field(tx, draft["supporter"], draft["field"], value, context.clock.now())
        await drafts.clear_draft(tx, context.user.id, EDIT_FLOW)
        supporter = await supporters.get_supporter(tx, draft["supporter"])
    if supporter is not None:
        await answer(update, *await listing.page_of_supporter(context, supporter), edit=False)
    return ConversationHandler.END


async def receive_edit(update: Update, context: RembugContext) -> str | int:
    """The new text; the supporter's page again."""
    value = rules.clean_text(message_of(update).text)
    if value is None:
        await message_of(update).reply_text(views.problem(context.lang, "empty"))
        return "text"
    return await _edited(update, context, value)


async def clear_edit(update: Update, context: RembugContext) -> int:
    """🧹 Clear: the field is emptied."""
    await answer_tap(update.callback_query)
    return await _edited(update, context, None)
