"""Answering the person behind an update, whether they typed or tapped."""

from __future__ import annotations

import logging
from html import escape

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.error import BadRequest, TelegramError

_LOGGER = logging.getLogger(__name__)
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None
MAX_TAP_ANSWER = 200  # characters Telegram shows in a toast or an alert


async def answer(update: Update, text: str, markup: Markup = None, *, edit: bool = True) -> Message | None:
    """Reply to a message, or to a tapped button by editing its message in place.

    Editing keeps a chat short on a small screen; when the tapped message cannot
    be edited (too old, a photo or file under a caption, or the markup is a reply
    keyboard) a new message is sent.
    The callback query itself is answered by the caller, which knows whether a
    toast is due.
    """
    query = update.callback_query
    texted = query is not None and isinstance(query.message, Message) and query.message.text is not None
    if query and edit and texted and (markup is None or isinstance(markup, InlineKeyboardMarkup)):
        try:
            edited = await query.edit_message_text(text, reply_markup=markup)
            return edited if isinstance(edited, Message) else None
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return None
            _LOGGER.info("could not edit message, sending a new one: %s", error)
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(text, reply_markup=markup)


async def edit_buttons(query: CallbackQuery | None, markup: InlineKeyboardMarkup | None) -> None:
    """Change (or, with None, remove) the buttons under the tapped message.

    A replayed tap finds them changed already: Telegram's "message is not modified" is
    then the success it looks like, not an error.
    """
    if query is None:
        return
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


async def answer_tap(query: CallbackQuery | None, text: str | None = None, *, show_alert: bool = False) -> bool:
    """Answer a tapped button: stop its spinner and show ``text`` as a toast (or an alert).

    Call it once the tap's work is stored. It is best effort and never raises: after a
    restart the inbox replays taps whose query Telegram has already expired ("query is too
    old"), and such a failure must not stop the handler that did the work. An alert that
    can no longer be shown goes to the chat as a message instead, so the person still reads
    it. Returns whether Telegram took the answer.
    """
    if query is None:  # the same step reached by a typed message: no tap to answer
        return False
    if text and len(text) > MAX_TAP_ANSWER:
        text = text[: MAX_TAP_ANSWER - 1] + "…"
    try:
        await query.answer(text, show_alert=show_alert)
        return True
    except TelegramError as error:
        _LOGGER.info("tap %s could not be answered (%s)", query.id, error)
    if text and show_alert and query.message is not None:
        try:
            await query.get_bot().send_message(query.message.chat.id, escape(text))
        except TelegramError as error:
            _LOGGER.warning("the alert for tap %s could not be sent as a message either (%s)", query.id, error)
    return False
