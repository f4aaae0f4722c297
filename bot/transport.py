"""How a failed Bot API request ended: refused before it took effect, or in doubt.

A request can fail in two very different ways, and sending again is only safe
for one of them:

- **Not sent.** The connection was refused or never made (``ConnectError``,
  ``ConnectTimeout``, a full connection pool), or Telegram answered that it
  did not do it (a 5xx, or 429 with ``retry_after``, which PTB's rate limiter
  already waits out). Sending again cannot make a second copy.
- **In doubt.** The request went out and the answer was lost: the response
  timed out (``ReadTimeout``, ``WriteTimeout``) or the connection broke while
  waiting (``ReadError``, ``RemoteProtocolError``). Telegram may have delivered
  it. Sending again behind the sender's back could deliver it twice, so the
  outbox records such a letter as ``unknown`` and lets the sender decide.

PTB wraps httpx's exceptions (as ``__cause__``) in ``TimedOut`` and
``NetworkError``; a ``NetworkError`` without an httpx cause is Telegram's own
error answer (a 5xx).
"""

from __future__ import annotations

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

_NEVER_LEFT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def never_sent(error: BaseException) -> bool:
    """True when the request surely did not take effect, so sending again makes no second copy."""
    if isinstance(error, RetryAfter):
        return True
    if not isinstance(error, NetworkError) or isinstance(error, BadRequest):  # a 400 is a refusal, not a fault
        return False
    cause = error.__cause__
    if isinstance(cause, _NEVER_LEFT):
        return True
    if isinstance(error, TimedOut):
        # PTB raises a pool timeout with its own words and sometimes without a cause.
        return "pool timeout" in str(error).lower()
    return cause is None or not isinstance(cause, httpx.HTTPError)  # Telegram answered with a 5xx


def in_doubt(error: BaseException) -> bool:
    """True when the request went out and its answer was lost: it may have been delivered."""
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest) and not never_sent(error)
