"""Ticking who paid (the treasurer or a facilitator): pick a member (paged, typing searches), tick
several months or years at once, confirm. The payment is stored per period AND as one income entry
of the cash book, in one transaction; a replayed or repeated confirmation records nothing twice."""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import finish_draft, read_draft, replayed_effect, save_answers, start_draft
from bot.outbox import send_texts
from bot.recipients import language_of
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import message_of
from conversations.dues import ledger, rules, views
from conversations.dues.home import pressed
from conversations.dues.ledger import Ledger
from conversations.dues.rules import Step
from conversations.money import notices as money_notices
from conversations.money import rules as money_rules
from storage import cash_book, dues, memberships
from storage.memberships import Membership

FLOW = "dues_pay"


async def _ledger(context: RembugContext) -> Ledger | None:
    async with context.db.read() as conn:
        return await ledger.ledger_of(conn, context.standing.current_cluster_id, context.clock.now())


async def _show_picker(update: Update, context: RembugContext, page: int) -> str:
    draft = await read_draft(context, FLOW)
    found = await _ledger(context)
    if found is None:
        await explain_stale(update, context)
        return "member"
    async with context.db.read() as conn:
        members = await ledger.paying_members(conn, found.stored.cluster_id)
        late = {a.user_id: a.periods for a in await ledger.arrears_of(conn, found)}
    wanted = set(rules.search_matches([(m.user_id, m.full_name) for m in members], draft.get("search")))
    listed = [(m.user_id, m.full_name, late.get(m.user_id, 0)) for m in members if m.user_id in wanted]
    await answer(update, *views.picker(context.lang, listed, page, draft.get("search"), found.terms.cadence))
    return "member"


async def begin(update: Update, context: RembugContext) -> str | int:
    """✅ Record a payment (``du1:pay``): who paid?"""
    if await pressed(update, context, Action.MANAGE_DUES, Step.PAY) is None:
        return ConversationHandler.END
    found = await _ledger(context)
    if found is None:
        await answer_tap(update.callback_query, views.no_dues_yet(context.lang), show_alert=True)
        return ConversationHandler.END
    cluster_id = context.standing.cluster_id
    if (
        await start_draft(update, context, Action.MANAGE_DUES, FLOW, cluster_id=cluster_id, terms=found.stored.id)
        is None
    ):
        return ConversationHandler.END
    return await _show_picker(update, context, 0)


async def turn_page(update: Update, context: RembugContext) -> str:
    """Another page of members (``du1:pp:<page>``), or everyone again without the search (``du1:pa``)."""
    tap = await pressed(update, context, Action.MANAGE_DUES, Step.PAGE, Step.ALL)
    if tap is None:
        return "member"
    if tap.step is Step.ALL:
        await save_answers(context, FLOW, search=None, member=None, chosen=[])
    await answer_tap(update.callback_query)
    return await _show_picker(update, context, tap.number or 0)


async def receive_search(update: Update, context: RembugContext) -> str:
    """Typed part of a name: the members whose name holds it."""
    await save_answers(context, FLOW, search=rules.clean_search(message_of(update).text))
    return await _show_picker(update, context, 0)


async def _member(context: RembugContext, user_id: int) -> Membership | None:
    async with context.db.read() as conn:
        member = await memberships.get_membership(conn, context.standing.current_cluster_id, user_id)
    return member if member is not None and ledger.pays_dues(member) else None


async def _show_periods(update: Update, context: RembugContext, draft: dict[str, Any]) -> str:
    found = await _ledger(context)
    member = await _member(context, draft.get("member") or 0)
    if found is None or member is None or found.stored.id != draft.get("terms"):
        await explain_stale(update, context)
        return "periods"
    async with context.db.read() as conn:
        paid = await dues.paid_periods(conn, found.stored.cluster_id, member.user_id)
    since = ledger.since_of(found, member)
    own = rules.status(found.schedule, since, paid, found.today)
    offered = rules.choices(found.schedule, since, paid, found.today)
    chosen = {d for d in (rules.read_period(code) for code in draft.get("chosen", [])) if d}
    await answer(update, *views.periods_screen(context.lang, member.full_name, found.schedule, own, offered, chosen))
    return "periods"


async def choose_member(update: Update, context: RembugContext) -> str:
    """A member tapped (``du1:pm:<user>``): their status and the periods to tick."""
    tap = await pressed(update, context, Action.MANAGE_DUES, Step.MEMBER)
    if tap is None:
        return "member"
    if await _member(context, tap.number or 0) is None:
        await explain_stale(update, context)
        return "member"
    draft = await save_answers(context, FLOW, member=tap.number, chosen=[])
    await answer_tap(update.callback_query)
    return await _show_periods(update, context, draft)


async def toggle_period(update: Update, context: RembugContext) -> str:
    """A period ticked or unticked (``du1:pt:<yyyymm>``), stored at once so a restart keeps it."""
    tap = await pressed(update, context, Action.MANAGE_DUES, Step.TOGGLE)
    if tap is None or tap.period is None:
        return "periods"
    draft = await read_draft(context, FLOW)
    found = await _ledger(context)
    member = await _member(context, draft.get("member") or 0)
    if found is None or member is None:
        await explain_stale(update, context)
        return "periods"
    async with context.db.read() as conn:
        paid = await dues.paid_periods(conn, found.stored.cluster_id, member.user_id)
    if tap.period not in rules.choices(found.schedule, ledger.since_of(found, member), paid, found.today):
        await explain_stale(update, context)
        return "periods"
    chosen = set(draft.get("chosen", [])) ^ {rules.period_code(tap.period)}
    draft = await save_answers(context, FLOW, chosen=sorted(chosen))
    await answer_tap(update.callback_query)
    return await _show_periods(update, context, draft)


async def to_review(update: Update, context: RembugContext) -> str:
    """Continue ▶ (``du1:pr``): record this payment?"""
    if await pressed(update, context, Action.MANAGE_DUES, Step.REVIEW) is None:
        return "periods"
    draft = await read_draft(context, FLOW)
    found = await _ledger(context)
    member = await _member(context, draft.get("member") or 0)
    chosen = sorted(d for d in (rules.read_period(code) for code in draft.get("chosen", [])) if d)
    if found is None or member is None:
        await explain_stale(update, context)
        return "periods"
    if not chosen:
        await answer_tap(update.callback_query, views.pick_a_period(context.lang))
        return "periods"
    await answer_tap(update.callback_query)
    await answer(update, *views.review(context.lang, member.full_name, found.schedule, chosen))
    return "review"


async def back_to_periods(update: Update, context: RembugContext) -> str:
    """« Back (``du1:pb``): the ticks again."""
    if await pressed(update, context, Action.MANAGE_DUES, Step.BACK) is None:
        return "review"
    await answer_tap(update.callback_query)
    return await _show_periods(update, context, await read_draft(context, FLOW))


async def record(update: Update, context: RembugContext) -> int | str:
    """✅ Record (``du1:py``): the periods paid and one income entry in the cash book, in one transaction."""
    if await pressed(update, context, Action.MANAGE_DUES, Step.RECORD) is None:
        return "review"
    draft = await read_draft(context, FLOW)
    if not draft.get("chosen") or not draft.get("member"):
        return await _shown_again(update, context)
    found = await _ledger(context)
    member = await _member(context, draft["member"])
    if found is None or member is None or found.stored.id != draft.get("terms"):
        await explain_stale(update, context)
        return ConversationHandler.END
    chosen = sorted(d for d in (rules.read_period(code) for code in draft["chosen"]) if d)
    now, receipt = context.clock.now(), None
    async with context.db.transaction() as tx:
        unpaid = [p for p in chosen if p not in await dues.paid_periods(tx, found.stored.cluster_id, member.user_id)]
        if unpaid:
            entry, new = await cash_book.record_entry(
                tx,
                found.stored.cluster_id,
                direction="income",
                amount=rules.amount_for(found.schedule, unpaid),
                occurred_on=found.today,
                purpose=views.purpose(context.lang, member.full_name, found.schedule, unpaid),
                source="dues",
                recorded_by=context.user.id,
                now=now,
                source_update_id=update.update_id,
            )
            if new:
                priced = [(p, rules.amount_of(found.schedule, p)) for p in unpaid]
                await dues.record_payments(tx, found.stored, member.user_id, priced, entry.id, context.user.id, now)
                # The month's report to members counts dues too: book it as any entry of the cash book does.
                await money_notices.book_monthly_report(
                    tx, found.stored.cluster_id, money_rules.month_key(found.today), now
                )
                receipt = entry.id
        periods = [rules.period_code(p) for p in unpaid]
        await finish_draft(tx, update, context.user.id, FLOW, member=member.user_id, periods=periods)
    await answer_tap(update.callback_query)
    if receipt is not None and member.user_id != context.user.id:
        await _send_receipt(context, member, receipt, unpaid)
    return await _recorded(update, context, member, unpaid)


async def _send_receipt(context: RembugContext, member: Membership, entry_id: int, periods: list[date]) -> None:
    """The member hears their payment was recorded (outbox: once, whatever is replayed)."""
    found = await _ledger(context)
    if found is None:
        return
    async with context.db.read() as conn:
        own = await ledger.status_of(conn, found, member)
        lang = await language_of(conn, member.user_id, context.settings.language)
    text, keyboard = views.receipt(lang, context.standing.current_cluster_name, found.schedule, periods, own)
    await send_texts(context.app, f"dues-paid:{entry_id}", [(member.user_id, text, keyboard)])


async def _recorded(update: Update, context: RembugContext, member: Membership, periods: list[date]) -> int:
    found = await _ledger(context)
    if found is None or not periods:
        await answer(update, views.nothing_new(context.lang), None)
        return ConversationHandler.END
    async with context.db.read() as conn:
        own = await ledger.status_of(conn, found, member)
    await answer(update, *views.recorded(context.lang, member.full_name, found.schedule, periods, own))
    return ConversationHandler.END


async def _shown_again(update: Update, context: RembugContext) -> int:
    """A confirmation whose work is done (replayed after a crash): the same outcome again, nothing recorded."""
    effect = await replayed_effect(context, update, FLOW)
    member = await _member(context, effect["member"]) if effect else None
    if effect is None or member is None:
        await explain_stale(update, context)
        return ConversationHandler.END
    await answer_tap(update.callback_query)
    periods = [d for d in (rules.read_period(code) for code in effect["periods"]) if d]
    return await _recorded(update, context, member, periods)


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Text where the step asks for a button."""
    await message_of(update).reply_text(context.gettext("Please choose with the buttons below."))
