"""Brainstorming with cards: collect, reveal, group into themes, dot voting, shortlist (see flow.mmd)."""

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.buttons import callback_data
from bot.context import RembugContext
from bot.flows import exit_handlers
from bot.menu import N_, MenuEntry
from bot.roles import Action
from bot.services import RembugApplication
from conversations.brainstorm import board, cards, notices, opening, phases, results, voting
from conversations.brainstorm.rules import PREFIX
from conversations.brainstorm.stale import register as register_stale_buttons

# Buttons that work anywhere (outside the conversation, and as a way out of any of its steps).
BUTTONS: dict[str, Callable[[Update, RembugContext], Awaitable[None]]] = {
    "list$": phases.list_sessions,
    "o:": phases.open_session,
    "p:": phases.panel,
    "adv:": phases.advance,
    "advy:": phases.confirm_advance,
    "cw:": cards.withdraw,
    "cd$": cards.stray_done,
    "b:": board.show_board,
    "f:": board.open_file,
    "g:": board.grouping,
    "sg:": board.suggestions,
    "sa:": board.accept_suggestion,
    "t:": board.theme,
    "tm:": board.move_card,
    "mg:": board.ask_merge,
    "mi:": board.merge,
    "vt:": voting.ballot,
    "v:": voting.place,
    "vu:": voting.take_back,
    "rd:": voting.room,
    "ra:": voting.change_room_dots,
    "rr:": voting.change_room_dots,
    "sl:": phases.longlist,
    "st:": phases.toggle_shortlist,
    "ss:": phases.send_shortlist,
    "pic:": results.send_picture,
    "x:": results.send_exports,
}


def _tap(callback, key: str) -> CallbackQueryHandler:
    return CallbackQueryHandler(callback, pattern=f"^{PREFIX}:{key}")


def _ending(
    callback: Callable[[Update, RembugContext], Awaitable[None]],
) -> Callable[[Update, RembugContext], Awaitable[int]]:
    async def leave_step(update: Update, context: RembugContext) -> int:
        """Another button of the flow: do what it does, and leave the step that was waiting for text."""
        await callback(update, context)
        return ConversationHandler.END

    return leave_step


def conversation() -> ConversationHandler:
    """Opening a session, sending cards, typing theme names and summaries (named and persistent)."""
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.COMMAND
    card = text | filters.VOICE | filters.PHOTO
    ask = opening.buttons_please
    states: dict[object, list[BaseHandler]] = {
        "meeting": [_tap(opening.choose_meeting, "mt:"), MessageHandler(other, ask)],
        "question": [
            _tap(opening.suggested_question, "q$"),
            MessageHandler(text, opening.type_question),
            MessageHandler(other, ask),
        ],
        "template": [_tap(opening.choose_template, "tp:"), MessageHandler(other, ask)],
        "audience": [_tap(opening.choose_audience, "a:"), MessageHandler(other, ask)],
        "anonymous": [_tap(opening.choose_anonymous, "an:"), MessageHandler(other, ask)],
        "dots": [_tap(opening.choose_dots, "d:"), MessageHandler(other, ask)],
        "review": [_tap(opening.open_session, "go$"), MessageHandler(other, ask)],
        cards.CARD: [
            MessageHandler(card, cards.receive_card),
            _tap(cards.done, "cd$"),
            _tap(cards.withdraw, "cw:"),
            MessageHandler(other, cards.not_a_card),
        ],
        "theme_title": [MessageHandler(text, board.receive_line), MessageHandler(other, ask)],
        "rename": [MessageHandler(text, board.receive_line), MessageHandler(other, ask)],
        "summary": [MessageHandler(text, board.receive_line), MessageHandler(other, ask)],
    }
    entry: list[BaseHandler] = [
        _tap(opening.begin, "new$"),
        _tap(cards.start_cards, "c:"),
        _tap(cards.start_paper, "pc:"),
        _tap(cards.choose_column, "col:"),
        _tap(cards.start_edit, "ce:"),
        _tap(board.ask_theme_title, "nt:"),
        _tap(board.ask_rename, "rn:"),
        _tap(board.ask_summary, "sm:"),
    ]
    fallbacks = [*exit_handlers(opening.FLOW), *(_tap(_ending(callback), key) for key, callback in BUTTONS.items())]
    return ConversationHandler(
        entry_points=entry, states=states, fallbacks=fallbacks, name=opening.FLOW, persistent=True, allow_reentry=True
    )


def register(application: RembugApplication) -> None:
    """Add the brainstorming flow, its menu entry and its due-message kinds."""
    register_stale_buttons(application)
    application.services.menu.add(
        MenuEntry(
            "brainstorm",
            N_("Brainstorming"),
            N_("cards, themes and dot voting; facilitators open sessions and pick the shortlist."),
            callback_data(PREFIX, "list"),
            action=Action.JOIN_BRAINSTORM,
            order=20,
        )
    )
    notices.register(application)
    application.add_handler(conversation())
    application.add_handler(CommandHandler("brainstorm", phases.list_sessions, filters=filters.ChatType.PRIVATE))
    for key, callback in BUTTONS.items():
        application.add_handler(_tap(callback, key))


__all__ = ["register"]
