"""Pieces every multi-step flow (a PTB ConversationHandler) shares.

``exit_handlers(flow)`` gives a flow its ways out: ``/cancel``, ``/menu``,
``/start`` and the menu button all end the flow, forget its unconfirmed draft
and show the main menu, so a person is never stuck inside a flow.

A confirm screen ("Cancel this meeting?") is a state, not only a message: the
handler that shows it calls ``open_confirmation``, and the "Yes" handler takes
it with ``take_confirmation`` inside the transaction that does the work, so a
"Yes" tap replayed or forged without its screen changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any, TypeVar

import aiosqlite
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.buttons import parse_callback
from bot.context import RembugContext
from bot.i18n import translator
from bot.menu import MENU_BUTTON, MenuGroup, home_group
from bot.menu import keyboard as menu_keyboard
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import query_of
from storage import drafts
from storage import inbox as inbox_store

T = TypeVar("T")
CONFIRMATIONS = "confirmations"  # the drafts row holding the confirm screens a person has open


async def show_menu(
    update: Update,
    context: RembugContext,
    intro: str | None = None,
    *,
    edit: bool = True,
    group: MenuGroup | None = None,
) -> None:
    """Show the main menu for the sender's roles, under ``intro`` when given; ``group``: one level down.

    After a tapped button the menu replaces that message, unless ``edit`` is False
    (the tapped message holds a result worth keeping, such as a confirmation). A
    toggle tapped inside a group brings that group back, showing its new state.
    """
    _ = translator(context.lang).gettext
    menu = context.services.menu
    async with context.db.read() as conn:
        facts = await menu.facts(conn, context.standing)
    top = menu.layout(context.standing, facts)
    if group is None and update.callback_query:
        group = home_group(update.callback_query.data, top)
    if group is None:
        text = intro or _("<b>Main menu</b>\nChoose what you want to do.")
        keyboard = menu_keyboard(top, context.lang)
    else:
        heading = "<b>" + escape(_(group.label)) + "</b>\n" + _("Choose what you want to do.")
        text = intro + "\n\n" + heading if intro else heading
        keyboard = menu_keyboard(menu.group(group, context.standing, facts), context.lang, back=True)
    if context.standing.cluster_name:
        text += "\n\n" + _("Cluster: <b>{name}</b>").format(name=escape(context.standing.cluster_name))
    await answer(update, text, keyboard, edit=edit)


def stale_button(lang: str) -> str:
    """The toast of a button that no longer works; ``bot.stale.explain_stale`` also says what happened and what now."""
    return translator(lang).gettext("This button is no longer valid. Type /menu to start again.")


async def read_tap(
    update: Update, context: RembugContext, prefix: str, parse: Callable[[list[str] | None], T | None]
) -> T | None:
    """The tapped button as the flow's ``parse`` reads it (a typed value); a stale or forged one
    is answered here by the stale-button engine (``bot.stale``: what happened, and the way on), and None comes back."""
    tap = parse(parse_callback(query_of(update).data, prefix))
    if tap is None:
        await explain_stale(update, context)
    return tap


async def read_button(
    update: Update, context: RembugContext, parse: Callable[[str | None], object], kind: type[T]
) -> T | None:
    """The tapped button as the flow's ``parse`` reads its callback data, when it is a ``kind``; a stale
    or forged one (or another kind of button) is answered here by the stale-button engine (``bot.stale``),
    and None comes back."""
    tap = parse(query_of(update).data)
    if isinstance(tap, kind):
        return tap
    await explain_stale(update, context)
    return None


def exit_handlers(flow: str) -> list[BaseHandler]:
    """Handlers that leave ``flow`` cleanly: /cancel, /menu, /start and the menu button."""

    async def leave(update: Update, context: RembugContext) -> int:
        """Forget the flow's draft and show the menu."""
        async with context.db.transaction() as tx:
            await drafts.clear_draft(tx, context.user.id, flow)
        if update.callback_query:
            await answer_tap(update.callback_query)
        _ = translator(context.lang).gettext
        await show_menu(update, context, _("Cancelled. Nothing was saved.") + "\n\n" + _("<b>Main menu</b>"))
        return ConversationHandler.END

    return [
        CommandHandler(["cancel", "menu", "start"], leave),
        CallbackQueryHandler(leave, pattern=f"^{MENU_BUTTON}$"),
    ]


async def save_answers(context: RembugContext, flow: str, **answers: Any) -> dict[str, Any]:
    """Commit answers to the sender's draft of ``flow`` (before any reply) and return the draft."""
    async with context.db.transaction() as tx:
        return await drafts.save_draft_answers(tx, context.user.id, flow, answers, context.clock.now())


async def read_draft(context: RembugContext, flow: str) -> dict[str, Any]:
    """The sender's draft of ``flow`` (empty when there is none)."""
    async with context.db.read() as conn:
        return await drafts.get_draft(conn, context.user.id, flow)


async def finish_draft(tx: aiosqlite.Connection, update: Update, user_id: int, flow: str, **effect: Any) -> None:
    """End ``flow``'s draft in the transaction that acted on it, and remember what this update did.

    A crash between that commit and the reply replays the tap with the draft gone; the
    step then finds ``replayed_effect`` and shows the same outcome again (an edit of the
    same message, so the person sees it once) instead of calling the button stale.
    """
    await drafts.clear_draft(tx, user_id, flow)
    await inbox_store.note_effect(tx, update.update_id, {"flow": flow, **effect})


async def replayed_effect(context: RembugContext, update: Update, flow: str) -> dict[str, Any] | None:
    """What this very update already did in ``flow`` before a crash (``finish_draft``), else None."""
    async with context.db.read() as conn:
        effect = await inbox_store.effect_of(conn, update.update_id)
    return effect if effect and effect.get("flow") == flow else None


async def start_draft(
    update: Update, context: RembugContext, action: Action, flow: str, **initial: Any
) -> dict[str, Any] | None:
    """Begin a multi-step flow: check ``action`` (None when refused, the refusal already said),
    acknowledge the tapped button, and start a fresh draft holding ``initial`` (committed)."""
    if not await require(update, context, action):
        return None
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, flow)
        draft = await drafts.save_draft_answers(tx, context.user.id, flow, initial, context.clock.now())
    if update.callback_query:
        await answer_tap(update.callback_query)
    return draft


def confirmation_needed(lang: str) -> str:
    """The short answer to a "Yes" that did not come from its confirm screen."""
    return translator(lang).gettext("Please confirm this on its confirm screen first. Nothing was changed.")


async def open_confirmation(context: RembugContext, action: str) -> None:
    """Record (committed) that the sender now sees the confirm screen of ``action``, e.g. ``meeting:42:cancel``."""
    await save_answers(context, CONFIRMATIONS, **{action: True})


async def confirmed_by(context: RembugContext, update: Update, action: str) -> bool:
    """Whether this very tap already took the confirmation of ``action`` (its reply was lost: show the result again)."""
    async with context.db.read() as conn:
        done = await inbox_store.effect_of(conn, update.update_id)
    return done == {"flow": CONFIRMATIONS, "action": action}


async def take_confirmation(tx: Any, context: RembugContext, action: str, update: Update | None = None) -> bool:
    """Inside the work's transaction: whether the sender saw the confirm screen of ``action`` (used up once taken).

    With ``update``, the tap that took it is remembered: the same tap tried again after its
    reply was lost (a crash, a failed send) still counts as confirmed.
    """
    if update is not None and await inbox_store.effect_of(tx, update.update_id) == {
        "flow": CONFIRMATIONS,
        "action": action,
    }:
        return True
    draft = await drafts.get_draft(tx, context.user.id, CONFIRMATIONS)
    if not draft.get(action):
        return False
    left = await drafts.forget_answers(tx, context.user.id, CONFIRMATIONS, (action,), context.clock.now())
    if not left:
        await drafts.clear_draft(tx, context.user.id, CONFIRMATIONS)
    if update is not None:
        await inbox_store.note_effect(tx, update.update_id, {"flow": CONFIRMATIONS, "action": action})
    return True
