"""The books' home and what hangs off it: the balance and monthly summary (every member), the list of
entries and reversing one, the chair's ✅/✖, the budget and the threshold (typed amounts), and appointing
a treasurer when the election gave none."""

from __future__ import annotations

from datetime import date, timedelta

import aiosqlite
from babel.dates import format_date
from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import read_draft, start_draft
from bot.paging import page_count
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action, allowed
from bot.stale import explain_stale
from bot.update_parts import message_of, query_of
from conversations.money import budget_views, notices, rules, views
from conversations.money.entry import FLOW, local_today
from storage import budgets, cash_book, drafts, memberships
from storage.cash_book import CashEntry

PER_PAGE = 8
EVER = (date(1, 1, 1), date(9999, 12, 31))
BUDGET_AMOUNT, THRESHOLD = "budget_amount", "threshold"


def _tap(update: Update) -> rules.Tap | rules.NumberTap | rules.ReportTap | None:
    return rules.parse_tap(query_of(update).data)


async def whole_book(conn: aiosqlite.Connection, cluster_id: int) -> list[CashEntry]:
    """Every entry of the cluster, in book order."""
    return await cash_book.entries_between(conn, cluster_id, *EVER)


async def treasurer_name(conn: aiosqlite.Connection, cluster_id: int) -> str | None:
    """The name of the board's treasurer now, if any."""
    return next((h.full_name for h in await memberships.board(conn, cluster_id) if h.position == "treasurer"), None)


async def show_home(update: Update, context: RembugContext) -> None:
    """💰 Cluster cash (/kas): the balance, this month, and the buttons this person may use."""
    if not await require(update, context, Action.VIEW_BOOKS):
        return
    cluster_id = context.standing.current_cluster_id
    today = await local_today(context)
    first, last = rules.period_bounds(rules.Period.MONTH, today)
    async with context.db.read() as conn:
        book = await whole_book(conn, cluster_id)
        treasurer = await treasurer_name(conn, cluster_id)
    month = rules.totals(e for e in book if first <= e.occurred_on <= last)
    pending = sum(1 for e in book if e.status == "pending")
    await answer_tap(update.callback_query)
    await answer(
        update,
        *views.home(
            context.lang,
            rules.balance(book),
            month,
            pending,
            keeper=allowed(context.standing, Action.KEEP_BOOKS),
            treasurer=treasurer,
            may_appoint=treasurer is None and allowed(context.standing, Action.APPOINT_ROLES),
        ),
    )


async def home_from_flow(update: Update, context: RembugContext) -> int:
    """◀ Cluster cash tapped in the middle of a step: leave the step (its draft forgotten) for the home."""
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
    await show_home(update, context)
    return ConversationHandler.END


async def show_summary(update: Update, context: RembugContext) -> None:
    """📊 The balance and the last three months in and out (every member)."""
    if not await require(update, context, Action.VIEW_BOOKS):
        return
    today = await local_today(context)
    async with context.db.read() as conn:
        book = await whole_book(conn, context.standing.current_cluster_id)
    months, day = [], today
    for _ in range(3):
        first, last = rules.period_bounds(rules.Period.MONTH, day)
        label = format_date(first, "MMMM y", locale=context.lang)
        months.append((label, rules.totals(e for e in book if first <= e.occurred_on <= last)))
        day = first - timedelta(days=1)
    await answer_tap(query_of(update))
    await answer(update, *budget_views.summary(context.lang, rules.balance(book), months))


async def show_entries(update: Update, context: RembugContext) -> None:
    """📒 A page of the entries, newest first."""
    tap = _tap(update)
    if not isinstance(tap, rules.NumberTap):
        await explain_stale(update, context)
        return
    if not await require(update, context, Action.KEEP_BOOKS):
        return
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        total = await cash_book.entry_count(conn, cluster_id)
        pages = max(page_count(total, PER_PAGE), 1)
        page = min(tap.number, pages - 1)
        shown = await cash_book.recent_entries(conn, cluster_id, PER_PAGE, page * PER_PAGE)
    await answer_tap(query_of(update))
    await answer(update, *views.entry_list(context.lang, shown, page, pages))


async def _own_entry(context: RembugContext, conn: aiosqlite.Connection, entry_id: int) -> CashEntry | None:
    entry = await cash_book.get_entry(conn, entry_id)
    return entry if entry and entry.cluster_id == context.standing.current_cluster_id else None


async def show_entry(update: Update, context: RembugContext) -> None:
    """One entry's card; ↩️ Reverse asks first."""
    tap = _tap(update)
    if not await require(update, context, Action.KEEP_BOOKS):
        return
    async with context.db.read() as conn:
        entry = await _own_entry(context, conn, tap.number) if isinstance(tap, rules.NumberTap) else None
        reversal = await cash_book.reversal_of(conn, entry.id) if entry else None
        titles = (
            await notices.activity_titles(conn, entry.cluster_id, entry.occurred_on.year, context.lang) if entry else {}
        )
    if entry is None or not isinstance(tap, rules.NumberTap):
        await explain_stale(update, context)
        return
    await answer_tap(query_of(update))
    if tap.what is rules.Numbered.REVERSE and reversal is None and entry.status == "recorded":
        await answer(update, *views.confirm_reverse(context.lang, entry))
        return
    activity = views.line_label(context.lang, "spending", entry.activity_key or rules.OTHER, titles)
    await answer(update, *views.entry_card(context.lang, entry, activity, reversal.id if reversal else None))


async def reverse(update: Update, context: RembugContext) -> None:
    """Yes, reverse it: a new entry with the opposite amount (an entry is reversed once)."""
    tap = _tap(update)
    if not await require(update, context, Action.KEEP_BOOKS):
        return
    today = await local_today(context)
    async with context.db.transaction() as tx:
        entry = await _own_entry(context, tx, tap.number) if isinstance(tap, rules.NumberTap) else None
        if entry is None or entry.reverses_id is not None or entry.status != "recorded":
            reversal = None
        else:
            reversal, _new = await cash_book.reverse_entry(
                tx,
                entry,
                occurred_on=today,
                purpose=context.gettext("Reversal of entry #{number}").format(number=entry.id),
                recorded_by=context.user.id,
                now=context.clock.now(),
                source_update_id=update.update_id,
            )
            await notices.book_monthly_report(tx, entry.cluster_id, rules.month_key(today), context.clock.now())
    if entry is None or reversal is None:
        await explain_stale(update, context)
        return
    context.services.reminders.wake()
    await answer_tap(query_of(update))
    await answer(update, *views.reversed_done(context.lang, entry, reversal))


async def decide(update: Update, context: RembugContext) -> None:
    """The chair's ✅ Confirm or ✖ Reject of an entry over the threshold."""
    tap = _tap(update)
    if not await require(update, context, Action.CONFIRM_ENTRIES):
        return
    confirmed = isinstance(tap, rules.NumberTap) and tap.what is rules.Numbered.CONFIRM
    async with context.db.transaction() as tx:
        entry = await _own_entry(context, tx, tap.number) if isinstance(tap, rules.NumberTap) else None
        if entry is not None and entry.status == "pending":
            status = "recorded" if confirmed else "rejected"
            await cash_book.decide_entry(tx, entry.id, status, context.user.id, context.clock.now())
            entry = await cash_book.get_entry(tx, entry.id)
            if entry is not None:
                await notices.tell_recorder(tx, entry, context.user.id, context.settings.language, context.clock.now())
    if entry is None or entry.status == "pending":
        await explain_stale(update, context)
        return
    context.services.outbox.wake()
    await answer_tap(query_of(update))
    await answer(update, views.decided(context.lang, entry, entry.status == "recorded"))


async def budget_comparisons(
    conn: aiosqlite.Connection, cluster_id: int, year: int, *, every_line: bool, lang: str = "id"
) -> tuple[list[rules.Comparison], list[rules.Comparison], dict[str, str], list[tuple[str, str]]]:
    """The year's budget against its counted entries (income per source, spending per activity), the
    activities' titles, and the lines in the screen's order (a budget line button's number indexes them);
    with ``every_line`` also the lines nothing was planned or spent on yet."""
    titles = await notices.activity_titles(conn, cluster_id, year, lang)
    planned: dict[str, dict[str, int]] = {"income": {}, "spending": {}}
    for line in await budgets.lines_of(conn, cluster_id, year):
        planned[line.direction][line.line] = line.amount
    if every_line:
        every = [("income", s) for s in rules.SOURCES] + [("spending", k) for k in [*titles, rules.OTHER]]
        for direction, key in every:
            planned[direction].setdefault(key, 0)
    book = await cash_book.entries_between(conn, cluster_id, date(year, 1, 1), date(year, 12, 31))
    income = rules.budget_versus_actual(planned["income"], book, "income", rules.SOURCES)
    spending = rules.budget_versus_actual(planned["spending"], book, "spending", list(titles))
    lines = [("income", r.line) for r in income] + [("spending", r.line) for r in spending]
    return income, spending, titles, lines


async def _show_budget(update: Update, context: RembugContext, page: int = 0) -> None:
    year = (await local_today(context)).year
    async with context.db.read() as conn:
        income, spending, titles, _lines = await budget_comparisons(
            conn, context.standing.current_cluster_id, year, every_line=True, lang=context.lang
        )
    await answer(update, *budget_views.budget(context.lang, year, income, spending, titles, page))


async def show_budget(update: Update, context: RembugContext) -> None:
    """🎯 The year's budget: planned against actual, each line a button (the activities paged)."""
    tap = _tap(update)
    if not await require(update, context, Action.KEEP_BOOKS):
        return
    await answer_tap(query_of(update))
    await _show_budget(update, context, tap.number if isinstance(tap, rules.NumberTap) else 0)


async def begin_budget_line(update: Update, context: RembugContext) -> str | int:
    """A budget line tapped: ask its planned amount."""
    tap = _tap(update)
    year = (await local_today(context)).year
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        _income, _spending, titles, lines = await budget_comparisons(
            conn, cluster_id, year, every_line=True, lang=context.lang
        )
    if not isinstance(tap, rules.NumberTap) or tap.number >= len(lines):
        await explain_stale(update, context)
        return ConversationHandler.END
    direction, line = lines[tap.number]
    draft = await start_draft(
        update, context, Action.KEEP_BOOKS, FLOW, cluster_id=cluster_id, year=year, budget_line=[direction, line]
    )
    if draft is None:
        return ConversationHandler.END
    await answer(
        update, *budget_views.ask_line_amount(context.lang, views.line_label(context.lang, direction, line, titles))
    )
    return BUDGET_AMOUNT


def _typed_amount(text: str | None) -> int | None:
    cleaned = (text or "").strip()
    return 0 if cleaned in ("0", "-") else rules.parse_amount(cleaned)


async def type_budget_amount(update: Update, context: RembugContext) -> str | int:
    """The planned amount: stored, then the budget again."""
    amount = _typed_amount(message_of(update).text)
    if amount is None:
        await message_of(update).reply_text(views.problem(context.lang, "amount"))
        return BUDGET_AMOUNT
    draft = await read_draft(context, FLOW)
    if "budget_line" not in draft or draft.get("cluster_id") != context.standing.cluster_id:
        return ConversationHandler.END
    direction, line = draft["budget_line"]
    async with context.db.transaction() as tx:
        await budgets.set_line(
            tx, draft["cluster_id"], draft["year"], direction, line, amount, context.user.id, context.clock.now()
        )
        await drafts.clear_draft(tx, context.user.id, FLOW)
    await _show_budget(update, context)
    return ConversationHandler.END


async def begin_threshold(update: Update, context: RembugContext) -> str | int:
    """⚖️ The threshold now; type a new one."""
    cluster_id = context.standing.current_cluster_id
    if await start_draft(update, context, Action.KEEP_BOOKS, FLOW, cluster_id=cluster_id) is None:
        return ConversationHandler.END
    async with context.db.read() as conn:
        threshold = await budgets.threshold_of(conn, cluster_id)
    await answer(update, *budget_views.ask_threshold(context.lang, threshold))
    return THRESHOLD


async def _set_threshold(update: Update, context: RembugContext, threshold: int | None) -> int:
    async with context.db.transaction() as tx:
        await budgets.set_threshold(
            tx, context.standing.current_cluster_id, threshold, context.user.id, context.clock.now()
        )
    await answer_tap(update.callback_query)
    await answer(update, *budget_views.threshold_set(context.lang, threshold))
    return ConversationHandler.END


async def type_threshold(update: Update, context: RembugContext) -> str | int:
    """A typed threshold in rupiah."""
    amount = rules.parse_amount(message_of(update).text or "")
    if amount is None:
        await message_of(update).reply_text(views.problem(context.lang, "amount"))
        return THRESHOLD
    return await _set_threshold(update, context, amount)


async def no_threshold(update: Update, context: RembugContext) -> int:
    """No threshold: entries count at once."""
    return await _set_threshold(update, context, None)


async def choose_treasurer(update: Update, context: RembugContext) -> None:
    """👤 The members a facilitator may appoint treasurer (only while there is none)."""
    if not await require(update, context, Action.APPOINT_ROLES):
        return
    async with context.db.read() as conn:
        members, _total = await memberships.directory(conn, context.standing.current_cluster_id)
    await answer_tap(query_of(update))
    await answer(update, *budget_views.treasurer_choices(context.lang, [(m.user_id, m.full_name) for m in members]))


async def appoint_treasurer(update: Update, context: RembugContext) -> None:
    """Appoint the tapped member treasurer (no election: ``election_id`` NULL), then the home again."""
    tap = _tap(update)
    if not await require(update, context, Action.APPOINT_ROLES):
        return
    cluster_id = context.standing.current_cluster_id
    async with context.db.transaction() as tx:
        member = (
            await memberships.get_membership(tx, cluster_id, tap.number) if isinstance(tap, rules.NumberTap) else None
        )
        ok = member is not None and member.active and await treasurer_name(tx, cluster_id) is None
        if ok and member is not None:
            await memberships.assign_position(tx, cluster_id, "treasurer", member.user_id, context.clock.now(), None)
    if not ok:
        await explain_stale(update, context)
        return
    await show_home(update, context)
