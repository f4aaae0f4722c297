"""The parts of an update that a handler was registered for, typed as present.

PTB types ``update.effective_message``, ``update.callback_query`` and
``update.effective_chat`` as optional, since an update may carry any of them.
A handler registered for a tapped button has a query; one registered for a
private message has a message and a chat. These say so once, and fail loudly
(naming what was missing) if a handler is ever wired to the wrong update.
"""

from __future__ import annotations

from telegram import CallbackQuery, Chat, Message, Update


def message_of(update: Update) -> Message:
    """The message the handler answers."""
    if update.effective_message is None:
        raise LookupError(f"update {update.update_id} carries no message")
    return update.effective_message


def query_of(update: Update) -> CallbackQuery:
    """The tapped button's query."""
    if update.callback_query is None:
        raise LookupError(f"update {update.update_id} carries no tapped button")
    return update.callback_query


def chat_of(update: Update) -> Chat:
    """The chat the update came from."""
    if update.effective_chat is None:
        raise LookupError(f"update {update.update_id} carries no chat")
    return update.effective_chat
