"""How many wrong invitation codes a person may type (plain functions, no Telegram, no database).

An invitation code is 8 characters from 31 (about 40 bits): one person's guesses are slowed to
``WRONG_CODE_LIMIT`` per ``WRONG_CODE_WINDOW``, counted from the wrong codes stored for them, so
a restart gives no fresh tries. A code typed while the limit holds is not looked up at all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

WRONG_CODE_LIMIT = 5
WRONG_CODE_WINDOW = timedelta(minutes=10)
FACILITATOR_PERIOD = timedelta(days=7)  # the wrong codes the invitation screen counts


def wait_before_next_code(wrong_codes: Sequence[datetime], now: datetime) -> timedelta | None:
    """How long the person must wait before a code of theirs is looked up again (None: not at all).

    ``wrong_codes``: when they typed a wrong one (any order). They may try again once fewer
    than ``WRONG_CODE_LIMIT`` of them lie within the last ``WRONG_CODE_WINDOW``.
    """
    recent = sorted(moment for moment in wrong_codes if moment > now - WRONG_CODE_WINDOW)
    if len(recent) < WRONG_CODE_LIMIT:
        return None
    return recent[-WRONG_CODE_LIMIT] + WRONG_CODE_WINDOW - now


def minutes_to_wait(wait: timedelta) -> int:
    """The wait in whole minutes as a person reads it: rounded up, at least 1."""
    return max(1, math.ceil(wait.total_seconds() / 60))
