"""Retention: personal data nobody needs any more is deleted while the bot runs, not only at start-up.

A pass deletes, in one transaction each:
- handled updates in the inbox (every text, contact and tap as Telegram sent it) older than
  ``REMBUG_KEEP_UPDATES_DAYS`` (7); the newest update stays, so the next fetch knows its offset;
- abandoned drafts, untouched for ``REMBUG_KEEP_DRAFTS_DAYS`` (30): a flow's unconfirmed answers and
  open confirm screens, letters typed but never sent, and questionnaire responses never sent whose
  subject no longer takes answers (a closed survey round or plan; one still open can still be
  finished, so it stays); see ``storage/retention.py``;
- wrong invitation codes older than a week (the facilitator's count covers a week).

One pass runs at start-up; then the reminder engine runs one every hour (a due message of kind
``retention.prune`` that books the next), so a bot that runs for months keeps only what it needs.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import aiosqlite
from telegram.ext import ConversationHandler
from telegram.ext._utils.types import ConversationKey

from bot.services import RembugApplication
from storage import inbox as inbox_store
from storage import join_attempts
from storage import reminders as due_messages
from storage import retention as store
from storage.reminders import Due
from storage.retention import Pruned
from storage.timestamps import to_text

_LOGGER = logging.getLogger(__name__)
KIND = "retention.prune"
EVERY = timedelta(hours=1)
KEEP_WRONG_CODES = timedelta(days=7)


def register(application: RembugApplication) -> None:
    """Let the reminder engine run the hourly pass."""
    application.services.reminders.register(KIND, run_pass)


async def start(application: RembugApplication) -> Pruned:
    """Run one pass now and book the next (unless one is booked already); call before the reminder engine starts."""
    pruned = await prune(application)
    services = application.services
    async with services.db.transaction() as tx:
        if not await store.has_pending_run(tx, KIND):
            await _book(tx, services.clock.now())
    return pruned


async def run_pass(due: Due, application: RembugApplication) -> str:
    """The reminder engine's handler: one pass, then the next one booked."""
    pruned = await prune(application)
    async with application.services.db.transaction() as tx:
        await _book(tx, application.services.clock.now())
    return (
        f"deleted {pruned.updates} update(s), {pruned.drafts} draft(s), {pruned.letters} unsent letter(s), "
        f"{pruned.responses} unsent response(s), {pruned.join_attempts} wrong code(s)"
    )


async def prune(application: RembugApplication) -> Pruned:
    """Delete what is kept past its time (see the module docstring); return how much of each."""
    services = application.services
    now = services.clock.now()
    updates_before = now - timedelta(days=services.settings.keep_updates_days)
    drafts_before = now - timedelta(days=services.settings.keep_drafts_days)
    async with services.db.transaction() as tx:
        updates = await inbox_store.prune_handled(tx, updates_before)
        dropped = await store.prune_drafts(tx, drafts_before)
        ended = await _end_conversations(tx, application, dropped)
        letters = await store.prune_unsent_letters(tx, drafts_before)
        wrong_codes = await join_attempts.prune_wrong_codes(tx, now - KEEP_WRONG_CODES)
        await store.prune_own_runs(tx, KIND, updates_before)
    responses = 0
    after_id = 0
    while True:  # a batch at a time: each response's subject is asked whether it still takes answers
        async with services.db.transaction() as tx:
            batch = await store.untouched_responses(tx, drafts_before, after_id)
            if not batch:
                break
            closed = [r.id for r in batch if not await services.forms.takes_answers(tx, r)]
            responses += await store.delete_unsent_responses(tx, closed)
        after_id = batch[-1].id
    for handler, key in ended:  # committed: the flow's draft is gone, so its step must not wait for an answer
        handler._update_state(ConversationHandler.END, key)  # PTB's own way of ending one (as its timeout does)
    pruned = Pruned(updates, len(dropped), letters, responses, wrong_codes)
    if pruned != Pruned():
        _LOGGER.info("retention: %s", pruned)
    return pruned


async def _end_conversations(
    tx: aiosqlite.Connection, application: RembugApplication, dropped: list[tuple[int, str]]
) -> list[tuple[ConversationHandler, ConversationKey]]:
    """The conversations left waiting on a deleted draft: their stored states deleted here, to end in PTB.

    A draft's flow is its conversation's name ("profile", "meeting"), or that name and a part
    ("organisation_rules" in "organisation"); a conversation another of the person's drafts
    still belongs to is left alone.
    """
    named = {
        handler.name: handler
        for handlers in application.handlers.values()
        for handler in handlers
        if isinstance(handler, ConversationHandler) and handler.name
    }
    ending: list[tuple[ConversationHandler, ConversationKey]] = []
    for user_id in sorted({user_id for user_id, _flow in dropped}):
        kept = {_conversation_of(flow, named) for flow in await store.draft_flows_of(tx, user_id)}
        for name in {_conversation_of(flow, named) for uid, flow in dropped if uid == user_id} - kept:
            if name is None:
                continue
            await store.forget_conversation(tx, name, user_id)
            handler = named[name]
            ending += [(handler, key) for key in list(handler._conversations) if key and key[-1] == user_id]
    return ending


def _conversation_of(flow: str, named: dict[str, ConversationHandler]) -> str | None:
    if flow in named:
        return flow
    head = flow.split("_", 1)[0]
    return head if head in named else None


async def _book(tx: aiosqlite.Connection, now: datetime) -> None:
    """Book the next pass an hour from ``now`` (a key used before gets a suffix)."""
    at = now + EVERY
    key, number = f"retention:{to_text(at)}", 1
    while not await due_messages.schedule(tx, key, KIND, at, {}, now):
        number += 1
        key = f"retention:{to_text(at)}:{number}"
