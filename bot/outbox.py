"""The outbox: durable, rate-safe delivery of one message to many people.

A flow that sends to many (a broadcast, later the digests) writes one row per
recipient with ``storage.outbox.enqueue(tx, batch, letters, now)`` inside its
own transaction, then calls ``outbox.wake()``. One sender task drains the
rows:

- **Rate.** Its sends go through the bot's one send budget of Telegram's 30
  a second (``bot.rate_limits.SendBudget``) in the background queue: replies
  to people take the next free slot, the outbox everything they leave, so a
  broadcast runs at the ceiling and never starves a reply. Groups keep PTB's
  20-a-minute limit; each recipient gets one message per batch, so the
  one-a-second-per-chat rule holds by construction.
- **Results.** Each row ends as ``sent`` (with Telegram's message id),
  ``blocked`` (403: blocked the bot), ``not_started`` (403/400: never opened
  the bot), ``failed`` (with the reason), ``unknown`` or ``cancelled``. A 429
  waits its ``retry_after``; a send that surely did not take effect (a
  refused connection, a 5xx; ``bot.transport``) is tried again with growing
  pauses (up to ``MAX_ATTEMPTS``).
- **Never twice.** A send whose answer was lost after it went out (a timeout,
  a broken connection) may have arrived: it is recorded as ``unknown``, never
  repeated behind the sender's back. The sender's report counts these apart
  and offers to send them again (``resend_unknown``).
- **Restarts.** Each row is claimed (``sending``) in a transaction right
  before its request and recorded after it, so a restart resumes with the pending rows
  and no recipient is skipped. A row caught in the instant between the two
  (killed mid-request) may or may not have arrived: it is never sent again,
  and is marked ``unknown`` so the sender's report names the person.
- **A few people.** ``send_texts(application, batch, [(chat_id, text, markup)])`` is the
  short way for a due message meant for several people (a plan's prompts to a board).
- **Progress.** A flow registers ``on_progress(kind, callback)`` for its batch
  kind (``broadcast`` for ``broadcast:5``); the callback gets the counts at
  most every ``progress_every`` seconds and once when the batch is finished,
  so a sender sees one message edited as delivery goes.
- **The end of a batch.** ``on_finished(kind, hook)``: ``hook(tx, batch, now)``
  runs in the very transaction that records the batch's last result, so what
  it plans (a meeting organiser's delivery report, a due message) is planned
  exactly once, even if the process dies right after; ``now`` is business time.
- **Buttons per recipient.** Each row carries its own payload: a meeting's
  card has RSVP buttons (``reply_markup``) in its invitee's language.

Transport time (pacing, retries) uses the machine's clock, not the
injectable business clock: a test that freezes business time still sees
messages go out.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import aiosqlite
from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.clock import SystemClock
from bot.rate_limits import SendBudget, background_sends
from bot.recipients import delivery_problem
from bot.services import RembugApplication
from bot.transport import in_doubt
from storage import outbox as store
from storage.database import Database
from storage.outbox import Letter

_LOGGER = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
ROWS_AT_ONCE = 30  # rows read from the outbox at a time (each is claimed right before its request)
Progress = Callable[[RembugApplication, str, dict[str, int], bool], Awaitable[None]]
Finished = Callable[[aiosqlite.Connection, str, datetime], Awaitable[None]]


def kind_of(batch: str) -> str:
    """The kind of a batch: ``broadcast`` for ``broadcast:5``."""
    return batch.split(":")[0]


class Outbox:
    """Send the outbox's rows within Telegram's limits and record each result."""

    def __init__(
        self,
        application: RembugApplication,
        database: Database,
        *,
        budget: SendBudget | None = None,
        progress_every: float = 2.0,
    ) -> None:
        self.application = application
        self.database = database
        self.clock = SystemClock()
        self.progress_every = progress_every
        self.budget = budget  # the bot's send budget, when its rate limiter has one (bot.app)
        self._progress: dict[str, Progress] = {}
        self._finished: dict[str, Finished] = {}
        self._last_progress: dict[str, float] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = asyncio.Event()  # set by stop(), read between sends

    def on_progress(self, kind: str, callback: Progress) -> None:
        """Call ``callback(application, batch, counts, finished)`` as batches of ``kind`` go out."""
        self._progress[kind] = callback

    def on_finished(self, kind: str, hook: Finished) -> None:
        """Run ``hook(tx, batch, now)`` in the transaction that records the last result of a batch of ``kind``."""
        self._finished[kind] = hook

    def wake(self) -> None:
        """Look for rows now (call after enqueueing, once the transaction committed)."""
        self._wake.set()

    async def start(self) -> None:
        """Settle rows a crash interrupted, then start sending."""
        async with self.database.transaction() as tx:
            interrupted = await store.settle_interrupted(tx, self.clock.now())
        self._stopping.clear()
        for batch in interrupted:
            _LOGGER.warning("batch %s was interrupted mid-send; those rows are marked unknown", batch)
        self._task = asyncio.create_task(self._run(), name="outbox")

    async def stop(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109 (a grace period, then the sender is cancelled)
        """Stop after the row being sent is recorded; claimed rows not yet sent go back to pending."""
        if self._task is None:
            return
        self._stopping.set()
        self._wake.set()
        try:
            await asyncio.wait_for(self._task, timeout)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while not self._stopping.is_set():
            async with self.database.read() as conn:
                batch = await store.due(conn, self.clock.now(), limit=ROWS_AT_ONCE)
            if not batch:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=1.0)
                continue
            for letter in batch:
                if self._stopping.is_set():
                    return
                if self.budget is not None:  # wait for the turn before claiming: a waiting row stays "pending"
                    await self.budget.take(background=True)
                # Claimed one at a time, right before its request: only that one row can be
                # caught mid-send by a crash.
                async with self.database.transaction() as tx:
                    claimed = await store.claim(tx, letter.id, self.clock.now())
                if not claimed:
                    continue
                await self._deliver(dataclasses.replace(letter, attempts=letter.attempts + 1))
                await self._report(letter.batch)

    async def _deliver(self, letter: Letter) -> None:
        status, reason, message_id, retry = "sent", None, None, None
        try:
            message_id = await self._send(letter)
        except Forbidden as error:
            status, reason = delivery_problem(error.message), error.message
        except BadRequest as error:
            problem = delivery_problem(error.message)
            status, reason = (problem if problem == "not_started" else "failed"), error.message
        except RetryAfter as error:
            retry_after = error.retry_after
            seconds = retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)
            status, reason, retry = "pending", "flood: retry later", seconds + 0.5
        except TelegramError as error:
            if in_doubt(error):
                # It went out and the answer was lost: it may have arrived, so it is not sent
                # again behind the sender's back; the report counts it and offers to send again.
                status, reason = "unknown", f"may not have arrived: {type(error).__name__}: {error}"[:200]
            elif letter.attempts >= MAX_ATTEMPTS:
                status, reason = "failed", f"gave up after {letter.attempts} attempts: {error}"
            else:
                status, reason, retry = "pending", str(error), float(2**letter.attempts)
        now = self.clock.now()
        async with self.database.transaction() as tx:
            if retry is not None:
                await store.record(
                    tx, letter.id, "pending", now, reason=reason, retry_at=now + timedelta(seconds=retry)
                )
                return
            await store.record(tx, letter.id, status, now, reason=reason, message_id=message_id)
            hook = self._finished.get(kind_of(letter.batch))
            if hook is not None and store.finished(await store.counts(tx, letter.batch)):
                # What the hook plans runs on business time (a due message), not the transport's clock.
                await hook(tx, letter.batch, self.application.services.clock.now())

    async def _send(self, letter: Letter) -> int:
        """Send one row's payload; return Telegram's message id."""
        with background_sends(prepaid=1 if self.budget is not None else 0):
            message = await send_payload(self.application.bot, letter.recipient_id, letter.payload)
        return message.message_id

    async def _report(self, batch: str) -> None:
        callback = self._progress.get(kind_of(batch))
        if callback is None:
            return
        async with self.database.read() as conn:
            counts = await store.counts(conn, batch)
        finished = store.finished(counts)
        now = time.monotonic()
        if not finished and now - self._last_progress.get(batch, 0.0) < self.progress_every:
            return
        self._last_progress[batch] = now
        try:
            await callback(self.application, batch, counts, finished)
        except Exception:  # a failed progress edit must not stop delivery
            _LOGGER.exception("progress report for %s failed", batch)


async def send_texts(
    application: RembugApplication, batch: str, letters: list[tuple[int, str, InlineKeyboardMarkup | None]]
) -> int:
    """Queue one text (with optional inline buttons) per person in one batch and wake the sender:
    the way a due message meant for several people (a quarterly prompt to a cluster's board) goes
    out, so that one blocked recipient neither stops the others nor makes anyone get it twice."""
    payloads = [
        (chat_id, {"kind": "text", "text": text, **({"reply_markup": markup.to_dict()} if markup else {})})
        for chat_id, text, markup in letters
    ]
    async with application.services.db.transaction() as tx:
        added = await store.enqueue(tx, batch, payloads, application.services.clock.now())
    application.services.outbox.wake()
    return added


async def send_payload(bot: Bot, chat_id: int, payload: dict[str, Any]) -> Message:
    """Send an outbox payload (``kind`` text, photo, document or voice; ``text`` HTML; ``file_id``;
    optional ``reply_markup``; for text, optional ``more`` parts sent after it) to one chat.
    Also used to show a sender the preview."""
    markup = InlineKeyboardMarkup.de_json(payload["reply_markup"], bot) if payload.get("reply_markup") else None
    kind, text = payload["kind"], payload.get("text") or None
    if kind == "text":
        # A text over Telegram's limit travels as parts ("more"); the buttons go under the last.
        parts = [payload["text"], *payload.get("more", [])]
        for part in parts[:-1]:
            await bot.send_message(chat_id, part)
        return await bot.send_message(chat_id, parts[-1], reply_markup=markup)
    if kind == "photo":
        return await bot.send_photo(chat_id, payload["file_id"], caption=text, reply_markup=markup)
    if kind == "document":
        return await bot.send_document(chat_id, payload["file_id"], caption=text, reply_markup=markup)
    if kind == "voice":
        return await bot.send_voice(chat_id, payload["file_id"], caption=text, reply_markup=markup)
    raise BadRequest(f"unknown outbox payload kind {kind!r}")
