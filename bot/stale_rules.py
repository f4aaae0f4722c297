"""What happened to the thing an old button is about: the verdicts every flow's stale-button rules return.

A flow's ``rules.py`` (or its ``stale_rules.py``) decides, from the object's stored state, which
``Verdict`` applies; its views turn the verdict into a sentence and the way forward. Pure: no
telegram, no aiosqlite.
"""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    """Why a button no longer does what it says."""

    FINISHED = "finished"  # the thing ran to its end (a session, a meeting that took place)
    CANCELLED = "cancelled"  # called off (a meeting), discarded (a draft)
    CLOSED = "closed"  # no longer takes answers (a round, a vote, a collection)
    REPLACED = "replaced"  # a newer one took its place (a round, a plan version)
    STARTED = "started"  # it began: answers before the start are over
    DONE = "done"  # the step was already taken (a confirm screen tapped twice, a draft already sent)
    NOT_YOURS = "not_yours"  # of a cluster the person left, or a role they no longer hold
    UNKNOWN = "unknown"  # gone, forged, or of an older layout
