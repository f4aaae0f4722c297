"""The one polite reminder of overdue dues, through the reminder engine.

One due message per cluster and period (key ``dues:<cluster>:<yyyy-mm>:<setting>``) on the
period's due day at 09.00 in the cluster's zone. When it comes it books the next period's, then
queues one letter (outbox batch of the same name) to each member whose dues for that period are
still unpaid: once per period, never twice across restarts (the engine and the outbox each keep
their row) nor after the dues were set anew (a period reminded under any setting is not reminded
again), and nobody who paid meanwhile.
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
from conversations.dues.ledger import Ledger
from storage import clusters, dues
from storage import reminders as due_messages
from storage.reminders import Due

OVERDUE = "dues.overdue"


async def book_reminder(tx: aiosqlite.Connection, found: Ledger, period: date, now: datetime) -> None:
    """Book the overdue reminder of one period under the dues set last (a key booked already is left as it is)."""
    cluster_id = found.stored.cluster_id
    await due_messages.schedule(
        tx,
        rules.reminder_key(cluster_id, period, found.stored.id),
        OVERDUE,
        rules.reminder_at(period, found.timezone),
        {"cluster": cluster_id, "terms": found.stored.id, "period": period.isoformat()},
        now,
        # The bot away for the whole period: that period's reminder is moot.
        expires_at=rules.period_ends_at(found.schedule, period, found.timezone),
    )


async def plan_reminders(tx: aiosqlite.Connection, found: Ledger, now: datetime) -> None:
    """Dues set anew: what earlier settings booked is dropped; the first period still to come is booked."""
    await due_messages.cancel(tx, f"dues:{found.stored.cluster_id}:", now)
    await book_reminder(tx, found, rules.first_reminded_period(found.schedule, now, found.timezone), now)


async def send_overdue(due: Due, application: RembugApplication) -> str:
    """A period's due day has come: book the next, and remind each member who has not paid it."""
    db, now = application.services.db, application.services.clock.now()
    period = date.fromisoformat(due.payload["period"])
    async with db.transaction() as tx:
        found = await ledger.ledger_of(tx, due.payload["cluster"], now)
        if found is None or found.stored.id != due.payload["terms"]:
            raise Skip("the dues were set anew")
        earlier = await due_messages.list_by_prefix(tx, rules.period_keys(found.stored.cluster_id, period))
        if any(d.key != due.key and d.status in ("sent", "unknown") for d in earlier):
            raise Skip("this period was reminded already")
        await book_reminder(tx, found, rules.next_period(found.schedule, period), now)
        cluster = await clusters.load_cluster(tx, found.stored.cluster_id)
        members = await ledger.paying_members(tx, cluster.id)
        paid = await dues.paid_by_member(tx, cluster.id)
        late = [
            (m, rules.status(found.schedule, since, paid.get(m.user_id, frozenset()), found.today))
            for m in members
            if (since := ledger.since_of(found, m)) <= period and period not in paid.get(m.user_id, frozenset())
        ]
        langs = await languages_of(tx, [m.user_id for m, _own in late], application.services.settings.language)
    application.services.reminders.wake()
    letters: list[tuple[int, str, InlineKeyboardMarkup | None]] = [
        (member.user_id, *views.reminder(langs[member.user_id], cluster.name, found.schedule, period, own))
        for member, own in late
    ]
    sent = await send_texts(application, due.key, letters) if letters else 0
    return f"reminded {sent} member(s)"
