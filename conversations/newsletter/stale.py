"""Old newsletter buttons speak: the review's Post tapped again says the edition was already made (once)."""

from __future__ import annotations

from typing import Any

from bot.i18n import translator
from bot.services import RembugApplication
from bot.stale import Explanation, StaleButtons

FLOW = "newsletter"  # the edition flow's draft (``edition.FLOW``), whose end notes the edition it made


def edition_made(lang: str, effect: dict[str, Any]) -> Explanation:
    """The review's Post tapped again: the edition was made once."""
    _ = translator(lang).gettext
    return Explanation(
        _("This edition was already made."),
        _("This edition of the newsletter was already made (and posted, when the cluster has a channel)."),
    )


def register(application: RembugApplication) -> None:
    """Let old newsletter buttons speak."""
    application.services.state(StaleButtons).done(FLOW, edition_made)
