"""The reminder engine on a fake clock: due, late after downtime, skipped when too late, never twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from telegram.error import Forbidden

from bot.clock import FakeClock
from bot.reminders import ReminderEngine, Skip
from storage import reminders as store

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    return FakeClock(START)


@pytest.fixture
def sent():
    return []


@pytest.fixture
def engine(database, clock, sent):
    engine = ReminderEngine(SimpleNamespace(job_queue=None), database, clock)

    async def send(due, application):
        sent.append(due.key)
        return "sent to " + str(due.payload["to"])

    engine.register("test.note", send)
    return engine


async def _schedule(database, clock, key, due_in, expires_in=None, kind="test.note"):
    async with database.transaction() as tx:
        return await store.schedule(
            tx,
            key,
            kind,
            START + due_in,
            {"to": 7},
            clock.now(),
            expires_at=START + expires_in if expires_in else None,
        )


async def _status(database, key):
    async with database.read() as conn:
        due = await store.get_by_key(conn, key)
    return due.status, due.outcome


async def test_nothing_goes_out_before_it_is_due(database, clock, engine, sent):
    await _schedule(database, clock, "m:1:24h", timedelta(hours=1))
    assert await engine.run_due() == 0
    clock.advance(minutes=59)
    assert await engine.run_due() == 0
    clock.advance(minutes=1)
    assert await engine.run_due() == 1
    assert sent == ["m:1:24h"]
    assert await _status(database, "m:1:24h") == ("sent", "sent to 7")


async def test_a_message_never_goes_out_twice(database, clock, engine, sent):
    assert await _schedule(database, clock, "m:1:2h", timedelta(minutes=5))
    assert not await _schedule(database, clock, "m:1:2h", timedelta(minutes=5))  # a replayed update
    clock.advance(hours=1)
    await engine.run_due()
    await engine.run_due()
    assert not await _schedule(database, clock, "m:1:2h", timedelta(minutes=5))  # even after it went out
    await engine.run_due()
    assert sent == ["m:1:2h"]


async def test_due_while_the_bot_was_down_goes_out_late_if_still_useful(database, clock, engine, sent):
    # Due at +1h, useless after +3h (the meeting starts); the bot comes back at +2h.
    await _schedule(database, clock, "m:2:reminder", timedelta(hours=1), expires_in=timedelta(hours=3))
    clock.advance(hours=2)
    await engine.run_due()
    assert sent == ["m:2:reminder"]


async def test_due_while_the_bot_was_down_is_skipped_when_too_late(database, clock, engine, sent):
    await _schedule(database, clock, "m:3:reminder", timedelta(hours=1), expires_in=timedelta(hours=3))
    clock.advance(hours=4)
    await engine.run_due()
    assert sent == []
    status, outcome = await _status(database, "m:3:reminder")
    assert status == "skipped" and "expired" in outcome


async def test_a_claim_interrupted_by_a_crash_is_not_sent_again(database, clock, engine, sent):
    await _schedule(database, clock, "m:4:reminder", timedelta(minutes=1))
    await _schedule(database, clock, "m:5:reminder", timedelta(minutes=1))
    clock.advance(minutes=2)
    async with database.transaction() as tx:
        first = (await store.due_now(tx, clock.now()))[0]
        assert await store.claim(tx, first.id)  # the process died right after claiming this one
    await engine.start()
    await engine.run_due()
    assert sent == ["m:5:reminder"]  # the rest of the batch still goes out
    assert await _status(database, "m:4:reminder") == ("unknown", "interrupted by a restart: may not have gone out")


async def test_cancelled_messages_do_not_go_out(database, clock, engine, sent):
    await _schedule(database, clock, "meeting:5:24h:user:1", timedelta(minutes=1))
    await _schedule(database, clock, "meeting:5:24h:user:2", timedelta(minutes=1))
    await _schedule(database, clock, "meeting:50:24h:user:1", timedelta(minutes=1))
    async with database.transaction() as tx:
        assert await store.cancel(tx, "meeting:5:", clock.now()) == 2
    clock.advance(minutes=5)
    await engine.run_due()
    assert sent == ["meeting:50:24h:user:1"]


async def test_a_handler_can_skip_or_fail_without_stopping_the_others(database, clock, engine, sent):
    async def already_answered(due, application):
        raise Skip("already answered")

    async def blocked(due, application):
        raise Forbidden("Forbidden: bot was blocked by the user")

    async def broken(due, application):
        raise ValueError("bad payload")

    engine.register("test.skip", already_answered)
    engine.register("test.blocked", blocked)
    engine.register("test.broken", broken)
    for key, kind in (
        ("a", "test.skip"),
        ("b", "test.blocked"),
        ("c", "test.broken"),
        ("d", "test.note"),
        ("e", "test.unknown"),
    ):
        await _schedule(database, clock, key, timedelta(minutes=1), kind=kind)
    clock.advance(minutes=2)
    assert await engine.run_due() == 5
    assert await _status(database, "a") == ("skipped", "already answered")
    assert (await _status(database, "b"))[0] == "failed" and "blocked" in (await _status(database, "b"))[1]
    assert await _status(database, "c") == ("failed", "ValueError: bad payload")
    assert sent == ["d"]
    assert await _status(database, "e") == ("failed", "no handler for test.unknown")


async def test_moving_a_pending_message(database, clock, engine, sent):
    await _schedule(database, clock, "m:6", timedelta(hours=1))
    async with database.transaction() as tx:
        await store.reschedule(tx, "m:6", START + timedelta(hours=5))
        assert await store.next_due_at(tx) == START + timedelta(hours=5)
    clock.advance(hours=2)
    await engine.run_due()
    assert sent == []
