"""Telegram's flood limits, kept on the bot's side of the wire.

PTB's ``AIORateLimiter`` keeps every request under 30 a second overall and 20
a minute per group, and retries a 429 after its ``retry_after``. Telegram also
asks for no more than about one message a second in one private chat; short
bursts pass, longer ones earn a 429. ``RembugRateLimiter`` adds that: each
private chat gets a small bucket (``PRIVATE_BURST`` messages, refilled at
``PRIVATE_RATE`` a second) for the methods that send a new message. Edits
and callback answers are not paced, so tapping through a flow stays quick.

Passing faults are tried again here, for every request but the inbox's long
poll: a request that surely did not take effect (a refused connection, a
5xx; see ``bot.transport``) goes again after ``FAULT_PAUSES``, so a reply
meets one bad moment of the network without the person seeing an apology. A
request in doubt (its answer lost after it went out) is never repeated here:
it may have arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

from bot.transport import never_sent

_LOGGER = logging.getLogger(__name__)
FAULT_PAUSES = (0.5, 1.0, 2.0)  # seconds before each new try of a request that did not take effect

PRIVATE_BURST = 8
PRIVATE_RATE = 1.0  # messages a second, sustained
_TRACKED_CHATS = 10_000  # limiters kept for the most recently used chats


class RembugRateLimiter(AIORateLimiter):
    """PTB's rate limiter plus a per-private-chat bucket for new messages."""

    def __init__(self, max_retries: int = 3) -> None:
        super().__init__(max_retries=max_retries)
        self._private: OrderedDict[int, AsyncLimiter] = OrderedDict()

    def _private_limiter(self, chat_id: int) -> AsyncLimiter:
        limiter = self._private.pop(chat_id, None) or AsyncLimiter(PRIVATE_BURST, PRIVATE_BURST / PRIVATE_RATE)
        self._private[chat_id] = limiter
        while len(self._private) > _TRACKED_CHATS:
            self._private.popitem(last=False)
        return limiter

    async def process_request(
        self,
        callback: Any,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        """Wait for the private chat's bucket (new messages only), apply PTB's limits, try passing faults again."""
        pauses = () if endpoint == "getUpdates" else FAULT_PAUSES
        for attempt in range(len(pauses) + 1):
            try:
                return await self._limited(callback, args, kwargs, endpoint, data, rate_limit_args)
            except RetryAfter:
                raise  # PTB's limiter already waited and tried again
            except Exception as error:
                if attempt == len(pauses) or not never_sent(error):
                    raise
                _LOGGER.info("%s did not go through (%s); trying again in %.1f s", endpoint, error, pauses[attempt])
                await asyncio.sleep(pauses[attempt])
        raise AssertionError("unreachable")

    async def _limited(
        self,
        callback: Any,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        chat_id: int | None = None
        raw_chat_id = data.get("chat_id")
        if raw_chat_id is not None:
            with contextlib.suppress(TypeError, ValueError):  # a channel's @username is no private chat
                chat_id = int(raw_chat_id)
        if chat_id is not None and chat_id > 0 and _sends_a_message(endpoint):
            async with self._private_limiter(chat_id):
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


def _sends_a_message(endpoint: str) -> bool:
    return (endpoint.startswith("send") and endpoint != "sendChatAction") or endpoint in (
        "copyMessage",
        "forwardMessage",
    )
