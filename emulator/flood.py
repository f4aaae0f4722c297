"""Telegram's flood limits as token buckets, so a bot learns to pace itself.

Only sending methods count (see `COUNTED_METHODS`): Telegram's published
guidance is about messages, and edits or chat actions are not what gets a
bot a 429 in practice.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

# sendChatAction is left out on purpose: a "typing…" before each reply would
# otherwise halve what a bot may say to a user.
COUNTED_METHODS = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "senddocument",
        "sendvoice",
        "sendaudio",
        "sendvideo",
        "sendanimation",
        "sendvideonote",
        "sendlocation",
        "sendvenue",
        "sendcontact",
        "sendpoll",
        "senddice",
        "sendsticker",
        "sendmediagroup",
        "sendpaidmedia",
        "sendinvoice",
        "sendgame",
        "sendchecklist",
        "copymessage",
        "copymessages",
        "forwardmessage",
        "forwardmessages",
    }
)


@dataclass
class FloodLimits:
    """Rates (tokens per second) and bursts of the three buckets; `enabled=False` turns them off.

    `tolerance` forgives a call that is early by at most that many seconds:
    a bot pacing itself exactly at the published rate measures time when it
    sends, the server when the request arrives, and the two differ by
    network jitter. Set it to 0 for an exact bucket.
    """

    overall_rate: float = 30.0
    overall_burst: int = 30
    private_rate: float = 1.0
    private_burst: int = 10
    group_rate: float = 20 / 60
    group_burst: int = 20
    enabled: bool = True
    tolerance: float = 0.1

    @classmethod
    def off(cls) -> FloodLimits:
        """Limits that never refuse a call."""
        return cls(enabled=False)


@dataclass
class TokenBucket:
    """`burst` tokens at most, refilled at `rate` per second."""

    rate: float
    burst: int
    tokens: float = 0.0
    updated: float | None = None  # None until first used: a fresh bucket starts full

    def wait_needed(self, now: float) -> float:
        """Seconds until one token is available (0 when one is there now)."""
        self._refill(now)
        if self.tokens >= 1:
            return 0.0
        if self.rate <= 0:
            return math.inf
        return (1 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        """Spend one token; a call forgiven as slightly early leaves the bucket in debt."""
        self._refill(now)
        self.tokens -= 1

    def _refill(self, now: float) -> None:
        if self.updated is None:
            self.tokens, self.updated = float(self.burst), now
            return
        self.tokens = min(float(self.burst), self.tokens + (now - self.updated) * self.rate)
        self.updated = now


class FloodControl:
    """The overall bucket plus one bucket per chat."""

    def __init__(self, limits: FloodLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._overall = TokenBucket(limits.overall_rate, limits.overall_burst)
        self._chats: dict[int, TokenBucket] = {}

    def retry_after(self, method: str, chat_id: int | None) -> int:
        """0 if the call may go now (and spends its tokens), else whole seconds to wait."""
        if not self.limits.enabled or method.lower() not in COUNTED_METHODS:
            return 0
        now = self.clock()
        buckets = [self._overall]
        if chat_id is not None:
            buckets.append(self._chat_bucket(chat_id))
        # Check every bucket before spending, so a refused call costs nothing.
        wait = max(bucket.wait_needed(now) for bucket in buckets)
        if wait > self.limits.tolerance:
            return max(1, math.ceil(wait)) if wait != math.inf else 3600
        for bucket in buckets:
            bucket.take(now)
        return 0

    def _chat_bucket(self, chat_id: int) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            limits = self.limits
            if chat_id < 0:
                bucket = TokenBucket(limits.group_rate, limits.group_burst)
            else:
                bucket = TokenBucket(limits.private_rate, limits.private_burst)
            self._chats[chat_id] = bucket
        return bucket
