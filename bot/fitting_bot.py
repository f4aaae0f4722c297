"""The bot every flow sends through: no text or caption over Telegram's limits, even by mistake.

``FittingBot`` is PTB's ``ExtBot`` whose methods that carry a text or a caption
fit it on the way out (``bot.fitting``):

- a text over 4,096 characters goes as several messages, split between lines,
  with the buttons under the last part (the last part is what is returned);
- an edit that grew too long keeps the first part in the edited message and
  sends the rest right after it, the buttons under the last part;
- a caption over 1,024 is cut between lines and the rest follows as text right
  after the photo, document or voice note, the buttons under the last part.

Screens page on their own (``bot.page_buttons``); this is the net under them,
and each split is logged so that a screen that should page is noticed.
Texts go as HTML (the bot's default) or plain; entities passed by hand are
sent as they are, since their offsets cannot be cut.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Message
from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot.fitting import fit_caption, split_text, visible_length

_LOGGER = logging.getLogger(__name__)
_SIGNATURES = {
    name: inspect.signature(getattr(ExtBot, name))
    for name in (
        "send_message",
        "edit_message_text",
        "edit_message_caption",
        "send_photo",
        "send_document",
        "send_voice",
    )
}
# What a part sent after the first keeps of the original call (not the reply, not the effect).
_FOLLOW_UP = (
    "chat_id",
    "parse_mode",
    "disable_notification",
    "protect_content",
    "message_thread_id",
    "business_connection_id",
    "direct_messages_topic_id",
    "link_preview_options",
)


def _bound(method: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """The call's arguments by name, however the caller passed them."""
    arguments = _SIGNATURES[method].bind(None, *args, **kwargs).arguments
    arguments.pop("self")
    return arguments


class FittingBot(ExtBot):
    """PTB's ``ExtBot`` that splits what would not fit Telegram's limits instead of failing."""

    def _html(self, arguments: dict[str, Any]) -> bool:
        """Whether the call's text is HTML (its own parse mode, else the bot's default)."""
        if "parse_mode" in arguments and arguments["parse_mode"] is None:
            return False  # sent as plain text on purpose
        mode = arguments.get("parse_mode")
        if not isinstance(mode, str):  # not given (PTB's "use the default" marker)
            mode = self.defaults.parse_mode if self.defaults else None
        return str(mode or "").upper() == "HTML"

    def _noticed(self, what: str, text: str, parts: list[str], chat_id: object, html: bool) -> None:
        _LOGGER.info(
            "a %s of %s characters to chat %s went as %s parts: a screen that should page? (%.60r)",
            what,
            visible_length(text, html=html),
            chat_id,
            len(parts),
            text,
        )

    async def _send_parts(self, arguments: dict[str, Any], parts: list[str], markup: Any) -> Message:
        """Send ``parts`` as messages, the first with the call's reply, the buttons under the last."""
        message = None
        for index, part in enumerate(parts):
            call = dict(arguments) if index == 0 else {key: arguments[key] for key in _FOLLOW_UP if key in arguments}
            call.update(text=part, reply_markup=markup if index == len(parts) - 1 else None)
            message = await super().send_message(**call)
        assert message is not None
        return message

    async def send_message(self, *args: Any, **kwargs: Any) -> Message:
        """sendMessage; a text over 4,096 characters goes as several messages."""
        arguments = _bound("send_message", args, kwargs)
        html = self._html(arguments)
        parts = [arguments["text"]] if arguments.get("entities") else split_text(arguments["text"], html=html)
        if len(parts) == 1:
            return await super().send_message(**arguments)
        self._noticed("message", arguments["text"], parts, arguments["chat_id"], html)
        markup = arguments.pop("reply_markup", None)
        return await self._send_parts(arguments, parts, markup)

    async def edit_message_text(self, *args: Any, **kwargs: Any) -> Message | bool:
        """editMessageText; a text grown over 4,096 keeps its first part here, the rest follows."""
        arguments = _bound("edit_message_text", args, kwargs)
        html = self._html(arguments)
        parts = [arguments["text"]] if arguments.get("entities") else split_text(arguments["text"], html=html)
        if len(parts) == 1:
            return await super().edit_message_text(**arguments)
        chat_id = arguments.get("chat_id")
        self._noticed("edited message", arguments["text"], parts, chat_id, html)
        if chat_id is None:  # an inline message: there is no chat to send the rest to
            _LOGGER.warning("an inline message was cut to its first part")
            return await super().edit_message_text(**{**arguments, "text": parts[0]})
        markup = arguments.pop("reply_markup", None)
        await self._edit_first(super().edit_message_text(**{**arguments, "text": parts[0]}))
        return await self._send_parts(self._follow_up(arguments), parts[1:], markup)

    async def edit_message_caption(self, *args: Any, **kwargs: Any) -> Message | bool:
        """editMessageCaption; a caption grown over 1,024 keeps what fits, the rest follows as text."""
        arguments = _bound("edit_message_caption", args, kwargs)
        fitted = self._fitted_caption(arguments)
        if fitted is None:
            return await super().edit_message_caption(**arguments)
        first, rest, html = fitted
        if arguments.get("chat_id") is None:
            return await super().edit_message_caption(**{**arguments, "caption": first})
        self._noticed("caption", arguments["caption"], [first, *rest], arguments["chat_id"], html)
        markup = arguments.pop("reply_markup", None)
        await self._edit_first(super().edit_message_caption(**{**arguments, "caption": first}))
        return await self._send_parts(self._follow_up(arguments), rest, markup)

    async def send_photo(self, *args: Any, **kwargs: Any) -> Message:
        """sendPhoto; a caption over 1,024 keeps what fits, the rest follows as text."""
        return await self._with_caption(super().send_photo, _bound("send_photo", args, kwargs))

    async def send_document(self, *args: Any, **kwargs: Any) -> Message:
        """sendDocument; a caption over 1,024 keeps what fits, the rest follows as text."""
        return await self._with_caption(super().send_document, _bound("send_document", args, kwargs))

    async def send_voice(self, *args: Any, **kwargs: Any) -> Message:
        """sendVoice; a caption over 1,024 keeps what fits, the rest follows as text."""
        return await self._with_caption(super().send_voice, _bound("send_voice", args, kwargs))

    def _fitted_caption(self, arguments: dict[str, Any]) -> tuple[str, list[str], bool] | None:
        """The caption cut to fit, the text parts that follow it and whether it is HTML; None when it fits."""
        caption, html = arguments.get("caption"), self._html(arguments)
        if not caption or arguments.get("caption_entities"):
            return None
        first, rest = fit_caption(caption, html=html)
        return (first, rest, html) if rest else None

    def _follow_up(self, arguments: dict[str, Any]) -> dict[str, Any]:
        return {key: arguments[key] for key in _FOLLOW_UP if key in arguments}

    async def _edit_first(self, edit: Awaitable[Any]) -> None:
        """The edit of the first part; unchanged is fine, the rest still goes."""
        try:
            await edit
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                raise

    async def _with_caption(self, send: Callable[..., Awaitable[Message]], arguments: dict[str, Any]) -> Message:
        """Send a media message; the part of its caption that does not fit follows as text."""
        fitted = self._fitted_caption(arguments)
        if fitted is None:
            return await send(**arguments)
        first, rest, html = fitted
        self._noticed("caption", arguments["caption"], [first, *rest], arguments["chat_id"], html)
        markup = arguments.pop("reply_markup", None)
        sent = await send(**{**arguments, "caption": first})
        await self._send_parts(self._follow_up(arguments), rest, markup)
        return sent
