"""The reminder engine: messages due at a time, kept in the database, sent once.

Every flow that needs something sent later (meeting reminders, survey nudges,
PDCA check-ins, quarterly prompts, scheduled broadcasts, digests) uses this
engine instead of its own scheduler.

How a flow uses it::

    # at start-up, in the flow's register(application):
    application.services.reminders.register("meeting.reminder", send_meeting_reminder)

    # when something is planned (inside the flow's own transaction):
    await reminders_store.schedule(tx, key=f"meeting:{m.id}:reminder:{stamp}:1440", kind="meeting.reminder",
                                   due_at=m.starts_at - timedelta(hours=24), payload={...},
                                   now=clock.now(), expires_at=m.starts_at)
    context.services.reminders.wake()   # after the commit: re-plan the next wake-up

    # the handler: send it; return a few words for the record, or raise Skip("why")
    async def send_meeting_reminder(due: Due, application: RembugApplication) -> str: ...

A due message meant for many people (a meeting's reminder to its invitees) does
not send them itself: its handler queues one outbox batch (``bot/outbox.py``), so
each person gets paced delivery and a result of their own.

Rules the engine keeps:
- A due message is a row with a unique key: scheduling the same key twice is
  a no-op, so a replayed update cannot double-book.
- One JobQueue job wakes at the next due time (at most ``max_sleep`` later,
  so a moved clock is noticed), claims what is due in a transaction, calls
  the handler registered for each kind, and records the result.
- Late policy: a message found due after its ``expires_at`` (the bot was
  down past the moment it mattered) is skipped; otherwise it goes out late.
- Never twice, and nothing stranded: rows are claimed one at a time, each
  right before its handler runs, and recorded right after. A crash between
  the claim and the record leaves that one row "claimed"; at start-up it is
  recorded as ``unknown`` (it may have gone out), not sent again. Every other
  due row is still pending and goes out after the restart.
- Time comes from the injectable clock (``bot.clock``), so tests move it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from apscheduler.jobstores.base import JobLookupError
from telegram.error import Forbidden, TelegramError
from telegram.ext import CallbackContext, Job

from bot.clock import Clock
from bot.services import RembugApplication
from bot.transport import in_doubt
from storage import reminders as store
from storage.database import Database
from storage.reminders import Due

_LOGGER = logging.getLogger(__name__)
Handler = Callable[[Due, RembugApplication], Awaitable[str | None]]
JOB_NAME = "reminders"


class Skip(Exception):
    """Raised by a handler when the message should not go out (e.g. the person already answered)."""


class ReminderEngine:
    """Send due messages from the ``reminders`` table through registered handlers."""

    def __init__(
        self, application: RembugApplication, database: Database, clock: Clock, *, max_sleep: float = 60.0
    ) -> None:
        self.application = application
        self.database = database
        self.clock = clock
        self.max_sleep = max_sleep
        self._handlers: dict[str, Handler] = {}
        self._job: Job | None = None
        self._running = asyncio.Lock()

    def register(self, kind: str, handler: Handler) -> None:
        """Say which function sends due messages of ``kind``."""
        self._handlers[kind] = handler

    async def start(self) -> None:
        """Settle what a crash interrupted, then plan the first wake-up (call after the JobQueue started)."""
        async with self.database.transaction() as tx:
            interrupted = await store.settle_claimed(tx, self.clock.now())
        for due in interrupted:
            _LOGGER.warning(
                "due message %s was being sent when the bot stopped: recorded as unknown, not sent twice", due.key
            )
        await self._plan()

    def wake(self) -> None:
        """Re-plan soon: call after scheduling something, once the transaction committed."""
        self._replace_job(0)

    async def run_due(self) -> int:
        """Send everything due now; return how many messages were handled."""
        handled = 0
        async with self._running:
            while True:
                now = self.clock.now()
                async with self.database.read() as conn:
                    batch = await store.due_now(conn, now)
                if not batch:
                    return handled
                for due in batch:
                    # Claimed one at a time, right before its handler: a crash leaves at most
                    # this one in doubt, and the rest of the batch pending.
                    async with self.database.transaction() as tx:
                        claimed = await store.claim(tx, due.id)
                    if not claimed:  # cancelled or moved meanwhile
                        continue
                    status, outcome = await self._deliver(due, now)
                    async with self.database.transaction() as tx:
                        await store.finish(tx, due.id, status, outcome, self.clock.now())
                    handled += 1

    async def _deliver(self, due: Due, now: datetime) -> tuple[str, str | None]:
        if due.expires_at is not None and now > due.expires_at:
            return "skipped", "too late: expired while the bot was away"
        handler = self._handlers.get(due.kind)
        if handler is None:
            _LOGGER.error("no handler registered for due message kind %r (key %s)", due.kind, due.key)
            return "failed", f"no handler for {due.kind}"
        try:
            outcome = await handler(due, self.application)
        except Skip as skip:
            return "skipped", str(skip) or "skipped"
        except Forbidden as error:
            return "failed", f"blocked: {error.message}"
        except TelegramError as error:
            if in_doubt(error):  # it went out and the answer was lost: it may have arrived
                return "unknown", f"may not have gone out: {type(error).__name__}: {error}"[:200]
            _LOGGER.exception("due message %s failed", due.key)
            return "failed", f"{type(error).__name__}: {error}"[:200]
        except Exception as error:  # one bad message must not stop the others
            _LOGGER.exception("due message %s failed", due.key)
            return "failed", f"{type(error).__name__}: {error}"[:200]
        return "sent", outcome

    async def _tick(self, _context: CallbackContext) -> None:
        try:
            await self.run_due()
        finally:
            await self._plan()

    async def _plan(self) -> None:
        async with self.database.read() as conn:
            next_due = await store.next_due_at(conn)
        if next_due is None:
            delay = self.max_sleep
        else:
            delay = min(max((next_due - self.clock.now()).total_seconds(), 0), self.max_sleep)
        self._replace_job(delay)

    def _replace_job(self, delay: float) -> None:
        queue = self.application.job_queue
        if queue is None:
            return
        if self._job is not None:
            with contextlib.suppress(JobLookupError):  # it already ran
                self._job.schedule_removal()
        self._job = queue.run_once(self._tick, when=delay, name=JOB_NAME)
