"""What the books send to many people, through the engines: the chair's notice of an entry over the
threshold (outbox), and the monthly report to members (a due message on the 1st, then the outbox,
to the audience engine's choice: the whole cluster, members who muted announcements left out)."""

from __future__ import annotations

from datetime import datetime, timedelta

import aiosqlite
from babel.dates import format_date

from bot.audience import Audience, select
from bot.recipients import language_of, languages_of, people_of
from bot.reminders import Skip
from bot.services import RembugApplication
from conversations.money import budget_views, rules, views
from storage import cash_book, clusters, memberships
from storage import outbox as outbox_store
from storage import reminders as due_messages
from storage.annual_plans import plan_activities
from storage.cash_book import CashEntry
from storage.reminders import Due

MONTHLY = "books.monthly"


async def chair_ids(conn: aiosqlite.Connection, cluster_id: int) -> list[int]:
    """Who holds the board's chair now."""
    return [h.user_id for h in await memberships.board(conn, cluster_id) if h.position == "chair"]


async def activity_titles(conn: aiosqlite.Connection, cluster_id: int, year: int, lang: str = "id") -> dict[str, str]:
    """The year's activities by key (``storage.annual_plans``), with their titles; a title the year holds more
    than once (the coordination meeting of each month) carries its month, so each button says which one."""
    activities = await plan_activities(conn, cluster_id, year)
    repeated = rules.repeated_titles(a.title for a in activities)
    return {
        a.key: f"{format_date(a.starts_on, 'MMM', locale=lang)} · {a.title}" if a.title in repeated else a.title
        for a in activities
    }


async def ask_chair(tx: aiosqlite.Connection, entry: CashEntry, recorder: str, default_lang: str, now: datetime) -> int:
    """Queue the chair's notice of a pending entry with ✅/✖ (once per entry); return how many letters."""
    chairs = await chair_ids(tx, entry.cluster_id)
    titles = await activity_titles(tx, entry.cluster_id, entry.occurred_on.year)
    languages = await languages_of(tx, chairs, default_lang)
    letters = []
    for uid in chairs:
        lang = languages[uid]
        activity = views.line_label(lang, "spending", entry.activity_key or rules.OTHER, titles)
        text, keyboard = views.chair_notice(lang, entry, recorder, activity)
        letters.append((uid, {"kind": "text", "text": text, "reply_markup": keyboard.to_dict()}))
    return await outbox_store.enqueue(tx, f"books:{entry.cluster_id}:confirm:{entry.id}", letters, now)


async def tell_recorder(
    tx: aiosqlite.Connection, entry: CashEntry, chair_id: int, default_lang: str, now: datetime
) -> None:
    """Queue the chair's decision on an entry to whoever recorded it (unless the chair did)."""
    if entry.recorded_by == chair_id:
        return
    lang = await language_of(tx, entry.recorded_by, default_lang)
    text = views.decided(lang, entry, entry.status == rules.COUNTED)
    await outbox_store.enqueue(
        tx, f"books:{entry.cluster_id}:decided:{entry.id}", [(entry.recorded_by, {"kind": "text", "text": text})], now
    )


async def book_monthly_report(tx: aiosqlite.Connection, cluster_id: int, month: str, now: datetime) -> None:
    """Book the report of ``month`` (``YYYY-MM``) for the 1st after it; booking it again changes nothing."""
    cluster = await clusters.load_cluster(tx, cluster_id)
    at = rules.report_due_at(month, cluster.timezone)
    await due_messages.schedule(
        tx,
        f"books:{cluster_id}:report:{month}",
        MONTHLY,
        at,
        {"cluster": cluster_id, "month": month},
        now,
        expires_at=at + timedelta(days=7),
    )


async def send_monthly_report(due: Due, application: RembugApplication) -> str:
    """The reminder engine's handler: the month's report to every member who did not mute announcements."""
    services = application.services
    now, month = services.clock.now(), due.payload["month"]
    first, last = rules.month_of(month)
    async with services.db.transaction() as tx:
        cluster = await clusters.get_cluster(tx, due.payload["cluster"])
        if cluster is None:
            raise Skip("no such cluster")
        before = await cash_book.entries_between(tx, cluster.id, first.replace(year=1), last)
        if not before:  # nothing in the book yet: no report, and the first entry books the next one
            raise Skip("the cash book is empty")
        await book_monthly_report(tx, cluster.id, rules.next_month(month), now)
        opening = rules.balance(e for e in before if e.occurred_on < first)
        month_totals = rules.totals(e for e in before if e.occurred_on >= first)
        chosen = select(Audience(everyone=True), await people_of(tx, cluster.id), mutes_count=True).chosen
        languages = await languages_of(tx, chosen, services.settings.language)
        letters = [
            (
                uid,
                {
                    "kind": "text",
                    "text": budget_views.monthly_report(
                        languages[uid],
                        cluster.name,
                        format_date(first, "MMMM y", locale=languages[uid]),
                        opening,
                        month_totals,
                    ),
                },
            )
            for uid in chosen
        ]
        added = await outbox_store.enqueue(tx, f"books:{cluster.id}:report:{month}", letters, now)
    services.reminders.wake()
    services.outbox.wake()
    return f"{added} letter(s)"
