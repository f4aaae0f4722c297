"""Telegram's flood limits, kept on the bot's side of the wire.

PTB's ``AIORateLimiter`` keeps every request under 30 a second overall and 20
a minute per group, and retries a 429 after its ``retry_after``. Telegram also
asks for no more than about one message a second in one private chat; short
bursts pass, longer ones earn a 429. ``RembugRateLimiter`` adds that: each
private chat gets a small bucket (``PRIVATE_BURST`` messages, refilled at
``PRIVATE_RATE`` a second) for the methods that send a new message. Edits
and callback answers are not paced, so tapping through a flow stays quick.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter

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
        """Wait for the private chat's bucket (new messages only), then apply PTB's limits."""
        chat_id = data.get("chat_id")
        with contextlib.suppress(TypeError, ValueError):
            chat_id = int(chat_id)
        if isinstance(chat_id, int) and chat_id > 0 and _sends_a_message(endpoint):
            async with self._private_limiter(chat_id):
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


def _sends_a_message(endpoint: str) -> bool:
    return endpoint.startswith("send") and endpoint != "sendChatAction" or endpoint in ("copyMessage", "forwardMessage")
