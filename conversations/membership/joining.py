"""Joining a cluster (deep link or /join CODE) and editing one's profile: one persistent conversation.

The draft (storage/drafts.py, flow "profile") holds the cluster, the mode
("join" or "edit") and each answer, committed the moment it is given.
"""

from __future__ import annotations

from datetime import datetime

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.audience import Newcomers
from bot.context import RembugContext, refresh_standing
from bot.flows import exit_handlers, finish_draft, read_button, read_draft, replayed_effect, save_answers, show_menu
from bot.permissions import require
from bot.replies import answer, answer_tap, edit_buttons
from bot.roles import Action
from bot.update_parts import chat_of, message_of, query_of
from conversations.membership import join_rules, rules
from conversations.membership import profile_views as views
from conversations.membership.profile import settle_phone_consent
from conversations.membership.views import answer_problem, use_the_buttons
from storage import clusters, consents, drafts, join_attempts, memberships

FLOW = "profile"
ASK_CODE, REVIEW = "code", "review"


async def join_from_link(update: Update, context: RembugContext) -> str | int:
    """/start join-CODE from an invitation link."""
    code = rules.code_from_payload(context.args[0]) if context.args else None
    return await _begin_join(update, context, code)


async def join_command(update: Update, context: RembugContext) -> str | int:
    """/join CODE, or /join alone (then ask for the code)."""
    if context.args:
        return await _begin_join(update, context, rules.normalise_code("".join(context.args)))
    return await ask_for_code(update, context)


async def ask_for_code(update: Update, context: RembugContext) -> str:
    """Ask the person to type their invitation code."""
    if update.callback_query:
        await answer_tap(update.callback_query)
    text, keyboard = views.ask_code(context.lang)
    await answer(update, text, keyboard)
    return ASK_CODE


async def receive_code(update: Update, context: RembugContext) -> str | int:
    """The typed invitation code."""
    return await _begin_join(update, context, rules.normalise_code(message_of(update).text or ""))


async def _begin_join(update: Update, context: RembugContext, code: str | None) -> str | int:
    now = context.clock.now()
    async with context.db.read() as conn:
        wrong = await join_attempts.wrong_codes_of(conn, context.user.id, now - join_rules.WRONG_CODE_WINDOW)
    wait = join_rules.wait_before_next_code(wrong, now)
    if wait is not None:  # not looked up: guessing stays as slow as the limit
        await message_of(update).reply_text(views.too_many_codes(context.lang, join_rules.minutes_to_wait(wait)))
        return ConversationHandler.END
    async with context.db.read() as conn:
        cluster = await clusters.find_by_invite_code(conn, code) if code else None
        existing = await memberships.get_membership(conn, cluster.id, context.user.id) if cluster else None
    if cluster is None:
        return await _wrong_code(update, context, [*wrong, now])
    if existing and existing.active:
        async with context.db.transaction() as tx:
            await memberships.set_current_cluster(tx, context.user.id, cluster.id)
        await refresh_standing(context)
        await show_menu(update, context, views.already_member(context.lang, cluster.name))
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
    draft = await save_answers(
        context,
        FLOW,
        mode="join",
        cluster_id=cluster.id,
        cluster_name=cluster.name,
        telegram_name=context.user.full_name,
    )
    return await ask_next(update, context, draft, intro=views.join_intro(context.lang, cluster.name))


async def _wrong_code(update: Update, context: RembugContext, wrong: list[datetime]) -> int:
    """Count the wrong code (committed before the answer) and say so, with the wait when it was the last try."""
    now = context.clock.now()
    async with context.db.transaction() as tx:
        await join_attempts.record_wrong_code(tx, context.user.id, now, update.update_id)
    text = views.invalid_code(context.lang)
    wait = join_rules.wait_before_next_code(wrong, now)
    if wait is not None:
        text += "\n\n" + views.too_many_codes(context.lang, join_rules.minutes_to_wait(wait))
    await message_of(update).reply_text(text)
    await show_menu(update, context)
    return ConversationHandler.END


async def begin_edit(update: Update, context: RembugContext) -> str | int:
    """ "Change my profile": the review screen of the current profile."""
    if not await require(update, context, Action.EDIT_OWN_PROFILE):
        return ConversationHandler.END
    cluster_id = context.standing.current_cluster_id
    async with context.db.transaction() as tx:
        membership = await memberships.get_membership(tx, cluster_id, context.user.id)
        assert membership is not None  # require let an active member of the cluster through
        consent = await consents.in_force(tx, context.user.id, consents.PHONE, cluster_id)
        await drafts.clear_draft(tx, context.user.id, FLOW)
    profile = {field: getattr(membership, field) for field in rules.PROFILE_FIELDS if field != "phone"}
    profile.update(rules.carried_phone(membership.phone, consent is not None))
    draft = await save_answers(
        context,
        FLOW,
        mode="edit",
        cluster_id=cluster_id,
        cluster_name=context.standing.current_cluster_name,
        telegram_name=context.user.full_name,
        **profile,
    )
    await answer_tap(update.callback_query)
    return await ask_next(update, context, draft)


async def ask_next(
    update: Update, context: RembugContext, draft: dict, *, edit: bool = True, intro: str | None = None
) -> str:
    """Ask the first unanswered question (under ``intro`` when given), or show the review
    (``edit=False``: below the tapped message)."""
    field = rules.next_question(rules.PROFILE_FIELDS, draft)
    if field is not None:
        text, keyboard = views.ask_field(context.lang, field, draft["cluster_name"], draft)
        if intro:
            text = intro + "\n\n" + text
        if field == "phone":
            if update.callback_query and edit:
                await edit_buttons(update.callback_query, None)
            await chat_of(update).send_message(text, reply_markup=keyboard)
        else:
            await answer(update, text, keyboard, edit=edit)
        return field
    text, keyboard = views.review(context.lang, draft["cluster_name"], draft, draft["mode"] == "join")
    await answer(update, text, keyboard, edit=edit)
    return REVIEW


def receive_text(field: str):
    """A handler storing the typed answer for ``field``."""

    async def receive(update: Update, context: RembugContext) -> str:
        value, problem = rules.clean_answer(message_of(update).text, field)
        if problem:
            await message_of(update).reply_text(answer_problem(context.lang, problem, field))
            return field
        return await ask_next(update, context, await save_answers(context, FLOW, **{field: value}))

    receive.__name__ = f"receive_{field}"
    receive.__doc__ = f"Store the typed {field} and ask the next question."
    return receive


async def keep_telegram_name(update: Update, context: RembugContext) -> str:
    """Keep the name Telegram gave."""
    draft = await read_draft(context, FLOW)
    draft = await save_answers(context, FLOW, full_name=draft.get("telegram_name", "")[:80])
    await answer_tap(update.callback_query)
    return await ask_next(update, context, draft)


async def choose_stakeholder(update: Update, context: RembugContext) -> str:
    """Store the tapped stakeholder type."""
    tap = await read_button(update, context, rules.parse_member_button, rules.ChooseStakeholder)
    if tap is None:
        return "stakeholder_type"
    draft = await save_answers(context, FLOW, stakeholder_type=tap.kind)
    await answer_tap(update.callback_query)
    await answer(update, views.stakeholder_chosen(context.lang, draft["cluster_name"], draft))
    return await ask_next(update, context, draft, edit=False)


async def receive_contact(update: Update, context: RembugContext) -> str:
    """A shared contact: only the person's own number is accepted."""
    contact = message_of(update).contact
    if contact is None or contact.user_id != context.user.id:
        await message_of(update).reply_text(views.not_own_contact(context.lang))
        return "phone"
    await message_of(update).reply_text(views.noted(context.lang), reply_markup=ReplyKeyboardRemove())
    return await ask_next(update, context, await save_answers(context, FLOW, phone=contact.phone_number))


async def phone_text(update: Update, context: RembugContext) -> str:
    """Skip, or typed text at the phone question."""
    if (message_of(update).text or "").strip() == views.skip_label(context.lang):
        await message_of(update).reply_text(views.noted(context.lang), reply_markup=ReplyKeyboardRemove())
        return await ask_next(update, context, await save_answers(context, FLOW, phone=None))
    await message_of(update).reply_text(views.use_phone_buttons(context.lang))
    return "phone"


async def edit_field(update: Update, context: RembugContext) -> str | int:
    """From the review: ask one question again."""
    query = query_of(update)
    tap = rules.parse_member_button(query.data)
    async with context.db.transaction() as tx:
        if isinstance(tap, rules.EditField):
            draft = await drafts.forget_answers(tx, context.user.id, FLOW, (tap.field,), context.clock.now())
        else:
            draft = await drafts.get_draft(tx, context.user.id, FLOW)
    await answer_tap(query)
    if not draft:
        await show_menu(update, context)
        return ConversationHandler.END
    return await ask_next(update, context, draft)


async def confirm(update: Update, context: RembugContext) -> int:
    """Join, or save the edited profile (an upsert: a replay changes nothing, and says the same)."""
    query = query_of(update)
    draft = await replayed_effect(context, update, FLOW)
    if draft is None:
        async with context.db.transaction() as tx:
            draft = await drafts.get_draft(tx, context.user.id, FLOW)
            if draft and rules.next_question(rules.PROFILE_FIELDS, draft) is None:
                profile = {field: draft[field] for field in rules.PROFILE_FIELDS}
                if draft["mode"] == "join":
                    await memberships.join_cluster(
                        tx, draft["cluster_id"], context.user.id, profile, context.clock.now()
                    )
                    await context.services.state(Newcomers).arrived(
                        tx, draft["cluster_id"], context.user.id, context.clock.now()
                    )
                else:
                    await memberships.update_profile(tx, draft["cluster_id"], context.user.id, profile)
                await settle_phone_consent(
                    tx, context.user.id, draft["cluster_id"], profile["phone"], context.clock.now()
                )
                await finish_draft(
                    tx, update, context.user.id, FLOW, mode=draft["mode"], cluster_name=draft["cluster_name"]
                )
            else:
                draft = None
    await answer_tap(query)
    await refresh_standing(context)
    if draft is None:
        await show_menu(update, context)
    elif draft["mode"] == "join":
        await show_menu(update, context, views.welcome(context.lang, draft["cluster_name"]))
    else:
        await show_menu(update, context, views.profile_saved(context.lang))
    return ConversationHandler.END


async def wrong_kind(update: Update, context: RembugContext) -> str | None:
    """A sticker, photo... where text is expected: say so and stay."""
    await message_of(update).reply_text(answer_problem(context.lang, rules.Problem.NOT_TEXT, "full_name"))
    return None


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Text where a button is expected."""
    await message_of(update).reply_text(use_the_buttons(context.lang))


def conversation() -> ConversationHandler:
    """The joining and profile conversation (named and persistent)."""
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.COMMAND
    states: dict[object, list[BaseHandler]] = {
        ASK_CODE: [MessageHandler(text, receive_code), MessageHandler(other, wrong_kind)],
        "full_name": [
            CallbackQueryHandler(keep_telegram_name, pattern=rules.member_pattern(rules.MemberAction.KEEP_NAME)),
            MessageHandler(text, receive_text("full_name")),
            MessageHandler(other, wrong_kind),
        ],
        "home_area": [MessageHandler(text, receive_text("home_area")), MessageHandler(other, wrong_kind)],
        "core_business": [MessageHandler(text, receive_text("core_business")), MessageHandler(other, wrong_kind)],
        "stakeholder_type": [
            CallbackQueryHandler(choose_stakeholder, pattern=rules.member_pattern(rules.ChooseStakeholder)),
            MessageHandler(other, buttons_please),
        ],
        "phone": [
            MessageHandler(filters.CONTACT, receive_contact),
            MessageHandler(text, phone_text),
            MessageHandler(other, buttons_please),
        ],
        REVIEW: [
            CallbackQueryHandler(confirm, pattern=rules.member_pattern(rules.MemberAction.CONFIRM_PROFILE)),
            CallbackQueryHandler(edit_field, pattern=rules.member_pattern(rules.EditField)),
            MessageHandler(other, buttons_please),
        ],
    }
    private = filters.ChatType.PRIVATE
    entry: list[BaseHandler] = [
        CommandHandler(
            "start", join_from_link, filters=private & filters.Regex(f"^/start {rules.INVITE_PAYLOAD_PREFIX}")
        ),
        CommandHandler("join", join_command, filters=private),
        CallbackQueryHandler(ask_for_code, pattern=rules.member_pattern(rules.MemberAction.JOIN)),
        CallbackQueryHandler(begin_edit, pattern=rules.member_pattern(rules.MemberAction.EDIT_PROFILE)),
    ]
    return ConversationHandler(
        entry_points=entry,
        states=states,
        fallbacks=exit_handlers(FLOW),
        name=FLOW,
        persistent=True,
        allow_reentry=True,
    )
