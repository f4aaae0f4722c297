"""Broadcast rules and the outbox's state moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.audience import Allowed, Audience, Pick, PickAction
from bot.delivery_report import report_counts
from conversations.broadcasts import rules
from storage import outbox

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
ALLOWED = Allowed(whole_cluster=True)


def test_report_counts_keep_may_not_have_arrived_apart_from_failed():
    figures = report_counts({"sent": 5, "blocked": 1, "unknown": 1, "failed": 1, "pending": 2, "cancelled": 3})
    assert figures == {"sent": 5, "blocked": 1, "not_started": 0, "failed": 1, "unknown": 1, "waiting": 2, "total": 10}


async def test_outbox_rows_move_from_pending_to_a_result_once(database):
    async with database.transaction() as tx:
        assert (
            await outbox.enqueue(
                tx, "broadcast:1", [(11, {"kind": "text", "text": "a"}), (12, {"kind": "text", "text": "a"})], NOW
            )
            == 2
        )
        assert (
            await outbox.enqueue(tx, "broadcast:1", [(11, {"kind": "text", "text": "a"})], NOW) == 0
        )  # a replay adds nothing
        first, second = await outbox.due(tx, NOW, 10)
        assert await outbox.claim(tx, first.id, NOW)
        assert not await outbox.claim(tx, first.id, NOW)  # two senders cannot both take it
        await outbox.record(tx, first.id, "sent", NOW, message_id=99)
        assert await outbox.claim(tx, second.id, NOW)
        await outbox.record(tx, second.id, "pending", NOW, reason="flood", retry_at=NOW + timedelta(seconds=5))
        assert await outbox.due(tx, NOW, 10) == []
        assert [letter.recipient_id for letter in await outbox.due(tx, NOW + timedelta(seconds=6), 10)] == [12]
        assert await outbox.counts(tx, "broadcast:1") == {"sent": 1, "pending": 1}


async def test_a_new_row_is_due_at_once_even_when_the_business_clock_is_ahead(database):
    # A fake or file clock weeks ahead of the machine (tests, the sandbox) must not hold a message back.
    async with database.transaction() as tx:
        await outbox.enqueue(tx, "digest:1", [(11, {"kind": "text", "text": "a"})], NOW + timedelta(days=21))
        assert [letter.recipient_id for letter in await outbox.due(tx, NOW, 10)] == [11]


async def test_a_row_caught_mid_send_is_never_sent_again(database):
    async with database.transaction() as tx:
        await outbox.enqueue(tx, "broadcast:2", [(21, {"kind": "text", "text": "b"})], NOW)
        (letter,) = await outbox.due(tx, NOW, 10)
        await outbox.claim(tx, letter.id, NOW)  # the process dies here, mid-request
        assert await outbox.settle_interrupted(tx, NOW) == ["broadcast:2"]
        assert await outbox.due(tx, NOW, 10) == []
        assert await outbox.counts(tx, "broadcast:2") == {"unknown": 1}


def test_the_audience_steps_of_a_broadcast():
    chosen = Audience()
    step = rules.audience_step(chosen, Pick(PickAction.EVERYONE), ALLOWED, "Seluruh klaster")
    assert step.step is rules.Step.AUDIENCE and step.chosen == Audience(everyone=True, label="Seluruh klaster")
    step = rules.audience_step(chosen, Pick(PickAction.ROLE, word="secretary"), ALLOWED, "-")
    assert step.step is rules.Step.ROLES and step.chosen.roles == ("secretary",)  # stays on the roles screen
    assert rules.audience_step(chosen, Pick(PickAction.DONE), ALLOWED, "-").step is rules.Step.DONE
    assert rules.audience_step(chosen, Pick(PickAction.MEETINGS), ALLOWED, "-").step is rules.Step.MEETINGS
    people = Pick(PickAction.MEETING_PEOPLE, number=3, word="rsvp")
    assert rules.audience_step(chosen, people, ALLOWED, "-").step is rules.Step.PEOPLE
    # A group leader reaches their own small groups only: nothing cluster-wide, no other group.
    leader = Allowed(whole_cluster=False, group_ids=frozenset({10}))
    assert rules.audience_step(chosen, Pick(PickAction.GROUP, number=10), leader, "-").chosen.group_ids == (10,)
    for pick in (Pick(PickAction.GROUP, number=20), Pick(PickAction.EVERYONE), Pick(PickAction.MORE), people, None):
        assert rules.audience_step(chosen, pick, leader, "-").step is rules.Step.STALE
    assert not rules.may_go_on(Audience(group_ids=(10,)), 0) and rules.may_go_on(Audience(group_ids=(10,)), 2)


def test_a_broadcasts_buttons_are_read_into_typed_values():
    assert rules.parse_button("bc1:later:8am") == rules.LaterTap(rules.Later.MORNING)
    assert rules.parse_button("bc1:btn") == rules.RsvpButtonTap(None)
    assert rules.parse_button("bc1:btn:0") == rules.RsvpButtonTap(0)
    assert rules.parse_button("bc1:stop:7") == rules.StopTap(7)
    assert rules.parse_button("bc1:again:7") == rules.AgainTap(7)
    assert rules.parse_button("bc1:a:g:12") == Pick(PickAction.GROUP, number=12)
    for forged in ("bc1:later:3am", "bc1:stop:x", "bc1:again:", "mt1:stop:7", "bc1:a:g:x", None, "bc1:stop:1:2"):
        assert rules.parse_button(forged) is None
