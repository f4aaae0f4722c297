"""Telegram handlers of the privacy flow: /privacy and its parts, all read-only."""

from __future__ import annotations

from telegram import Update

from bot.context import RembugContext
from bot.flows import read_button
from bot.replies import answer, answer_tap
from conversations.privacy import views
from conversations.privacy.rules import PrivacyPart, parse_privacy_button


async def show_privacy(update: Update, context: RembugContext) -> None:
    """/privacy: why Rembug keeps data, and buttons to the four parts (a new message, so it can come
    in the middle of a question, such as the first question after an invitation link)."""
    await answer(update, *views.privacy_screen(context.lang, PrivacyPart.OVERVIEW), edit=False)


async def show_part(update: Update, context: RembugContext) -> None:
    """A tapped part of /privacy, in place of the screen before (``pv1:<part>``)."""
    part = await read_button(update, context, parse_privacy_button, PrivacyPart)
    if part is None:
        return
    await answer_tap(update.callback_query)
    await answer(update, *views.privacy_screen(context.lang, part))
