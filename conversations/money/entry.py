"""Recording an entry, step by step: the day, the amount, what for, the source (income), the activity,
the receipt's photo, then save (pending when over the threshold, the chair told through the outbox)."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import finish_draft, read_draft, replayed_effect, save_answers, start_draft
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import message_of, query_of
from conversations.money import notices, rules, views
from storage import budgets, cash_book, clusters, memberships

FLOW = "books"
DAY, AMOUNT, PURPOSE, SOURCE, ACTIVITY, RECEIPT, REVIEW = (
    "day",
    "amount",
    "purpose",
    "source",
    "activity",
    "receipt",
    "review",
)


async def local_today(context: RembugContext) -> date:
    """Today in the cluster's zone."""
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, context.standing.current_cluster_id)
    return context.clock.now().astimezone(ZoneInfo(cluster.timezone)).date()


async def begin(update: Update, context: RembugContext) -> str | int:
    """➕ Income or ➖ Spending: ask when it happened."""
    tap = rules.parse_tap(query_of(update).data)
    income = isinstance(tap, rules.Tap) and tap.do is rules.Do.INCOME
    draft = await start_draft(
        update,
        context,
        Action.KEEP_BOOKS,
        FLOW,
        cluster_id=context.standing.cluster_id,
        direction="income" if income else "spending",
    )
    if draft is None:
        return ConversationHandler.END
    await answer(update, *views.ask_day(context.lang, income))
    return DAY


async def _took_day(update: Update, context: RembugContext, day: date) -> str:
    await save_answers(context, FLOW, day=day.isoformat())
    await answer(update, views.ask_amount(context.lang, day))
    return AMOUNT


async def tap_day(update: Update, context: RembugContext) -> str:
    """Today or yesterday."""
    tap = rules.parse_tap(query_of(update).data)
    if not isinstance(tap, rules.Tap) or tap.do not in (rules.Do.TODAY, rules.Do.YESTERDAY):
        await explain_stale(update, context)
        return DAY
    today = await local_today(context)
    await answer_tap(query_of(update))
    return await _took_day(update, context, today if tap.do is rules.Do.TODAY else today - timedelta(days=1))


async def type_day(update: Update, context: RembugContext) -> str:
    """A typed date (not in the future)."""
    day = rules.parse_day(message_of(update).text or "", await local_today(context))
    if day is None:
        await message_of(update).reply_text(views.problem(context.lang, "day"))
        return DAY
    return await _took_day(update, context, day)


async def type_amount(update: Update, context: RembugContext) -> str:
    """The amount in rupiah."""
    amount = rules.parse_amount(message_of(update).text or "")
    if amount is None:
        await message_of(update).reply_text(views.problem(context.lang, "amount"))
        return AMOUNT
    await save_answers(context, FLOW, amount=amount)
    await message_of(update).reply_text(views.ask_purpose(context.lang, amount))
    return PURPOSE


async def type_purpose(update: Update, context: RembugContext) -> str:
    """What it was for; then the source (income) or the activity."""
    purpose = (message_of(update).text or "").strip()[:200]
    if not purpose:
        await message_of(update).reply_text(views.problem(context.lang, "purpose"))
        return PURPOSE
    draft = await save_answers(context, FLOW, purpose=purpose)
    if draft["direction"] == "income":
        text, keyboard = views.ask_source(context.lang)
        await message_of(update).reply_text(text, reply_markup=keyboard)
        return SOURCE
    return await _ask_activity(update, context, draft)


async def _ask_activity(update: Update, context: RembugContext, draft: dict) -> str:
    year = date.fromisoformat(draft["day"]).year
    async with context.db.read() as conn:
        titles = await notices.activity_titles(conn, draft["cluster_id"], year, context.lang)
    offered = list(titles.items())
    await save_answers(context, FLOW, activities=offered)
    await answer(update, *views.ask_activity(context.lang, [title for _key, title in offered]), edit=False)
    return ACTIVITY


async def tap_source(update: Update, context: RembugContext) -> str:
    """Where the income came from."""
    tap = rules.parse_tap(query_of(update).data)
    if not isinstance(tap, rules.NumberTap) or tap.what is not rules.Numbered.SOURCE:
        await explain_stale(update, context)
        return SOURCE
    draft = await save_answers(context, FLOW, source=rules.SOURCES[tap.number])
    await answer_tap(query_of(update))
    return await _ask_activity(update, context, draft)


async def tap_activity(update: Update, context: RembugContext) -> str:
    """Which activity (or other / general); then the receipt. ◀ ▶ turn the list's page."""
    tap = rules.parse_tap(query_of(update).data)
    draft = await read_draft(context, FLOW)
    offered = draft.get("activities", [])
    if isinstance(tap, rules.NumberTap) and tap.what is rules.Numbered.ACTIVITY_PAGE:
        await answer_tap(query_of(update))
        await answer(update, *views.ask_activity(context.lang, [title for _key, title in offered], tap.number))
        return ACTIVITY
    if not isinstance(tap, rules.NumberTap) or tap.what is not rules.Numbered.ACTIVITY or tap.number > len(offered):
        await explain_stale(update, context)
        return ACTIVITY
    await save_answers(context, FLOW, activity=offered[tap.number - 1][0] if tap.number else None)
    await answer_tap(query_of(update))
    await answer(update, *views.ask_receipt(context.lang))
    return RECEIPT


async def send_receipt(update: Update, context: RembugContext) -> str:
    """The receipt's photo."""
    message = message_of(update)
    if not message.photo:
        await message.reply_text(views.problem(context.lang, "photo"))
        return RECEIPT
    draft = await save_answers(context, FLOW, receipt=message.photo[-1].file_id)
    await _show_review(update, context, draft)
    return REVIEW


async def skip_receipt(update: Update, context: RembugContext) -> str:
    """No receipt."""
    draft = await save_answers(context, FLOW, receipt=None)
    await answer_tap(query_of(update))
    await _show_review(update, context, draft)
    return REVIEW


async def _waits(context: RembugContext, cluster_id: int, amount: int) -> bool:
    async with context.db.read() as conn:
        threshold = await budgets.threshold_of(conn, cluster_id)
        chairs = await notices.chair_ids(conn, cluster_id)
    return rules.waits_for_chair(amount, threshold, bool(chairs))


async def _show_review(update: Update, context: RembugContext, draft: dict) -> None:
    titles = dict(tuple(pair) for pair in draft.get("activities", []))
    activity = views.line_label(context.lang, "spending", draft.get("activity") or rules.OTHER, titles)
    waits = await _waits(context, draft["cluster_id"], draft["amount"])
    await answer(update, *views.review(context.lang, draft, activity, waits=waits), edit=False)


async def save(update: Update, context: RembugContext) -> int | str:
    """✅ Save: the entry goes into the book (committed before the reply)."""
    done = await replayed_effect(context, update, FLOW)
    draft = await read_draft(context, FLOW)
    if done is None and (
        "purpose" not in draft or "day" not in draft or draft.get("cluster_id") != context.standing.cluster_id
    ):
        await explain_stale(update, context)
        return ConversationHandler.END
    now = context.clock.now()
    async with context.db.transaction() as tx:
        if done is not None:
            entry = await cash_book.get_entry(tx, done["entry"])
        else:
            cluster_id = draft["cluster_id"]
            threshold = await budgets.threshold_of(tx, cluster_id)
            waits = rules.waits_for_chair(draft["amount"], threshold, bool(await notices.chair_ids(tx, cluster_id)))
            day = date.fromisoformat(draft["day"])
            entry, _new = await cash_book.record_entry(
                tx,
                cluster_id,
                direction=draft["direction"],
                amount=draft["amount"],
                occurred_on=day,
                purpose=draft["purpose"],
                recorded_by=context.user.id,
                now=now,
                source=draft.get("source") or ("other" if draft["direction"] == "income" else None),
                activity_key=draft.get("activity"),
                receipt_file_id=draft.get("receipt"),
                status="pending" if waits else "recorded",
                source_update_id=update.update_id,
            )
            if waits:
                member = await memberships.get_membership(tx, cluster_id, context.user.id)
                name = member.full_name if member else context.user.first_name
                await notices.ask_chair(tx, entry, name, context.settings.language, now)
            await notices.book_monthly_report(tx, cluster_id, rules.month_key(day), now)
            await finish_draft(tx, update, context.user.id, FLOW, entry=entry.id)
        assert entry is not None
        book = await cash_book.entries_between(tx, entry.cluster_id, date(1, 1, 1), date(9999, 12, 31))
    context.services.outbox.wake()
    context.services.reminders.wake()
    await answer_tap(query_of(update))
    await answer(update, *views.saved(context.lang, entry, rules.balance(book)))
    return ConversationHandler.END


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Something other than what this step asks for."""
    await message_of(update).reply_text(views.problem(context.lang, "buttons"))
