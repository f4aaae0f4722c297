"""The one polite reminder of overdue dues, through the reminder engine.

One due message per cluster, dues and period (key ``dues:<cluster>:<terms>:<yyyy-mm>``) on the
period's due day at 09.00 in the cluster's zone. When it comes it books the next period's, then
queues one letter (outbox batch of the same name) to each member whose dues for that period are
still unpaid: once per period, never twice across restarts (the engine and the outbox each keep
their row), and nobody who paid meanwhile.
"""

from __future__ import annotations

from datetime import date, datetime

import aiosqlite
from telegram import InlineKeyboardMarkup

from bot.outbox import send_texts
from bot.recipients import languages_of
from bot.reminders import Skip
from bot.services import RembugApplication
from conversations.dues import ledger, rules, views
from storage import clusters, dues
from storage import reminders as due_messages
from storage.dues import DuesTerms
from storage.reminders import Due

OVERDUE = "dues.overdue"


async def book_reminder(
    tx: aiosqlite.Connection, stored: DuesTerms, period: date, timezone: str, now: datetime
) -> None:
    """Book the overdue reminder of one period (a key booked already is left as it is)."""
    await due_messages.schedule(
        tx,
        rules.reminder_key(stored.cluster_id, stored.id, period),
        OVERDUE,
        rules.reminder_at(period, timezone),
        {"cluster": stored.cluster_id, "terms": stored.id, "period": period.isoformat()},
        now,
        expires_at=rules.period_ends_at(
            period, stored.cadence, timezone
        ),  # the bot away for the whole period: that period's reminder is moot
    )


async def plan_reminders(tx: aiosqlite.Connection, stored: DuesTerms, timezone: str, now: datetime) -> None:
    """New dues: earlier dues remind no more; the first period still to come is booked."""
    await due_messages.cancel(tx, f"dues:{stored.cluster_id}:", now)
    period = rules.first_reminded_period(ledger.terms_of(stored), now, timezone)
    await book_reminder(tx, stored, period, timezone, now)


async def send_overdue(due: Due, application: RembugApplication) -> str:
    """A period's due day has come: book the next, and remind each member who has not paid it."""
    db, now = application.services.db, application.services.clock.now()
    period = date.fromisoformat(due.payload["period"])
    async with db.transaction() as tx:
        found = await ledger.ledger_of(tx, due.payload["cluster"], now)
        if found is None or found.stored.id != due.payload["terms"]:
            raise Skip("the dues were set anew")
        await book_reminder(tx, found.stored, rules.next_period(period, found.terms.cadence), found.timezone, now)
        cluster = await clusters.load_cluster(tx, found.stored.cluster_id)
        members = await ledger.paying_members(tx, cluster.id)
        paid = await dues.paid_by_member(tx, found.stored.id)
        late = [
            (m, rules.status(found.terms, since, paid.get(m.user_id, frozenset()), found.today))
            for m in members
            if (since := ledger.since_of(found, m)) <= period and period not in paid.get(m.user_id, frozenset())
        ]
        langs = await languages_of(tx, [m.user_id for m, _own in late], application.services.settings.language)
    application.services.reminders.wake()
    letters: list[tuple[int, str, InlineKeyboardMarkup | None]] = [
        (member.user_id, *views.reminder(langs[member.user_id], cluster.name, found.terms, period, own))
        for member, own in late
    ]
    sent = await send_texts(application, due.key, letters) if letters else 0
    return f"reminded {sent} member(s)"
