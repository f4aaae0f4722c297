"""What happens when a handler fails: log with context, try again, apologise once in one short line.

The inbox tries a failed update again (``Inbox.will_retry``); the person hears
the apology only when no try is left, so a passing fault costs them nothing.
The apology goes where the error happened (a toast on the tapped button, or a
message in the chat); when that is impossible too (an expired tap, a group the
bot may no longer write in) it goes as a new plain message to the person's
private chat. The log says each step, so a failure is never silent.
"""

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
    """Log the failure with the update that caused it; let the inbox try again, else apologise."""
    error = context.error
    inbox = context.services.inbox
    if isinstance(error, Forbidden) and isinstance(update, Update) and update.effective_user:
        # They blocked the bot: nobody to apologise to, nothing another try would change.
        if inbox is not None:
            inbox.will_retry(update, worth_retrying=False)
        async with context.db.transaction() as tx:
            await users.mark_blocked(tx, update.effective_user.id, context.clock.now())
        return
    described = _describe(update)
    # A 400 is the same request refused the same way next time; anything else may pass.
    retrying = inbox is not None and inbox.will_retry(update, worth_retrying=not isinstance(error, BadRequest))
    if retrying:
        _LOGGER.warning("error while handling %s; the inbox will try again", described, exc_info=error)
        raise ApplicationHandlerStop
    _LOGGER.error("error while handling %s", described, exc_info=error)
    if isinstance(update, Update):
        await apologise(update, context)
    # One answer per update: the catch-alls in later groups must not answer it again.
    raise ApplicationHandlerStop


async def apologise(update: Update, context: RembugContext) -> None:
    """Say sorry where the error happened; failing that, in the person's private chat."""
    lang = await _language_of(update, context)
    sorry = translator(lang).gettext("Sorry, something went wrong on our side. Please try again, or type /menu.")
    query, chat, sender = update.callback_query, update.effective_chat, update.effective_user
    try:
        if query is not None:
            await query.answer(sorry, show_alert=True)
            return
        if chat is not None:
            await chat.send_message(sorry)
            return
    except TelegramError as first:
        _LOGGER.warning("the apology for update %s could not be shown there (%s)", update.update_id, first)
    if sender is None:
        _LOGGER.error("nobody to apologise to for update %s", update.update_id)
        return
    try:
        await context.bot.send_message(sender.id, sorry, parse_mode=None)
        _LOGGER.info("the apology for update %s went to %s's private chat instead", update.update_id, sender.id)
    except TelegramError as second:
        _LOGGER.error("the apology for update %s could not be sent at all (%s)", update.update_id, second)


def _describe(update: object) -> str:
    if not isinstance(update, Update):
        return repr(update)
    user = update.effective_user
    chat = update.effective_chat
    kind = "callback" if update.callback_query else "message" if update.message else "update"
    detail = (
        update.callback_query.data
        if update.callback_query
        else (update.message.text if update.message and update.message.text else "")
    )
    return (
        f"update {update.update_id} ({kind} {(detail or '')[:60]!r}) "
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
