"""Sending cards while collecting: text, voice notes, photos; editing and withdrawing until the reveal.

"✍️ Send a card" puts the participant in the conversation state ``card`` (the
persistent brainstorming conversation), so each next text, voice note or photo
becomes a card, committed before it is confirmed with its number. The draft
(flow "brainstorm_card") holds the session, the SWOT part, and the card being
edited. The facilitator types in paper cards the same way.
"""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import save_answers
from bot.replies import answer_tap
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of
from conversations.brainstorm import card_views as views
from conversations.brainstorm import rules
from conversations.brainstorm.button_rules import Step
from conversations.brainstorm.sessions import (
    joined_session,
    managed_session,
    manages,
    read_tap,
    refresh_panel,
    show,
)
from conversations.brainstorm.views import refused
from storage import brainstorm, drafts
from storage.brainstorm import Card, Session

FLOW = "brainstorm_card"
CARD = "card"


async def _fresh_draft(context: RembugContext, **answers: object) -> dict[str, Any]:
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
    return await save_answers(context, FLOW, **answers)


async def start_cards(update: Update, context: RembugContext) -> str | int:
    """ "✍️ Send a card" (``bs1:c:<session>``): the next messages become cards."""
    tap = await read_tap(update, context, Step.CARDS)
    session = await joined_session(update, context, tap.session_id) if tap else None
    if session is None:
        return ConversationHandler.END
    async with context.db.read() as conn:
        joined = await brainstorm.is_participant(conn, session.id, context.user.id)
    if not joined:
        await answer_tap(update.callback_query, refused(context.lang, "not_participant"), show_alert=True)
        return ConversationHandler.END
    if not rules.accepts_cards(session.phase):  # the collection closed: said, with the way on
        if not await explain_stale(update, context, only_known=True):
            await answer_tap(update.callback_query, refused(context.lang, "closed"), show_alert=True)
        return ConversationHandler.END
    await answer_tap(update.callback_query)
    await _fresh_draft(context, session=session.id, column=None, editing=None, paper=False)
    text, keyboard = (
        views.ask_column(context.lang, session)
        if session.template == "swot"
        else views.ask_card(context.lang, session, None)
    )
    await chat_of(update).send_message(text, reply_markup=keyboard)
    return CARD


async def start_paper(update: Update, context: RembugContext) -> str | int:
    """The facilitator types in cards written on paper in the room (``bs1:pc:<session>``)."""
    tap = await read_tap(update, context, Step.PAPER)
    session = await managed_session(update, context, tap.session_id) if tap else None
    if session is None:
        return ConversationHandler.END
    if not rules.accepts_cards(session.phase):
        if not await explain_stale(update, context, only_known=True):
            await answer_tap(update.callback_query, refused(context.lang, "not_now"), show_alert=True)
        return ConversationHandler.END
    await answer_tap(update.callback_query)
    await _fresh_draft(context, session=session.id, column=None, editing=None, paper=True)
    text, keyboard = (
        views.ask_column(context.lang, session)
        if session.template == "swot"
        else views.ask_card(context.lang, session, None, paper=True)
    )
    await chat_of(update).send_message(text, reply_markup=keyboard)
    return CARD


async def choose_column(update: Update, context: RembugContext) -> str | int:
    """The SWOT part of the next cards (``bs1:col:<session>:<S|W|O|T>``)."""
    tap = await read_tap(update, context, Step.COLUMN)
    session = await joined_session(update, context, tap.session_id) if tap else None
    if tap is None or tap.column is None or session is None:
        return ConversationHandler.END
    if session.template != "swot":
        await explain_stale(update, context)
        return CARD
    if not rules.accepts_cards(session.phase):  # the collection closed: said, with the way on
        if not await explain_stale(update, context, only_known=True):
            await answer_tap(update.callback_query, refused(context.lang, "closed"), show_alert=True)
        return ConversationHandler.END
    async with context.db.read() as conn:
        draft = await drafts.get_draft(conn, context.user.id, FLOW)
        joined = await brainstorm.is_participant(conn, session.id, context.user.id)
    paper = rules.types_paper(bool(draft.get("paper")), draft.get("session"), session.id, manages(context, session))
    if not joined and not paper:
        await answer_tap(update.callback_query, refused(context.lang, "not_participant"), show_alert=True)
        return ConversationHandler.END
    await answer_tap(update.callback_query)
    await _fresh_draft(context, session=session.id, column=tap.column, editing=None, paper=paper)
    text, keyboard = views.ask_card(context.lang, session, tap.column, paper=paper)
    await chat_of(update).send_message(text, reply_markup=keyboard)
    return CARD


async def _own_card(update: Update, context: RembugContext, step: Step) -> tuple[Card, Session] | None:
    """The card a button of ``step`` names and its session, when the sender wrote (or typed in) it and it
    may still change; else a short refusal."""
    tap = await read_tap(update, context, step)
    if tap is None:
        return None
    async with context.db.read() as conn:
        card = await brainstorm.get_card(conn, tap.card_id) if tap.card_id else None
        session = await brainstorm.get_session(conn, card.session_id) if card else None
    if (
        card is None
        or session is None
        or card.withdrawn
        or not rules.owns_card(card.author_id, card.entered_by, context.user.id)
        or session.cluster_id != context.standing.cluster_id
    ):
        await explain_stale(update, context)
        return None
    if not rules.accepts_cards(session.phase) and await explain_stale(update, context, only_known=True):
        return None
    if not rules.accepts_cards(session.phase):
        await answer_tap(
            update.callback_query,
            context.gettext("The cards were revealed: they can no longer change."),
            show_alert=True,
        )
        return None
    return card, session


async def start_edit(update: Update, context: RembugContext) -> str | int:
    """ "✏️ Edit #n" (``bs1:ce:<card>``): the next message replaces the card."""
    own = await _own_card(update, context, Step.EDIT)
    if own is None:
        return ConversationHandler.END
    card, session = own
    await answer_tap(update.callback_query)
    await _fresh_draft(context, session=session.id, column=card.column, editing=card.id, paper=card.author_id is None)
    text, keyboard = views.ask_new_content(context.lang, card)
    await chat_of(update).send_message(text, reply_markup=keyboard)
    return CARD


async def withdraw(update: Update, context: RembugContext) -> None:
    """ "🗑 Withdraw #n" (``bs1:cw:<card>``): the card is taken back (twice counts once)."""
    own = await _own_card(update, context, Step.WITHDRAW)
    if own is None:
        return
    card, session = own
    async with context.db.transaction() as tx:
        await brainstorm.withdraw_card(tx, card.id, context.clock.now())
    await answer_tap(update.callback_query, views.card_withdrawn(context.lang, card.number))
    await show(update, views.card_withdrawn(context.lang, card.number), None)
    await refresh_panel(context.app, session.id)


def _content(message: Message) -> tuple[str, str | None, str | None, int | None]:
    """(kind, text, file id, duration) of a card message."""
    if message.voice:
        # to_dict gives whole seconds without PTB 22.2+'s int-to-timedelta deprecation warning.
        return "voice", None, message.voice.file_id, int(message.voice.to_dict().get("duration", 0))
    if message.photo:
        return "photo", rules.clean_text(message.caption) or None, message.photo[-1].file_id, None
    return "text", rules.clean_text(message.text), None, None


async def receive_card(update: Update, context: RembugContext) -> str | int:
    """A text, voice note or photo while sending cards: stored (or replacing the card being edited), then confirmed."""
    message = message_of(update)
    async with context.db.read() as conn:
        draft = await drafts.get_draft(conn, context.user.id, FLOW)
        session = await brainstorm.get_session(conn, draft["session"]) if draft.get("session") else None
        joined = session is not None and await brainstorm.is_participant(conn, session.id, context.user.id)
    if session is None:
        return ConversationHandler.END
    paper = bool(draft.get("paper")) and manages(context, session)
    if not rules.accepts_cards(session.phase):
        await message.reply_text(refused(context.lang, "closed_card"))
        return await _leave(context)
    if not joined and not paper:
        await message.reply_text(refused(context.lang, "not_participant"))
        return await _leave(context)
    if session.template == "swot" and not draft.get("column"):
        prompt, keyboard = views.choose_column_first(context.lang, session)
        await message.reply_text(prompt, reply_markup=keyboard)
        return CARD
    kind, text, file_id, duration = _content(message)
    problem = rules.check_card(kind, text, duration)
    if problem:
        await message.reply_text(refused(context.lang, problem.value))
        return CARD
    now = context.clock.now()
    async with context.db.transaction() as tx:
        editing = await brainstorm.get_card(tx, draft["editing"]) if draft.get("editing") else None
        if editing is not None and not editing.withdrawn:
            await brainstorm.replace_card(
                tx, editing.id, kind=kind, text=text, file_id=file_id, duration=duration, now=now
            )
            card = await brainstorm.get_card(tx, editing.id) or editing  # read back with its new content
        else:
            card, _new = await brainstorm.add_card(
                tx,
                session.id,
                author_id=None if paper else context.user.id,
                entered_by=context.user.id,
                column=draft.get("column"),
                kind=kind,
                text=text,
                file_id=file_id,
                duration=duration,
                now=now,
                source_update_id=update.update_id,
            )
        await drafts.save_draft_answer(tx, context.user.id, FLOW, "editing", None, now)
    reply, keyboard = views.card_saved(context.lang, session, card, editing is not None, draft.get("column"))
    await message.reply_text(reply, reply_markup=keyboard)
    await refresh_panel(context.app, session.id)
    return CARD


async def not_a_card(update: Update, context: RembugContext) -> str:
    """A sticker, a GIF, a file... while sending cards."""
    await message_of(update).reply_text(refused(context.lang, "unsupported"))
    return CARD


async def _leave(context: RembugContext) -> int:
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
    return ConversationHandler.END


async def done(update: Update, context: RembugContext) -> int:
    """ "✅ Done": stop sending cards."""
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        draft = await drafts.get_draft(conn, context.user.id, FLOW)
        mine = (
            await brainstorm.cards_of(conn, draft["session"], author_id=context.user.id) if draft.get("session") else []
        )
    await chat_of(update).send_message(views.finished(context.lang, len(mine)))
    return await _leave(context)


async def stray_done(update: Update, context: RembugContext) -> None:
    """ "✅ Done" outside the card state (after a restart or twice)."""
    await answer_tap(update.callback_query)
