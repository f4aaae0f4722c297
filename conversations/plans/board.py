"""The plan board: activities by status, late check-ins, indicators against target (text and chart)."""

from __future__ import annotations

import asyncio
import io
from html import escape

from telegram import InlineKeyboardMarkup, InputFile, Update

from bot.buttons import callback_data
from bot.context import RembugContext
from bot.i18n import translator
from bot.page_buttons import page_line, page_rows
from bot.paging import page_of
from bot.replies import answer
from bot.update_parts import chat_of
from conversations.plans import rules
from conversations.plans.access import tap_of, viewable_plan
from conversations.plans.chart import plan_chart
from conversations.plans.views import ACTIVITY_STATUS, button, indicator_line
from storage import action_plans as plans
from storage import plan_checkins
from storage.action_plans import Plan


async def board_facts(context: RembugContext, plan: Plan):
    """What the board shows: status counts, late check-ins, indicators with their latest values."""
    async with context.db.read() as conn:
        activities = await plans.activities_of(conn, plan.id)
        history = await plan_checkins.checkins_of_plan(conn, plan.id)
        indicators = await plans.indicators_of(conn, plan.id)
        late = [
            (a, p)
            for a, p in await plan_checkins.overdue_check_ins(conn, plan.cluster_id, context.clock.now())
            if a.plan_id == plan.id
        ]
    latest = {}
    for checkin in history:
        latest[checkin.activity_id] = checkin
    counts: dict[str, int] = {}
    for activity in activities:
        status = latest[activity.id].status if activity.id in latest else "no_report"
        counts[status] = counts.get(status, 0) + 1
    values = {}
    for indicator in indicators:
        moving = {a.id for a in activities if a.indicator_id == indicator.id}
        values[indicator.id] = rules.latest_value(
            [(c.period_start, c.indicator_value) for c in history if c.activity_id in moving]
        )
    return counts, late, indicators, values


def board_screen(lang: str, plan: Plan, facts: tuple, page: int = 0) -> tuple[str, InlineKeyboardMarkup]:
    """The plan at a glance, as a short message: the overdue reports a page at a time, the first indicators."""
    _ = translator(lang).gettext
    counts, late, indicators, values = facts
    shown, page, pages = page_of(late, page, rules.OVERDUE_PAGE)
    lines = [_("📊 <b>{title}</b>: plan board").format(title=escape(plan.title)), "", _("<b>Activities by status</b>")]
    for status, label in ACTIVITY_STATUS.items():
        if counts.get(status):
            lines.append(f"• {_(label)}: {counts[status]}")
    lines += [
        "",
        _("<b>Overdue progress reports:</b> {count}").format(count=len(late))
        + (" · " + page_line(lang, page, pages) if pages > 1 else ""),
    ]
    lines += [f"• {escape(a.title)} ({escape(a.owner_name or '')})" for a, _p in shown]
    if indicators:
        lines += ["", _("<b>Indicators against target</b>")]
        lines += ["• " + indicator_line(lang, i, values[i.id]) for i in indicators[: rules.BOARD_INDICATORS]]
        if len(indicators) > rules.BOARD_INDICATORS:
            lines.append(_("… and {count} more").format(count=len(indicators) - rules.BOARD_INDICATORS))
    rows = page_rows(lang, page, pages, lambda number: callback_data(rules.PREFIX, "brd", plan.id, number))
    rows.append([button(_("◀ Back"), "p", plan.id)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def board_text(context: RembugContext, plan: Plan) -> str:
    """The plan board's first page as text (the mid-term evaluation starts from it)."""
    return board_screen(context.lang, plan, await board_facts(context, plan))[0]


async def show_board(update: Update, context: RembugContext) -> None:
    """The board of one plan (``pl1:brd:<plan>``): the message, then the chart; its pages
    (``pl1:brd:<plan>:<page>``) turn in place."""
    tap = await tap_of(update, context, rules.PageTap)
    plan = await viewable_plan(update, context) if tap else None
    if tap is None or plan is None:
        return
    facts = await board_facts(context, plan)
    text, keyboard = board_screen(context.lang, plan, facts, tap.page or 0)
    if tap.page is not None:
        await answer(update, text, keyboard)
        return
    await chat_of(update).send_message(text, reply_markup=keyboard)
    counts, _late, indicators, values = facts
    picture = await asyncio.to_thread(plan_chart, context.lang, plan.title, counts, indicators, values)
    await chat_of(update).send_photo(InputFile(io.BytesIO(picture), filename="plan.png"))
