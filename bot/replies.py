"""Answering the person behind an update, whether they typed or tapped."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.error import BadRequest

_LOGGER = logging.getLogger(__name__)
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None


async def answer(update: Update, text: str, markup: Markup = None, *, edit: bool = True) -> Message | None:
    """Reply to a message, or to a tapped button by editing its message in place.

    Editing keeps a chat short on a small screen; when the tapped message cannot
    be edited (too old, or the markup is a reply keyboard) a new message is sent.
    The callback query itself is answered by the caller, which knows whether a
    toast is due.
    """
    query = update.callback_query
    inline = markup is None or isinstance(markup, InlineKeyboardMarkup)
    if query and edit and inline and query.message is not None:
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
