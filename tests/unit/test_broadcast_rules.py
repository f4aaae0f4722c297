"""Broadcast rules and the outbox's state moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conversations.broadcasts.rules import Audience, Member, recipients, report_counts
from storage import outbox

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
MEMBERS = [
    Member(1, 10, frozenset({"facilitator"}), "core_firm", False),
    Member(2, 10, frozenset(), "trader", False),
    Member(3, 20, frozenset({"group_leader"}), "supplier", True),
    Member(4, None, frozenset({"secretary"}), "bank", False),
    Member(5, 20, frozenset(), "core_firm", True),
]


def test_audience_selection_by_group_role_type_and_people():
    assert recipients(Audience(group_ids=(10,)), MEMBERS, sender_id=1, urgent=False) == ([2], [])
    assert recipients(Audience(group_ids=(20,)), MEMBERS, sender_id=1, urgent=False) == ([], [3, 5])
    assert recipients(Audience(roles=("secretary",), stakeholder_types=("trader",)), MEMBERS, 1, False) == ([2, 4], [])
    assert recipients(Audience(people=(4, 5)), MEMBERS, 1, False) == ([4], [5])
    assert recipients(Audience(everyone=True), MEMBERS, 1, urgent=True) == ([2, 3, 4, 5], [])
    assert Audience().empty and not Audience(people=(1,)).empty


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


def test_a_meetings_people_as_an_audience():
    from conversations.broadcasts.rules import meeting_people

    invitees = [(1, "yes"), (2, None), (3, "no"), (4, "maybe"), (5, None)]
    assert meeting_people("inv", invitees, set()) == (1, 2, 3, 4, 5)
    assert meeting_people("rsvp", invitees, set()) == (2, 5)
    # Did not attend: invited, not checked in, and had not said they could not come.
    assert meeting_people("absent", invitees, present={1, 5}) == (2, 4)
