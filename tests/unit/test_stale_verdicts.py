"""What happened to the thing an old button is about: each flow's verdict from the object's stored state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.permissions import needed_role, role_lost
from bot.roles import Action, Role
from bot.stale_rules import Verdict
from conversations.brainstorm.button_rules import Step
from conversations.brainstorm.stale_rules import session_verdict
from conversations.meetings.stale_rules import meeting_verdict
from conversations.organisation.election_rules import election_verdict
from conversations.survey.rules import round_verdict

START = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cancelled", "now", "rsvp", "verdict"),
    [
        (True, START - timedelta(days=1), True, Verdict.CANCELLED),
        (True, START + timedelta(days=3), False, Verdict.CANCELLED),
        (False, START - timedelta(hours=1), True, None),  # still ahead: the button failed for another reason
        (False, START + timedelta(minutes=30), True, Verdict.STARTED),
        (False, START + timedelta(minutes=30), False, None),  # the organiser's buttons still work while it runs
        (False, START + timedelta(days=1), True, Verdict.FINISHED),
        (False, START + timedelta(days=1), False, Verdict.FINISHED),
    ],
)
def test_a_meeting_is_cancelled_begun_or_over(cancelled, now, rsvp, verdict):
    assert meeting_verdict(cancelled=cancelled, starts_at=START, now=now, rsvp=rsvp) is verdict


@pytest.mark.parametrize(
    ("accepting", "newer", "sent", "verdict"),
    [
        (False, False, False, Verdict.CLOSED),
        (False, False, True, Verdict.CLOSED),
        (False, True, False, Verdict.REPLACED),
        (True, False, True, Verdict.DONE),
        (True, True, True, Verdict.DONE),
        (True, False, False, None),
    ],
)
def test_a_round_is_closed_replaced_or_already_sent(accepting, newer, sent, verdict):
    assert round_verdict(accepting=accepting, newer=newer, sent=sent) is verdict


@pytest.mark.parametrize(
    ("phase", "step", "moving_to", "verdict"),
    [
        ("collecting", Step.CARDS, None, None),
        ("revealed", Step.CARDS, None, Verdict.CLOSED),
        ("voting", Step.WITHDRAW, None, Verdict.CLOSED),
        ("grouping", Step.PLACE, None, None),  # voting has not opened yet: not an old button
        ("voting", Step.PLACE, None, None),
        ("results", Step.PLACE, None, Verdict.CLOSED),
        ("results", Step.BALLOT, None, Verdict.CLOSED),
        ("closed", Step.BALLOT, None, Verdict.FINISHED),
        ("closed", Step.OPEN, None, Verdict.FINISHED),
        ("revealed", Step.CONFIRM_ADVANCE, "revealed", Verdict.DONE),
        ("grouping", Step.ADVANCE, "revealed", Verdict.DONE),
        ("collecting", Step.CONFIRM_ADVANCE, "revealed", None),
        ("results", Step.OPEN, None, None),
    ],
)
def test_a_session_finished_or_its_collection_or_voting_closed_or_the_move_was_made(phase, step, moving_to, verdict):
    assert session_verdict(phase, step, moving_to) is verdict


@pytest.mark.parametrize(
    ("status", "contest_open", "verdict"),
    [
        ("closed", None, Verdict.FINISHED),
        ("closed", False, Verdict.FINISHED),
        ("voting", False, Verdict.CLOSED),
        ("voting", True, None),
        ("nominating", None, None),
    ],
)
def test_an_election_is_over_or_its_ballot_closed(status, contest_open, verdict):
    assert election_verdict(status, contest_open) is verdict


def test_an_old_button_of_a_lost_role_names_the_role_and_the_cluster():
    assert needed_role(Action.SHOW_INVITE) is Role.FACILITATOR
    lost = role_lost("id", Action.SHOW_INVITE, "Sentra Batik Laweyan")
    assert lost.text == "Anda bukan lagi fasilitator klaster <b>Sentra Batik Laweyan</b>."
    assert lost.toast == "Hanya fasilitator klaster ini yang dapat melakukan ini." and lost.alert
    outside = role_lost("en", Action.ANSWER_SURVEY, None)
    assert outside.text == "You are not in a cluster now."


async def test_the_engine_asks_the_explainers_of_the_buttons_prefix_in_turn():
    from bot.roles import Standing
    from bot.stale import Explanation, OldTap, StaleButtons

    said = Explanation("toast", "text")

    async def nothing(conn, tap):
        return None

    async def something(conn, tap):
        return said if tap.data.endswith(":7") else None

    engine = StaleButtons()
    engine.add("mt1", nothing)
    engine.add("mt1", something)
    tap = OldTap("mt1:open:7", 1, Standing(1), START, "id")
    assert await engine.explain(None, tap) is said
    assert await engine.explain(None, OldTap("mt1:open:8", 1, Standing(1), START, "id")) is None
    assert await engine.explain(None, OldTap("sv1:ans:7", 1, Standing(1), START, "id")) is None


@pytest.mark.parametrize(
    ("status", "key", "verdict"),
    [
        ("closed", "p", Verdict.CLOSED),
        ("closed", "puby", Verdict.CLOSED),
        ("published", "puby", Verdict.DONE),
        ("published", "act", Verdict.DONE),
        ("published", "p", None),
        ("draft", "puby", None),
    ],
)
def test_a_plan_is_closed_or_already_published(status, key, verdict):
    from conversations.plans.stale_rules import plan_verdict

    assert plan_verdict(status, key) is verdict
