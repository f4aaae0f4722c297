"""What happens when a handler fails: log with context, apologise in one short line."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import RembugContext
from bot.i18n import pick_language, translator
from storage import users

_LOGGER = logging.getLogger(__name__)


async def handle_error(update: object, context: RembugContext) -> None:
    """Log the failure with the update that caused it and tell the person, never silence."""
    error = context.error
    if isinstance(error, Forbidden) and isinstance(update, Update) and update.effective_user:
        # They blocked the bot: nobody to apologise to; remember it for reports.
        async with context.db.transaction() as tx:
            await users.mark_blocked(tx, update.effective_user.id, context.clock.now())
        return
    described = _describe(update)
    _LOGGER.error("error while handling %s", described, exc_info=error)
    if not isinstance(update, Update):
        return
    lang = await _language_of(update, context)
    sorry = translator(lang).gettext(
        "Sorry, something went wrong on our side. Please try again, or type /menu."
    )
    try:
        if update.callback_query:
            await update.callback_query.answer(sorry, show_alert=False)
        elif update.effective_chat:
            await update.effective_chat.send_message(sorry)
    except (BadRequest, TelegramError) as second:
        _LOGGER.warning("could not send the apology: %s", second)
    # One answer per update: the catch-alls in later groups must not answer it again.
    raise ApplicationHandlerStop


def _describe(update: object) -> str:
    if not isinstance(update, Update):
        return repr(update)
    user = update.effective_user
    chat = update.effective_chat
    kind = "callback" if update.callback_query else "message" if update.message else "update"
    detail = update.callback_query.data if update.callback_query else (
        update.message.text if update.message and update.message.text else ""
    )
    return (
        f"update {update.update_id} ({kind} {detail[:60]!r}) "
        f"from user {user.id if user else '-'} in chat {chat.id if chat else '-'}"
    )


async def _language_of(update: Update, context: RembugContext) -> str:
    """The person's language; the error's context did not run the sender resolution."""
    sender = update.effective_user
    if sender is None:
        return context.settings.language
    async with context.db.read() as conn:
        stored = await users.get_user(conn, sender.id)
    return pick_language(stored.language if stored else None, sender.language_code, context.settings.language)
