"""Old broadcast buttons speak: the review's Send tapped again says the broadcast already went out (once)."""

from __future__ import annotations

from typing import Any

from bot.i18n import translator
from bot.services import RembugApplication
from bot.stale import Explanation, StaleButtons

FLOW = "broadcast"  # the compose flow's draft (``compose.FLOW``), whose end notes the broadcast it booked


def broadcast_sent(lang: str, effect: dict[str, Any]) -> Explanation:
    """The review's Send (or a time) tapped again: booked once, not sent twice."""
    _ = translator(lang).gettext
    if effect.get("later"):
        return Explanation(
            _("This broadcast is already booked."),
            _("This broadcast is already booked to be sent; it is not sent twice. You can cancel it from its report."),
        )
    return Explanation(
        _("This broadcast was already sent."), _("This broadcast was already sent; it is not sent twice.")
    )


def register(application: RembugApplication) -> None:
    """Let old broadcast buttons speak."""
    application.services.state(StaleButtons).done(FLOW, broadcast_sent)
