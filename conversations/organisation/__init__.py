"""The cluster's own organisation: vision and mission, rules (AD/ART), board elections, the announcement (see flow.mmd)."""

from collections.abc import Callable, Coroutine
from typing import Any

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
from bot.update_parts import message_of
from conversations.membership.views import use_the_buttons
from conversations.organisation import (
    announcement,
    ballots,
    bylaws,
    elections,
    home,
    nominations,
    paper,
    results,
    stale,
    vision,
)
from conversations.organisation.rules import PREFIX

FLOW = "organisation"
# Buttons that work anywhere (a key ending in ":" takes arguments).
BUTTONS: dict[str, Callable[[Update, RembugContext], Coroutine[Any, Any, None]]] = {
    "home": home.show_home,
    "vv": home.read_vision,
    "vm": vision.show_drafts,
    "vr:": vision.show_responses,
    "vp:": vision.ask_adopting_meeting,
    "vpm:": vision.adopt,
    "rm": bylaws.show_versions,
    "rr:": bylaws.read_rules,
    "rk:": bylaws.acknowledge,
    "el": elections.list_elections,
    "en": elections.begin,
    "ep:": elections.set_up,
    "epd": elections.set_up,
    "ev:": elections.set_up,
    "em:": elections.set_up,
    "ec:": elections.set_up,
    "et:": elections.set_up,
    "ego": elections.create,
    "e:": elections.open_election,
    "ra:": elections.recommend_position,
    "rp:": elections.recommend_member,
    "rc:": elections.recommend,
    "eo:": elections.ask_open,
    "eoy:": elections.open_voting,
    "ex:": results.ask_close,
    "exy:": results.close,
    "es:": results.results_button,
    "ea:": announcement.announce,
    "nn:": nominations.nominate,
    "np:": nominations.nominee_page,
    "nm:": nominations.choose_nominee,
    "ny:": nominations.answer_nomination,
    "nd:": nominations.answer_nomination,
    "b:": ballots.show_ballots,
    "bc:": ballots.ballot,
    "bp:": ballots.pick,
    "bx:": ballots.cast,
    "pp:": paper.choose_contest,
    "pc:": paper.decide,
    "px:": paper.decide,
}
DUE_KINDS = {
    vision.CARD: vision.send_card,
    vision.NUDGE: vision.send_nudge,
    vision.CLOSED: vision.send_closed,
    bylaws.NOTICE: bylaws.send_notice,
    nominations.CALL: nominations.send_call,
    nominations.NOMINEE: nominations.send_to_nominee,
    ballots.NOTICE: ballots.send_notice,
    paper.WITNESS: paper.send_witness_request,
    announcement.ANNOUNCEMENT: announcement.send_announcement,
}


def _tap(callback: Callable[[Update, RembugContext], Coroutine[Any, Any, object]], key: str) -> CallbackQueryHandler:
    return CallbackQueryHandler(callback, pattern=f"^{PREFIX}:{key}" + ("" if key.endswith(":") else "$"))


def _ending(
    callback: Callable[[Update, RembugContext], Coroutine[Any, Any, None]],
) -> Callable[[Update, RembugContext], Coroutine[Any, Any, int]]:
    async def leave_step(update: Update, context: RembugContext) -> int:
        """Another button of the flow: do what it does, and leave the step that was waiting for text."""
        await callback(update, context)
        return ConversationHandler.END

    return leave_step


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Something other than what the step asks for."""
    await message_of(update).reply_text(use_the_buttons(context.lang))


def conversation() -> ConversationHandler:
    """The steps that wait for typing: a draft, a comment, the rules, paper counts (named and persistent)."""
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.COMMAND
    states: dict[object, list[BaseHandler]] = {
        "vision_text": [MessageHandler(text, vision.receive_text), MessageHandler(other, buttons_please)],
        "vision_review": [
            _tap(vision.send_draft, "vs:"),
            MessageHandler(text, vision.receive_text),
            MessageHandler(other, buttons_please),
        ],
        "vision_comment": [
            MessageHandler(text, vision.receive_comment),
            _tap(vision.skip_comment, "vk"),
            MessageHandler(other, buttons_please),
        ],
        "rules_input": [
            MessageHandler(filters.Document.ALL, bylaws.receive_document),
            MessageHandler(text, bylaws.receive_section),
            _tap(bylaws.done_sections, "rd"),
            MessageHandler(other, buttons_please),
        ],
        "rules_meeting": [_tap(bylaws.choose_meeting, "rmt:"), MessageHandler(other, buttons_please)],
        "paper_count": [MessageHandler(text, paper.receive_count), MessageHandler(other, buttons_please)],
        "paper_witness": [_tap(paper.choose_witness, "pw:"), MessageHandler(other, buttons_please)],
    }
    entry: list[BaseHandler] = [
        _tap(vision.begin_draft, "vd"),
        _tap(vision.agree, "va:"),
        _tap(vision.needs_change, "vc:"),
        _tap(bylaws.begin_rules, "rn"),
        _tap(paper.begin, "pq:"),
    ]
    fallbacks = [*exit_handlers(FLOW), *(_tap(_ending(callback), key) for key, callback in BUTTONS.items())]
    return ConversationHandler(
        entry_points=entry, states=states, fallbacks=fallbacks, name=FLOW, persistent=True, allow_reentry=True
    )


def register(application: RembugApplication) -> None:
    """Add the organisation flow, its menu entry and its due-message kinds."""
    stale.register(application)
    application.services.menu.add(
        MenuEntry(
            "organisation",
            N_("Organisation"),
            N_("the cluster's vision and mission, rules (AD/ART) and board; nominate and vote in elections."),
            callback_data(PREFIX, "home"),
            action=Action.VIEW_ORGANISATION,
            order=25,
        )
    )
    engine = application.services.reminders
    for kind, sender in DUE_KINDS.items():
        engine.register(kind, sender)
    application.add_handler(conversation())
    application.add_handler(CommandHandler("organisation", home.show_home, filters=filters.ChatType.PRIVATE))
    for key, callback in BUTTONS.items():
        application.add_handler(_tap(callback, key))


__all__ = ["register"]
