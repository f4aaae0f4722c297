"""Writing to the facilitators: who is offered it, its buttons, late input, and the letters' storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conversations.messages import rules
from conversations.messages.rules import LetterAction, LetterTap, Writer
from storage import clusters, letters, users

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def test_only_a_member_of_a_cluster_is_offered_to_write_to_the_facilitators():
    assert rules.writer(in_cluster=True, is_facilitator=False) is Writer.MEMBER
    assert rules.writer(in_cluster=True, is_facilitator=True) is Writer.FACILITATOR
    assert rules.writer(in_cluster=False, is_facilitator=False) is Writer.NO_CLUSTER


def test_a_letter_is_its_trimmed_text_and_empty_text_is_none():
    assert rules.clean_body("  Bu, stok habis.\n") == "Bu, stok habis."
    assert rules.clean_body("   ") is None and rules.clean_body(None) is None


def test_letter_buttons_round_trip_and_forged_ones_are_refused():
    for action in LetterAction:
        data = rules.letter_button_data(action, 42)
        assert rules.parse_letter_button(data) == LetterTap(action, 42)
    assert rules.letter_button_data(LetterAction.ANSWER, 7) == "lt1:re:7"
    for forged in ("lt1:send", "lt1:send:x", "lt1:burn:3", "lt1:send:3:4", "bs1:send:3", "lt1:send:-1", None, ""):
        assert rules.parse_letter_button(forged) is None


def test_a_survey_round_is_read_from_a_response_subject():
    assert rules.survey_round_of("survey_round:12") == 12
    assert rules.survey_round_of("plan_checkin:3") is None
    assert rules.survey_round_of("survey_round:") is None


def test_a_round_is_closed_when_closed_or_past_its_closing_time():
    assert not rules.round_closed("open", None, NOW)
    assert not rules.round_closed("open", NOW + timedelta(hours=1), NOW)
    assert rules.round_closed("open", NOW, NOW)
    assert rules.round_closed("closed", None, NOW)


def test_text_may_be_a_card_for_two_days_after_a_session_opened_once_collection_closed():
    assert not rules.collection_closed("collecting", NOW - timedelta(hours=1), NOW)
    assert rules.collection_closed("revealed", NOW - timedelta(hours=1), NOW)
    assert rules.collection_closed("closed", NOW - timedelta(days=2), NOW)
    assert not rules.collection_closed("voting", NOW - timedelta(days=2, minutes=1), NOW)


def test_a_meeting_is_over_for_a_day_after_its_check_in_closed():
    assert not rules.meeting_over(NOW - timedelta(hours=3), NOW)  # check-in still open (4 hours after the start)
    assert rules.meeting_over(NOW - timedelta(hours=4), NOW)
    assert rules.meeting_over(NOW - timedelta(hours=27), NOW)
    assert not rules.meeting_over(NOW - timedelta(hours=28), NOW)
    assert not rules.meeting_over(NOW + timedelta(hours=1), NOW)


async def _cluster(tx) -> int:
    for uid, name in ((1, "Ratna"), (2, "Ani")):
        await users.remember_user(tx, uid, name, None, None, "id", NOW)
    cluster = await clusters.create_cluster(
        tx,
        name="Sentra",
        regency="Kota Surakarta",
        province="Jawa Tengah",
        industry="batik",
        timezone="Asia/Jakarta",
        invite_code="LETTERS1",
        created_by=1,
        full_name="Ratna",
        now=NOW,
        source_update_id=-1,
    )
    return cluster.id


async def test_a_kept_letter_is_sent_or_dropped_once_and_only_by_its_member(database):
    async with database.transaction() as tx:
        cluster_id = await _cluster(tx)
        kept = await letters.keep_letter(tx, cluster_id, 2, "Stok habis", NOW, source_update_id=100)
        assert await letters.keep_letter(tx, cluster_id, 2, "Stok habis", NOW, source_update_id=100) == kept
        assert kept.status == "kept" and kept.sender_id == kept.member_id == 2
        assert not await letters.mark_sent(tx, kept.id, 1, NOW)  # not Ratna's
        assert await letters.mark_sent(tx, kept.id, 2, NOW)
        assert not await letters.mark_sent(tx, kept.id, 2, NOW)  # once
        assert not await letters.drop_letter(tx, kept.id, 2)  # sent: too late to drop
        sent = await letters.get_letter(tx, kept.id)
        assert sent is not None and sent.status == "sent" and sent.sent_at == NOW
        answer, new = await letters.add_answer(tx, sent, 1, "Baik", NOW, source_update_id=101)
        assert new and answer.in_reply_to == sent.id and answer.member_id == 2 and answer.sender_id == 1
        assert await letters.add_answer(tx, sent, 1, "Baik", NOW, source_update_id=101) == (answer, False)
        other = await letters.keep_letter(tx, cluster_id, 2, "Salah ketik", NOW, source_update_id=102)
        assert await letters.drop_letter(tx, other.id, 2)
        assert not await letters.mark_sent(tx, other.id, 2, NOW)
