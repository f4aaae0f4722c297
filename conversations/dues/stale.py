"""Old dues buttons speak: a confirm screen tapped again says the payment is recorded already, once."""

from __future__ import annotations

from typing import Any

from bot.i18n import translator
from bot.services import RembugApplication
from bot.stale import Explanation, StaleButtons
from conversations.dues import paying, setting
from conversations.dues.views import home_button


def recorded_already(lang: str, _effect: dict[str, Any]) -> Explanation:
    """A payment's ✅ Record tapped again: recorded once, not twice."""
    _ = translator(lang).gettext
    return Explanation(
        _("Recorded already."),
        _("This payment was recorded already; nothing was recorded twice."),
        (home_button(lang),),
    )


def set_already(lang: str, _effect: dict[str, Any]) -> Explanation:
    """The dues' first month tapped again: the dues were set once."""
    _ = translator(lang).gettext
    return Explanation(_("Done already."), _("These dues were set already; nothing was changed."), (home_button(lang),))


def register(application: RembugApplication) -> None:
    """Let old dues buttons say what they already did."""
    engine = application.services.state(StaleButtons)
    engine.done(paying.FLOW, recorded_already)
    engine.done(setting.FLOW, set_already)
