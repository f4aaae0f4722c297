"""A person sending updates faster than anyone types is slowed down where updates enter (bot/inbox.py).

More than ``FLOOD_LIMIT`` updates from one person within ``FLOOD_WINDOW``: the first one over
is answered once, briefly, that they are going too fast (``Verdict.WARN``); the rest are filed
as handled without being handed to the flows (``Verdict.DROP``), so they cost no answer from
the bot's send budget and are never tried again. Every update counts, dropped ones too, so
someone who keeps flooding stays slowed; once a window passes with fewer, they are answered again.

Counted in memory, not in the database: the window is ten seconds, so a restart (which takes
longer) loses nothing worth keeping, and counting must cost nothing on the path of every update.
It stays small: per person at most ``FLOOD_LIMIT`` arrival times, and people not heard from
within the window are forgotten as the count goes (oldest first).
"""

from __future__ import annotations

import enum
from collections import OrderedDict, deque
from dataclasses import dataclass, field

from bot.i18n import translator

FLOOD_LIMIT = 20
FLOOD_WINDOW = 10.0  # seconds of the machine's monotonic clock: a pace is real time, whatever the test clock says


class Verdict(enum.Enum):
    """What becomes of one arriving update."""

    PASS = "pass"  # handled as usual
    WARN = "warn"  # not handled; the sender is told once that they go too fast
    DROP = "drop"  # not handled, no answer


@dataclass
class _Sender:
    arrivals: deque[float] = field(default_factory=lambda: deque(maxlen=FLOOD_LIMIT))
    warned: bool = False


class Throttle:
    """Per-person counts of the updates that arrived within the last ``window`` seconds."""

    def __init__(self, limit: int = FLOOD_LIMIT, window: float = FLOOD_WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._senders: OrderedDict[int, _Sender] = OrderedDict()  # least recently heard from first

    def arrive(self, user_id: int, now: float) -> Verdict:
        """Count one update from ``user_id`` arriving at ``now`` (``time.monotonic()``) and say what becomes of it."""
        self._forget_quiet(now)
        sender = self._senders.pop(user_id, None) or _Sender(deque(maxlen=self.limit))
        self._senders[user_id] = sender  # now the most recently heard from
        full = len(sender.arrivals) == self.limit and sender.arrivals[0] > now - self.window
        sender.arrivals.append(now)
        if not full:
            sender.warned = False
            return Verdict.PASS
        if sender.warned:
            return Verdict.DROP
        sender.warned = True
        return Verdict.WARN

    def __len__(self) -> int:
        """How many people are being counted now."""
        return len(self._senders)

    def _forget_quiet(self, now: float) -> None:
        while self._senders:
            user_id, oldest = next(iter(self._senders.items()))
            if oldest.arrivals and oldest.arrivals[-1] > now - self.window:
                return
            del self._senders[user_id]


def too_fast(lang: str) -> str:
    """The one answer to a person who sends too much too fast."""
    return translator(lang).gettext("⏳ You are sending messages too fast. Wait a few seconds, then try again.")
