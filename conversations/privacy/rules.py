"""Rules of the privacy flow (plain functions).

/privacy is a short overview and four parts, one phone screen each; its buttons carry
``pv1:<part>`` and ``parse_privacy_button`` reads them back (anything else is stale or forged).
"""

from __future__ import annotations

from enum import StrEnum

from bot.buttons import callback_data, parse_callback

PREFIX = "pv1"
SCREEN = 700  # visible characters on one screen of /privacy: one phone screen


class PrivacyPart(StrEnum):
    """A screen of /privacy."""

    OVERVIEW = "home"  # why Rembug keeps data, and the four parts to choose from
    STORED = "stored"  # what is stored, and why
    WHO = "who"  # who in the cluster sees what
    KEPT = "kept"  # how long it is kept
    RIGHTS = "rights"  # how to see, download, correct and erase it


PARTS = (PrivacyPart.STORED, PrivacyPart.WHO, PrivacyPart.KEPT, PrivacyPart.RIGHTS)  # the buttons, in order


def privacy_button_data(part: PrivacyPart) -> str:
    """The callback data of the button that opens ``part`` (the inverse of ``parse_privacy_button``)."""
    return callback_data(PREFIX, part.value)


def parse_privacy_button(data: str | None) -> PrivacyPart | None:
    """Read a privacy button, or ``None`` when it is stale or forged."""
    parts = parse_callback(data, PREFIX)
    if not parts or len(parts) != 1:
        return None
    try:
        return PrivacyPart(parts[0])
    except ValueError:
        return None
