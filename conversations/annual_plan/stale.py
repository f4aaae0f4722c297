"""Old annual plan buttons speak: a training or study tour already removed, a version already replaced."""

from __future__ import annotations

import aiosqlite

from bot.i18n import translator
from bot.services import RembugApplication
from bot.stale import Explanation, OldTap, StaleButtons, belongs_here
from conversations.annual_plan.rules import PREFIX, Step, parse_tap
from conversations.annual_plan.views import b
from storage import annual_plans

_ABOUT_A_VERSION = {Step.RESPONSES, Step.ASK_MEETING, Step.ADOPT}


async def explain_annual_plan(conn: aiosqlite.Connection, tap: OldTap) -> Explanation | None:
    """What happened to the event or the version an old ``ap1`` button names."""
    parsed = parse_tap(tap.data)
    if parsed is None:
        return None
    _ = translator(tap.lang).gettext
    if parsed.step is Step.REMOVE:
        event = await annual_plans.get_event(conn, parsed.first)
        if event is None:
            return None
        here = await belongs_here(conn, tap, event.cluster_id)
        if here is not True:
            return here or None
        back = (b(_("« Annual plan {year}").format(year=event.year), Step.HOME, event.year),)
        return Explanation(_("Already removed."), _("This was already removed from the annual plan."), back)
    if parsed.step in _ABOUT_A_VERSION:
        version = await annual_plans.get_version(conn, parsed.first)
        if version is None:
            return None
        here = await belongs_here(conn, tap, version.cluster_id)
        if here is not True:
            return here or None
        back = (b(_("📨 Draft and adoption"), Step.DRAFTS, version.year),)
        if version.status == "adopted":
            return Explanation(_("Already adopted."), _("This version of the annual plan is already adopted."), back)
        return Explanation(
            _("A newer version was sent."), _("A newer version of the annual plan was sent to members since."), back
        )
    return None


def register(application: RembugApplication) -> None:
    """Let old annual plan buttons speak."""
    application.services.state(StaleButtons).add(PREFIX, explain_annual_plan)
