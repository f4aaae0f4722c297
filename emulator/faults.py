"""Passing faults, injected on purpose: how a bot copes when Telegram or the network misbehaves.

Real Telegram now and then answers 500, asks a bot to wait (429 with
``retry_after``), or carries out a request whose answer never comes back
(the bot's read times out, yet the message arrived). ``Faults`` makes the
emulator do the same to a share of the bot's sending calls, chosen by a
seeded random generator so a test run can be repeated:

- ``"500"``: refused before anything happens, ``Internal Server Error``;
- ``"429"``: refused before anything happens, ``retry_after`` seconds;
- ``"timeout"``: carried out (the message is delivered), then the answer is
  held ``hang`` seconds, past the bot's read timeout: the bot cannot know it
  arrived.

What was injected is kept in ``injected`` (method, chat id, kind), apart from
the calls the bot got wrong (``BotApiEmulator.rejections``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from emulator.flood import COUNTED_METHODS

KINDS = ("timeout", "429", "500")


@dataclass
class Faults:
    """Which share of the sending calls meet which faults."""

    rate: float = 0.0
    kinds: tuple[str, ...] = KINDS
    seed: int = 0
    hang: float = 2.0
    retry_after: int = 1
    methods: frozenset[str] = COUNTED_METHODS
    chats: frozenset[int] | None = None  # only calls to these chats (None: any chat)
    limit: int | None = None  # at most this many faults in all (None: no limit)
    text: str | None = None  # only calls whose text (or caption) contains this (None: any)
    injected: list[tuple[str, int | None, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {KINDS}")
        self._random = random.Random(self.seed)

    def pick(self, method: str, chat_id: int | None, text: str | None = None) -> str | None:
        """The fault this call meets, if any (and remember it)."""
        if self.rate <= 0 or method.lower() not in self.methods:
            return None
        if self.text is not None and self.text not in (text or ""):
            return None
        if self.chats is not None and chat_id not in self.chats:
            return None
        if self.limit is not None and len(self.injected) >= self.limit:
            return None
        if self._random.random() >= self.rate:
            return None
        kind = self._random.choice(self.kinds)
        self.injected.append((method, chat_id, kind))
        return kind

    def count(self, kind: str) -> int:
        """How many faults of ``kind`` were injected."""
        return sum(1 for _method, _chat, k in self.injected if k == kind)
