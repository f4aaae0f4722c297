"""The update inbox: no update is lost when the bot crashes.

PTB's own Updater confirms updates to Telegram as soon as it fetches them, so
a crash loses what was queued. The inbox replaces it:

1. ``getUpdates`` fetches a batch;
2. each update is stored in the ``inbox`` table and committed;
3. only then does the next ``getUpdates`` confirm the batch (its ``offset``);
4. each stored update is handed to ``Application.process_update``; then the
   conversation states it moved and its "handled" mark are written in one
   transaction (``storage.persistence``), so a replay always finds the state
   the update found.

In webhook mode (``bot/webhook.py``) steps 1-3 are one POST from Telegram:
``take`` stores the update and commits before the POST is answered 200, so
Telegram redelivers whatever was not stored; an update stored already (a
redelivery whose 200 was lost) is not handed over again. Step 4 is the same.

After a restart, stored updates not marked handled are processed first.
Handled updates are deleted after ``REMBUG_KEEP_UPDATES_DAYS`` by ``bot/retention.py``.
Handlers must therefore be safe to run twice on the same update: they store
by keys (upserts, ``INSERT OR IGNORE``, the update id), so a replay changes
nothing, and they answer a replayed tap as best they can (``answer_tap``).
Updates from one chat are handled in order; different chats run concurrently.

A person sending more than 20 updates (``REMBUG_FLOOD_LIMIT``) in 10 seconds is told once that they go too fast; the
rest are filed as handled ("throttled") without reaching the flows (``bot/throttle.py``).

A handler that raises is not filed as handled: the error handler tells the
inbox (``will_retry``), which tries the update again after a short pause, up
to ``MAX_ATTEMPTS`` starts in all (restarts included). The person hears the
apology once, when the last try failed, or not at all when a later try works.
A refused request (400) or a person who blocked the bot (403) is not worth
another try. An update whose handling was started ``MAX_ATTEMPTS`` times (it
crashed the process each time) is given up on and logged, so one poisoned
update cannot stop the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import timedelta

import aiosqlite
from telegram import Update
from telegram.error import Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application

from bot.clock import Clock
from bot.recipients import language_of
from bot.throttle import FLOOD_LIMIT, Throttle, Verdict, too_fast
from storage import inbox as inbox_store
from storage.database import Database, Write
from storage.persistence import SQLitePersistence

_LOGGER = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
RETRY_PAUSE = 1.0  # seconds before the second try; doubled before each next one


class Inbox:
    """Fetch, store, confirm and hand over updates; replay what a crash left behind."""

    def __init__(
        self,
        application: Application,
        database: Database,
        clock: Clock,
        *,
        poll_timeout: int = 10,
        concurrency: int = 16,
        retry_pause: float = RETRY_PAUSE,
        default_language: str = "id",
        flood_limit: int = FLOOD_LIMIT,
    ) -> None:
        self.application = application
        self.database = database
        self.clock = clock
        self.poll_timeout = poll_timeout
        self.retry_pause = retry_pause
        self._attempts: dict[int, int] = {}  # update id -> which start of handling is under way
        self._failed: dict[int, bool] = {}  # update id -> whether another try may help
        self._slots = asyncio.Semaphore(concurrency)
        self._chat_locks: dict[int, asyncio.Lock] = {}
        self._chat_waiting: dict[int, int] = {}
        self._tasks: set[asyncio.Task] = set()
        self._fetcher: asyncio.Task | None = None
        self._offset: int | None = None
        self._stopping = asyncio.Event()
        self.handled = 0
        self.throttle = Throttle(flood_limit) if flood_limit else None  # None: no limit
        self.default_language = default_language

    async def start(self, *, polling: bool = True) -> None:
        """Replay what is stored and unhandled (each replay counts as one more start), then start fetching.

        With ``polling`` False (webhook mode) nothing is fetched: ``take`` is given each update.
        """
        async with self.database.transaction() as tx:
            pending = await inbox_store.start_replays(tx)
            newest = await inbox_store.last_update_id(tx)
        self._offset = newest + 1 if newest is not None else None
        if pending:
            _LOGGER.info("replaying %d update(s) left unhandled by the last run", len(pending))
        for stored in pending:
            update = Update.de_json(stored.payload, self.application.bot)
            self._dispatch(update, stored.attempts)
        if not polling:
            return
        await self.application.bot.delete_webhook(drop_pending_updates=False)
        self._stopping.clear()
        self._fetcher = asyncio.create_task(self._fetch_forever(), name="inbox-fetch")

    async def stop(self, timeout: float = 10) -> None:  # noqa: ASYNC109 (a grace period, then what is left is cancelled)
        """Stop fetching and wait (up to ``timeout`` seconds) for updates being handled."""
        self._stopping.set()
        if self._fetcher:
            self._fetcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._fetcher
        if self._tasks:
            _done, still = await asyncio.wait(self._tasks, timeout=timeout)
            for task in still:
                task.cancel()
            if still:  # let them roll back what they had open before anything else uses the database
                await asyncio.wait(still)

    async def idle(self) -> None:
        """Wait until every update fetched so far has been handled (used by tests)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def _fetch_forever(self) -> None:
        backoff = 1.0
        while not self._stopping.is_set():
            try:
                updates = await self.application.bot.get_updates(
                    offset=self._offset,
                    timeout=self.poll_timeout,
                    read_timeout=self.poll_timeout + 5,
                    allowed_updates=Update.ALL_TYPES,
                )
            except RetryAfter as error:
                await asyncio.sleep(_seconds(error.retry_after))
                continue
            except (InvalidToken, Forbidden):
                _LOGGER.critical("the Bot API refused the token; stopping the inbox")
                raise
            except Conflict:
                _LOGGER.error("another process is polling with this token; retrying in %.0f s", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30)
                continue
            except (NetworkError, TimedOut) as error:
                _LOGGER.warning("getUpdates failed (%s); retrying in %.0f s", error, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30)
                continue
            backoff = 1.0
            if not updates:
                continue
            await self._store(updates)
            self._offset = updates[-1].update_id + 1
            for update in updates:
                self._dispatch(update)  # its first start is recorded with its first commit

    async def _store(self, updates: list[Update]) -> None:
        async with self.database.transaction() as tx:
            await inbox_store.store_updates(
                tx, [(update.update_id, update.to_dict()) for update in updates], self.clock.now()
            )

    async def take(self, update: Update) -> bool:
        """Store a pushed (webhook) update and commit, then hand it over; False when it was stored before.

        Once this returns, the update is safe to acknowledge: a crash now leaves it for the replay.
        """
        async with self.database.transaction() as tx:
            new = await inbox_store.store_updates(tx, [(update.update_id, update.to_dict())], self.clock.now())
        if new:
            self._dispatch(update)
        return bool(new)

    def _dispatch(self, update: Update, recorded: int = 0) -> None:
        """Handle ``update`` in its chat's turn; ``recorded``: the starts already counted in the table.

        A new update is counted against its sender's pace as it arrives (a replay was counted before).
        """
        sender = update.effective_user
        verdict = Verdict.PASS
        if self.throttle is not None and sender is not None and not recorded:
            verdict = self.throttle.arrive(sender.id, time.monotonic())
        task = asyncio.create_task(self._handle(update, recorded, verdict), name=f"inbox-update-{update.update_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, update: Update, recorded: int, verdict: Verdict = Verdict.PASS) -> None:
        key = _ordering_key(update)
        lock = self._chat_locks.setdefault(key, asyncio.Lock())
        self._chat_waiting[key] = self._chat_waiting.get(key, 0) + 1
        try:
            async with lock, self._slots:
                if verdict is Verdict.PASS:
                    await self._handle_in_turn(update, recorded)
                else:
                    await self._hold_back(update, verdict)
        finally:
            self._chat_waiting[key] -= 1
            if not self._chat_waiting[key]:
                del self._chat_waiting[key]
                self._chat_locks.pop(key, None)

    async def _hold_back(self, update: Update, verdict: Verdict) -> None:
        """File a throttled update as handled, without the flows; the first one over says why, once."""
        chat, sender = update.effective_chat, update.effective_user
        if verdict is Verdict.WARN and chat is not None and sender is not None and chat.type == "private":
            async with self.database.read() as conn:
                lang = await language_of(conn, sender.id, self.default_language)
            try:
                await self.application.bot.send_message(chat.id, too_fast(lang))
            except TelegramError as error:  # best effort: the update is filed either way
                _LOGGER.warning("could not tell %s they go too fast: %s", sender.id, error)
        await self._mark(update, "throttled")
        self.handled += 1

    def will_retry(self, update: object, *, worth_retrying: bool = True) -> bool:
        """Note that handling ``update`` failed; True when the inbox will try it again.

        Called by the error handler, which apologises only when this says False.
        """
        update_id = update.update_id if isinstance(update, Update) else None
        attempts = self._attempts.get(update_id) if update_id is not None else None
        if update_id is None or attempts is None:  # not an update the inbox is handling (a job, a test)
            return False
        retry = worth_retrying and attempts < MAX_ATTEMPTS
        self._failed[update_id] = retry
        return retry

    async def _handle_in_turn(self, update: Update, recorded: int) -> None:
        """Handle one update, trying again after a failure; then file it.

        A start of handling is counted (``attempts``) before the handlers run,
        but not committed on its own: the count is a deferred write that goes
        out with the update's first commit (its flow's first transaction, or
        its mark). A replay's start was already counted at start-up.
        """
        update_id = update.update_id
        attempts = max(recorded, 1)
        while True:
            if attempts > MAX_ATTEMPTS:
                _LOGGER.error("giving up on update %s after %d attempts", update_id, attempts - 1)
                await self._mark(update, "gave_up")
                return
            with self.database.deferring():
                if attempts > recorded:
                    await self.database.defer(_recording(update_id, attempts))
                self._attempts[update_id] = attempts
                try:
                    await self.application.process_update(update)
                finally:
                    del self._attempts[update_id]
                await self.application.update_persistence()
                failed = update_id in self._failed
                retry = self._failed.pop(update_id, False)
                if not retry:
                    await self._mark(update, "failed" if failed else "handled")
                    self.handled += 1
                    return
                await self._commit_deferred()
            pause = self.retry_pause * 2 ** (attempts - 1)
            _LOGGER.warning(
                "update %s failed (try %d of %d); trying again in %.0f s", update_id, attempts, MAX_ATTEMPTS, pause
            )
            await asyncio.sleep(pause)
            attempts += 1

    async def _commit_deferred(self) -> None:
        """Commit what the update's handling deferred (its attempt count) before a pause."""
        async with self.database.transaction():
            pass

    async def _mark(self, update: Update, outcome: str) -> None:
        """File the update, with the conversation states it moved (and what it deferred), in one transaction."""
        persistence = self.application.persistence
        async with self.database.transaction() as tx:
            if isinstance(persistence, SQLitePersistence):
                await persistence.write_states(tx, _ordering_key(update))
            await inbox_store.mark_handled(tx, update.update_id, outcome, self.clock.now())


def _recording(update_id: int, attempts: int) -> Write:
    async def record(tx: aiosqlite.Connection) -> None:
        await inbox_store.record_attempts(tx, update_id, attempts)

    return record


def _ordering_key(update: Update) -> int:
    """Updates with the same key are handled one after another, in arrival order."""
    if update.effective_chat:
        return update.effective_chat.id
    if update.effective_user:
        return update.effective_user.id
    return 0


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
