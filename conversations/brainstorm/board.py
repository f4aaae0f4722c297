"""After the reveal: all cards by page, playing voice and photo cards, and grouping them into themes (KJ method).

The facilitator makes themes, moves cards in and out, merges and renames
them, accepts groups the bot suggests (``suggestions.py``) and adds a one-line
summary to voice and photo cards. Typed names and summaries are states of the
persistent brainstorming conversation (draft flow "brainstorm_board").
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.buttons import callback_data
from bot.context import RembugContext
from bot.replies import answer_tap
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of
from conversations.brainstorm import board_views as views
from conversations.brainstorm import rules
from conversations.brainstorm.button_rules import BrainstormTap, Step
from conversations.brainstorm.sessions import joined_session, managed_session, manages, read_tap, show
from conversations.brainstorm.suggestions import CardWords, Suggestion, suggest_groups
from conversations.brainstorm.views import refused
from storage import brainstorm, brainstorm_votes, drafts
from storage.brainstorm import Card, Session
from storage.brainstorm_votes import Theme

FLOW = "brainstorm_board"


async def show_board(update: Update, context: RembugContext) -> None:
    """A page of all cards (``bs1:b:<session>:<page>``), from the reveal on."""
    tap = await read_tap(update, context, Step.BOARD)
    session = await joined_session(update, context, tap.session_id) if tap else None
    if tap is None or session is None:
        return
    if not rules.cards_visible(session.phase):
        await answer_tap(
            update.callback_query,
            context.gettext("The cards are still hidden: the facilitator reveals them."),
            show_alert=True,
        )
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        cards = await brainstorm.cards_of(conn, session.id)
    await show(update, *views.board_page(context.lang, session, cards, tap.page, manages(context, session)))


async def open_file(update: Update, context: RembugContext) -> None:
    """Send a voice or photo card again by its file id (``bs1:f:<card>``)."""
    tap = await read_tap(update, context, Step.FILE)
    if tap is None or tap.card_id is None:
        return
    async with context.db.read() as conn:
        card = await brainstorm.get_card(conn, tap.card_id)
    session = await joined_session(update, context, card.session_id if card else None)
    if card is None or session is None:
        return
    if card.withdrawn or card.file_id is None or not rules.cards_visible(session.phase):
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query)
    caption = views.file_caption(context.lang, card)
    if card.kind == "voice":
        await chat_of(update).send_voice(card.file_id, caption=caption)
    else:
        await chat_of(update).send_photo(card.file_id, caption=caption)


async def _grouping_session(update: Update, context: RembugContext, session_id: int | None) -> Session | None:
    session = await managed_session(update, context, session_id)
    if session is not None and not rules.may_group(session.phase):
        await answer_tap(update.callback_query, refused(context.lang, "not_now"), show_alert=True)
        return None
    return session


async def _themes_and_cards(
    context: RembugContext, session: Session
) -> tuple[list[tuple[brainstorm_votes.Theme, list[Card]]], list[Card]]:
    async with context.db.read() as conn:
        themes = await brainstorm_votes.themes_of(conn, session.id)
        cards = await brainstorm.cards_of(conn, session.id)
    grouped = [(t, [c for c in cards if c.theme_id == t.id]) for t in themes]
    return grouped, [c for c in cards if c.theme_id is None]


async def show_grouping(update: Update, context: RembugContext, session: Session, page: int = 0) -> None:
    """The themes (a page of them) and the loose cards."""
    themes, loose = await _themes_and_cards(context, session)
    await show(update, *views.grouping_view(context.lang, session, themes, loose, page))


async def grouping(update: Update, context: RembugContext) -> None:
    """ "🧩 Group the cards" (``bs1:g:<session>``), and its pages (``bs1:g:<session>:<page>``)."""
    tap = await read_tap(update, context, Step.GROUPING)
    session = await _grouping_session(update, context, tap.session_id) if tap else None
    if tap is None or session is None:
        return
    await answer_tap(update.callback_query)
    await show_grouping(update, context, session, tap.page)


def _suggest(session: Session, loose: list[Card]) -> list[Suggestion]:
    words = [CardWords(c.id, " ".join(filter(None, (c.text, c.summary))), c.column) for c in loose]
    return suggest_groups(words)


async def suggestions(update: Update, context: RembugContext) -> None:
    """Groups of alike loose cards (``bs1:sg:<session>``)."""
    tap = await read_tap(update, context, Step.SUGGESTIONS)
    session = await _grouping_session(update, context, tap.session_id) if tap else None
    if session is None:
        return
    await answer_tap(update.callback_query)
    _themes, loose = await _themes_and_cards(context, session)
    await show(
        update, *views.suggestions_view(context.lang, session, _suggest(session, loose), {c.id: c for c in loose})
    )


async def accept_suggestion(update: Update, context: RembugContext) -> None:
    """Make a suggested group a theme (``bs1:sa:<session>:<first card>``), then show it to edit."""
    tap = await read_tap(update, context, Step.ACCEPT)
    session = await _grouping_session(update, context, tap.session_id) if tap else None
    if tap is None or session is None:
        return
    first = tap.card_id
    _themes, loose = await _themes_and_cards(context, session)
    found = next((s for s in _suggest(session, loose) if s.card_ids[0] == first), None)
    if found is None:
        await answer_tap(update.callback_query, refused(context.lang, "moved"))
        return
    async with context.db.transaction() as tx:
        theme = await brainstorm_votes.create_theme(
            tx, session.id, found.title[: rules.THEME_TITLE_LIMIT], context.clock.now()
        )
        for card_id in found.card_ids:
            card = await brainstorm.get_card(tx, card_id)
            if card is not None and card.theme_id is None:
                await brainstorm.set_card_theme(tx, card_id, theme.id)
    await answer_tap(update.callback_query, context.gettext("Theme made. Rename it or move cards if needed."))
    await _show_theme(update, context, session, theme.id, 0)


async def _show_theme(update: Update, context: RembugContext, session: Session, theme_id: int, page: int) -> None:
    async with context.db.read() as conn:
        theme = await brainstorm_votes.get_theme(conn, theme_id)
        cards = await brainstorm.cards_of(conn, session.id)
        titles = {t.id: t.title for t in await brainstorm_votes.themes_of(conn, session.id)}
    if theme is None:  # themes are merged, never deleted; the caller has just read this one
        raise LookupError(f"brainstorm theme {theme_id} is gone")
    inside = [c for c in cards if c.theme_id == theme.id]
    await show(update, *views.theme_view(context.lang, session, theme, inside, cards, titles, page))


async def _live_theme(
    update: Update, context: RembugContext, *steps: Step
) -> tuple[Theme, Session, BrainstormTap] | None:
    """The theme a button (one of ``steps``) names, its session and the button, for the facilitator while
    grouping; a merged theme is refused."""
    tap = await read_tap(update, context, *steps)
    if tap is None:
        return None
    async with context.db.read() as conn:
        theme = await brainstorm_votes.get_theme(conn, tap.theme_id) if tap.theme_id else None
    session = await _grouping_session(update, context, theme.session_id if theme else None)
    if theme is None or session is None:
        return None
    if not theme.live:
        await answer_tap(update.callback_query, views.merged_away(context.lang), show_alert=True)
        return None
    return theme, session, tap


async def theme(update: Update, context: RembugContext) -> None:
    """A theme with its cards (``bs1:t:<theme>:<page>``)."""
    live = await _live_theme(update, context, Step.THEME)
    if live is None:
        return
    found, session, tap = live
    await answer_tap(update.callback_query)
    await _show_theme(update, context, session, found.id, tap.page)


async def move_card(update: Update, context: RembugContext) -> None:
    """Put a card in the theme, or take it out (``bs1:tm:<theme>:<card>:<page>``)."""
    live = await _live_theme(update, context, Step.MOVE_CARD)
    if live is None:
        return
    found, session, tap = live
    async with context.db.transaction() as tx:
        card = await brainstorm.get_card(tx, tap.card_id) if tap.card_id else None
        valid = card is not None and card.session_id == session.id and not card.withdrawn
        if card is not None and valid:
            await brainstorm.set_card_theme(tx, card.id, None if card.theme_id == found.id else found.id)
    if not valid:
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query)
    await _show_theme(update, context, session, found.id, tap.page)


async def ask_merge(update: Update, context: RembugContext) -> None:
    """Which theme to merge into (``bs1:mg:<theme>``)."""
    live = await _live_theme(update, context, Step.ASK_MERGE)
    if live is None:
        return
    found, session, _tap = live
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        others = [t for t in await brainstorm_votes.themes_of(conn, session.id) if t.id != found.id]
    await show(update, *views.merge_view(context.lang, found, others))


async def merge(update: Update, context: RembugContext) -> None:
    """Merge one theme into another (``bs1:mi:<theme>:<target>``): twice, or from two phones, merges once."""
    live = await _live_theme(update, context, Step.MERGE)
    if live is None:
        return
    found, session, tap = live
    async with context.db.transaction() as tx:
        target = await brainstorm_votes.get_theme(tx, tap.target_id) if tap.target_id else None
        merged = target is not None and target.live and target.session_id == session.id
        merged = merged and target is not None and await brainstorm_votes.merge_themes(tx, found.id, target.id)
    if not merged or target is None:
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query, context.gettext("Themes merged."))
    await _show_theme(update, context, session, target.id, 0)


# -- typed names and summaries (states of the conversation) -------------------------------------------


async def _ask(update: Update, context: RembugContext, state: str, back: str, **draft: int) -> str:
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
        for field, value in draft.items():
            await drafts.save_draft_answer(tx, context.user.id, FLOW, field, value, context.clock.now())
    await answer_tap(update.callback_query)
    await show(update, *views.ask_line(context.lang, state, back))
    return state


async def ask_theme_title(update: Update, context: RembugContext) -> str | int:
    """ "➕ New theme" (``bs1:nt:<session>``)."""
    tap = await read_tap(update, context, Step.NEW_THEME)
    session = await _grouping_session(update, context, tap.session_id) if tap else None
    if session is None:
        return ConversationHandler.END
    return await _ask(update, context, "theme_title", callback_data(rules.PREFIX, "g", session.id), session=session.id)


async def ask_rename(update: Update, context: RembugContext) -> str | int:
    """ "✏️ Rename" (``bs1:rn:<theme>``)."""
    live = await _live_theme(update, context, Step.RENAME)
    if live is None:
        return ConversationHandler.END
    found, session, _tap = live
    return await _ask(
        update, context, "rename", callback_data(rules.PREFIX, "t", found.id, 0), session=session.id, theme=found.id
    )


async def ask_summary(update: Update, context: RembugContext) -> str | int:
    """ "📝 Summary #n" of a voice or photo card (``bs1:sm:<card>``)."""
    tap = await read_tap(update, context, Step.SUMMARY)
    if tap is None or tap.card_id is None:
        return ConversationHandler.END
    async with context.db.read() as conn:
        card = await brainstorm.get_card(conn, tap.card_id)
    session = await managed_session(update, context, card.session_id if card else None)
    if card is None or session is None:
        return ConversationHandler.END
    if not rules.may_summarise(session.phase, card.withdrawn):
        await answer_tap(update.callback_query, refused(context.lang, "not_now"), show_alert=True)
        return ConversationHandler.END
    return await _ask(
        update, context, "summary", callback_data(rules.PREFIX, "b", session.id, 0), session=session.id, card=card.id
    )


async def receive_line(update: Update, context: RembugContext) -> str | int:
    """The typed theme name, new name or summary; stored, then the theme (or the board) is shown again."""
    async with context.db.read() as conn:
        draft = await drafts.get_draft(conn, context.user.id, FLOW)
        session = await brainstorm.get_session(conn, draft.get("session", 0))
    state = "summary" if "card" in draft else ("rename" if "theme" in draft else "theme_title")
    limit = rules.SUMMARY_LIMIT if state == "summary" else rules.THEME_TITLE_LIMIT
    line, problem = rules.check_line(message_of(update).text, limit)
    if problem or line is None:
        await message_of(update).reply_text(
            refused(context.lang, "line_empty" if problem == "empty" else "line_too_long")
        )
        return state
    if session is None or not rules.takes_line(state, session.phase):
        await message_of(update).reply_text(refused(context.lang, "not_now"))
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        if state == "summary":
            await brainstorm.set_summary(tx, draft["card"], line)
        elif state == "rename":
            await brainstorm_votes.rename_theme(tx, draft["theme"], line)
        else:
            draft["theme"] = (await brainstorm_votes.create_theme(tx, session.id, line, context.clock.now())).id
        await drafts.clear_draft(tx, context.user.id, FLOW)
    if state == "summary":
        async with context.db.read() as conn:
            cards = await brainstorm.cards_of(conn, session.id)
        text, keyboard = views.board_page(context.lang, session, cards, 0, True)
    else:
        async with context.db.read() as conn:
            theme = await brainstorm_votes.get_theme(conn, draft["theme"])
            cards = await brainstorm.cards_of(conn, session.id)
            titles = {t.id: t.title for t in await brainstorm_votes.themes_of(conn, session.id)}
        if theme is None:  # just made or renamed above; themes are never deleted
            raise LookupError(f"brainstorm theme {draft['theme']} is gone")
        text, keyboard = views.theme_view(
            context.lang, session, theme, [c for c in cards if c.theme_id == theme.id], cards, titles, 0
        )
    await message_of(update).reply_text(text, reply_markup=keyboard)
    return ConversationHandler.END
