"""The pace rules: wrong invitation codes per person (conversations/membership/join_rules.py) and
updates per person (bot/throttle.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.throttle import FLOOD_LIMIT, Throttle, Verdict
from conversations.membership.join_rules import minutes_to_wait, wait_before_next_code

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def test_four_wrong_codes_leave_one_more_try():
    tries = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4)]
    assert wait_before_next_code(tries, NOW) is None


def test_five_wrong_codes_in_ten_minutes_make_the_person_wait_until_the_first_is_ten_minutes_old():
    tries = [NOW - timedelta(minutes=m) for m in (8, 4, 3, 2, 1)]
    assert wait_before_next_code(tries, NOW) == timedelta(minutes=2)
    assert minutes_to_wait(timedelta(minutes=2)) == 2


def test_wrong_codes_older_than_ten_minutes_do_not_count():
    tries = [NOW - timedelta(minutes=m) for m in (30, 20, 11, 3, 2, 1)]
    assert wait_before_next_code(tries, NOW) is None


def test_the_wait_counts_from_the_fifth_newest_try():
    tries = [NOW - timedelta(minutes=m) for m in (9, 8, 7, 3, 2, 1)]
    assert wait_before_next_code(tries, NOW) == timedelta(minutes=2)  # the one 8 minutes ago must age out


def test_a_wait_of_seconds_reads_as_one_minute():
    assert minutes_to_wait(timedelta(seconds=5)) == 1
    assert minutes_to_wait(timedelta(minutes=9, seconds=1)) == 10


def test_twenty_updates_pass_the_twenty_first_warns_the_rest_are_dropped():
    throttle = Throttle()
    verdicts = [throttle.arrive(1, 100.0 + 0.1 * i) for i in range(30)]
    assert verdicts[:FLOOD_LIMIT] == [Verdict.PASS] * FLOOD_LIMIT
    assert verdicts[FLOOD_LIMIT] is Verdict.WARN
    assert verdicts[FLOOD_LIMIT + 1 :] == [Verdict.DROP] * 9


def test_after_a_quiet_window_the_sender_passes_again_and_can_be_warned_again():
    throttle = Throttle()
    for _ in range(25):
        throttle.arrive(1, 100.0)
    later = 111.0
    assert throttle.arrive(1, later) is Verdict.PASS
    for _ in range(19):
        throttle.arrive(1, later)
    assert throttle.arrive(1, later) is Verdict.WARN


def test_one_flooding_person_does_not_slow_another():
    throttle = Throttle()
    for _ in range(30):
        throttle.arrive(1, 100.0)
    assert throttle.arrive(2, 100.0) is Verdict.PASS


def test_people_not_heard_from_within_the_window_are_forgotten():
    throttle = Throttle()
    for user_id in range(10_000):
        throttle.arrive(user_id, 100.0)
    assert len(throttle) == 10_000
    throttle.arrive(1, 111.0)
    assert len(throttle) == 1
