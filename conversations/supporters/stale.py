"""Old supporter buttons speak: a removed supporter, or a suggestion already decided, says so."""

from __future__ import annotations

from html import escape

import aiosqlite

from bot.i18n import translator
from bot.services import RembugApplication
from bot.stale import Explanation, OldTap, StaleButtons, belongs_here
from conversations.supporters.rules import PREFIX, Step, parse_tap
from conversations.supporters.views import b
from storage import supporters

_ABOUT_A_SUPPORTER = {
    Step.SHOW, Step.CONFIRM, Step.REJECT, Step.REMOVE, Step.REMOVE_YES, Step.EDIT_SERVICES,
    Step.EDIT_TOGGLE, Step.EDIT_FIELD, Step.EDIT_KIND, Step.VISIT_SUPPORTER,
}  # fmt: skip


async def explain_supporter(conn: aiosqlite.Connection, tap: OldTap) -> Explanation | None:
    """What happened to the supporter an old ``sp1`` button names."""
    parsed = parse_tap(tap.data)
    if parsed is None or parsed.step not in _ABOUT_A_SUPPORTER:
        return None
    supporter = await supporters.get_supporter(conn, parsed.number or 0)
    if supporter is None:
        return None
    here = await belongs_here(conn, tap, supporter.cluster_id)
    if here is not True:
        return here or None
    _ = translator(tap.lang).gettext
    name = escape(supporter.name)
    back = (b(_("🤝 Supporters"), Step.HOME),)
    if supporter.status in ("removed", "rejected"):
        return Explanation(
            _("This supporter is no longer on the list."),
            _("<b>{name}</b> is no longer on the supporters' list.").format(name=name),
            back,
        )
    if parsed.step in (Step.CONFIRM, Step.REJECT) and supporter.status == "confirmed":
        return Explanation(
            _("Already confirmed."),
            _("<b>{name}</b> was already confirmed; members see it.").format(name=name),
            (b(_("🔍 Open"), Step.SHOW, supporter.id, 0),),
        )
    return None


def register(application: RembugApplication) -> None:
    """Let old supporter buttons speak."""
    application.services.state(StaleButtons).add(PREFIX, explain_supporter)
