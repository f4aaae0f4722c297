"""What every step of the plans flow starts from: the tapped button as a typed value, the plan it
names when the sender may see or run it, and opening one of the plan's questionnaires.

Building, the board, check-ins and evaluations all import this module and none of them imports
another for these, so the flow's modules import each other in one direction only.
"""

from __future__ import annotations

from typing import Any, TypeVar

import aiosqlite
from telegram import Update

from bot.context import RembugContext
from bot.permissions import require
from bot.replies import answer_tap
from bot.roles import Action, allowed
from bot.stale import explain_stale
from bot.update_parts import query_of
from conversations.plans import notices, rules
from storage import action_plans as plans
from storage import forms
from storage.action_plans import Plan

T = TypeVar("T")


async def tap_of(update: Update, context: RembugContext, kind: type[T]) -> T | None:
    """The tapped plans button when it is a ``kind`` (``rules.PlanTap``...); a stale or forged one is
    answered with the stale-button answer and None comes back."""
    tap = rules.parse_tap(query_of(update).data)
    if not isinstance(tap, kind):
        await explain_stale(update, context)
        return None
    return tap


async def plan_in_cluster(conn: aiosqlite.Connection, context: RembugContext, plan_id: int | None) -> Plan | None:
    """The plan, only when it is in the sender's cluster and they may see it (members: published or closed ones)."""
    plan = await plans.get_plan(conn, plan_id) if plan_id else None
    if plan is None:
        return None
    may_run = allowed(context.standing, Action.RUN_PLANS)
    return plan if rules.plan_visible(plan.cluster_id, plan.status, context.standing.cluster_id, may_run) else None


async def viewable_plan(update: Update, context: RembugContext) -> Plan | None:
    """The plan named by the button, when the sender may see it (the button answered either way)."""
    if not await require(update, context, Action.VIEW_PLANS):
        return None
    tap = rules.parse_tap(query_of(update).data)
    plan_id = tap.target if isinstance(tap, rules.PageTap) else tap.plan_id if isinstance(tap, rules.PlanTap) else None
    async with context.db.read() as conn:
        plan = await plan_in_cluster(conn, context, plan_id)
    if plan is None:
        await explain_stale(update, context)
        return None
    await answer_tap(update.callback_query)
    return plan


async def plan_to_run(update: Update, context: RembugContext, *, closed_ok: bool = False) -> Plan | None:
    """The plan named by the button, for a facilitator, when it is not closed (unless ``closed_ok``:
    a closed plan can still be downloaded); refusals answered."""
    if not await require(update, context, Action.RUN_PLANS):
        return None
    tap = await tap_of(update, context, rules.PlanTap)
    if tap is None:
        return None
    async with context.db.read() as conn:
        plan = await plan_in_cluster(conn, context, tap.plan_id)
    if plan is None:
        await explain_stale(update, context)
        return None
    if plan.status == "closed" and not closed_ok:
        await answer_tap(update.callback_query, notices.plan_closed(context.lang), show_alert=True)
        return None
    return plan


async def start_form(
    update: Update, context: RembugContext, form_id: str, subject: str, prefill: dict[str, Any] | None = None
) -> None:
    """Start (or resume) the sender's response to ``form_id`` about ``subject`` and show it."""
    dialog = context.services.forms
    form = dialog.latest(form_id)
    now = context.clock.now()
    async with context.db.transaction() as tx:
        response = await forms.start_response(
            tx,
            form_id=form.id,
            form_version=form.version,
            subject=subject,
            respondent_id=context.user.id,
            respondent_name=None,
            entered_by=context.user.id,
            now=now,
        )
        for name, value in (prefill or {}).items():
            if name not in response.answers:
                await forms.save_answer(tx, response.id, name, value, None, now)
    await dialog.show(update, context, response.id)
