"""Telegram's flood limits, kept on the bot's side of the wire.

One ``SendBudget`` holds Telegram's 30 requests a second (to chats) for the
whole bot, and it has two queues: replies to people always take the next
free slot, and the outbox's deliveries (sent inside ``background_sends()``)
take whatever replies leave. So a broadcast goes at the ceiling when nobody
writes, and a member who writes during it is answered at once. PTB's
``AIORateLimiter`` keeps 20 a minute per group and retries a 429 after its
``retry_after``. Telegram also
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
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextvars import ContextVar
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
OVERALL_RATE = 30.0  # requests to chats a second, the whole bot (Telegram's "about 30 messages per second")
OVERALL_BURST = 30  # requests that may go at once after a quiet moment (as PTB's limiter allowed: 30 in a second)

# Inside background_sends(): how many of its requests were paid for already (a one-item list, spent in place).
_BACKGROUND: ContextVar[list[int] | None] = ContextVar("rembug_background_send", default=None)


@contextlib.contextmanager
def background_sends(prepaid: int = 0) -> Iterator[None]:
    """Requests made inside take only what replies to people leave of the send budget (the outbox's); the
    first ``prepaid`` of them spend a token the caller already took (the outbox takes its token before it
    claims a row, so a row is never marked "sending" while it waits its turn)."""
    token = _BACKGROUND.set([prepaid])
    try:
        yield
    finally:
        _BACKGROUND.reset(token)


class SendBudget:
    """A token bucket of ``rate`` requests a second with two queues: a reply takes the next token as soon
    as there is one; a background request takes one only while no reply is waiting."""

    def __init__(
        self, rate: float = OVERALL_RATE, burst: int = OVERALL_BURST, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate, self.burst, self._clock = rate, burst, clock
        self._tokens = float(burst)
        self._stamp = clock()
        self._replies_waiting = 0

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(float(self.burst), self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    async def take(self, *, background: bool = False) -> None:
        """Wait for a token (behind every waiting reply when ``background``) and spend it."""
        if not background:
            self._replies_waiting += 1
        try:
            while True:
                self._refill()
                if self._tokens >= 1 - 1e-9 and not (background and self._replies_waiting):  # float dust
                    self._tokens -= 1
                    return
                # A reply sleeps until the next token is due; the outbox looks again soon, behind the replies.
                await asyncio.sleep(max((1 - self._tokens) / self.rate, 0.002))
        finally:
            if not background:
                self._replies_waiting -= 1


class RembugRateLimiter(AIORateLimiter):
    """PTB's rate limiter for groups and 429s, the shared send budget, and a per-private-chat bucket for
    new messages."""

    def __init__(self, max_retries: int = 3, budget: SendBudget | None = None) -> None:
        super().__init__(overall_max_rate=0, max_retries=max_retries)  # the budget below replaces PTB's 30/s
        self.budget = budget or SendBudget()
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

    async def _spend(self) -> None:
        """Take this request's token: a reply's at once, the outbox's behind the replies, or one it paid."""
        background = _BACKGROUND.get()
        if background is not None and background[0] > 0:
            background[0] -= 1
            return
        await self.budget.take(background=background is not None)

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
                await self._spend()
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        if raw_chat_id is not None:  # what PTB's overall limiter counted: every request to a chat
            await self._spend()
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


def _sends_a_message(endpoint: str) -> bool:
    return (endpoint.startswith("send") and endpoint != "sendChatAction") or endpoint in (
        "copyMessage",
        "forwardMessage",
    )
