"""Old plan buttons speak: a button of a plan that was published or closed says so, with the way to the plan."""

from __future__ import annotations

from html import escape

import aiosqlite
from telegram import InlineKeyboardButton

from bot.buttons import callback_data
from bot.i18n import translator
from bot.services import RembugApplication
from bot.stale import Explanation, OldTap, StaleButtons, belongs_here
from bot.stale_rules import Verdict
from conversations.plans.rules import PREFIX, PlanTap, parse_tap
from conversations.plans.stale_rules import plan_verdict
from storage import action_plans as plans


async def explain_plan(conn: aiosqlite.Connection, tap: OldTap) -> Explanation | None:
    """What happened to the plan an old ``pl1`` button names."""
    parsed = parse_tap(tap.data)
    plan = await plans.get_plan(conn, parsed.plan_id) if isinstance(parsed, PlanTap) else None
    if plan is None or not isinstance(parsed, PlanTap):
        return None
    here = await belongs_here(conn, tap, plan.cluster_id)
    if here is not True:
        return here or None  # left it, or works elsewhere now; nothing for a stranger
    verdict = plan_verdict(plan.status, parsed.key)
    return plan_explanation(tap.lang, plan.id, plan.title, verdict) if verdict else None


def plan_explanation(lang: str, plan_id: int, title: str, verdict: Verdict) -> Explanation:
    """The sentence for a plan's verdict; the way on: the plan as it is now."""
    _ = translator(lang).gettext
    if verdict is Verdict.DONE:
        toast = _("This plan is already published.")
        text = _("The action plan <b>{title}</b> is already published; it is no longer built here.")
    else:
        toast = _("This plan is closed; it takes no more changes or progress reports.")
        text = _("The action plan <b>{title}</b> is closed; it takes no more changes or progress reports.")
    forward = InlineKeyboardButton(_("📋 Open the plan"), callback_data=callback_data(PREFIX, "p", plan_id))
    return Explanation(toast, text.format(title=escape(title)), (forward,))


def register(application: RembugApplication) -> None:
    """Let old plan buttons speak."""
    application.services.state(StaleButtons).add(PREFIX, explain_plan)
