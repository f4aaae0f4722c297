"""The organisation's rules: counting, ties (run-off and recorded lots), eligibility, nominations, versions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conversations.organisation import rules
from conversations.organisation.rules import Outcome, VoteProblem, Voter
from storage import ballots, elections, organisation, users
from storage.timestamps import to_text

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def test_the_most_votes_wins_counting_phone_and_paper_together():
    assert rules.count({11: 3, 12: 5, 13: 0}) == Outcome("winner", winner=12)
    assert rules.count({11: 4, 12: 4, 13: 1}) == Outcome("tie", tied=(11, 12))
    assert rules.count({11: 0, 12: 0}) == Outcome("no_votes")
    assert rules.count({}) == Outcome("no_votes")


def test_a_tie_goes_to_a_runoff_once_then_to_lots():
    tie = Outcome("tie", tied=(11, 12))
    assert rules.settle(tie, "runoff", 1) == "runoff"
    assert rules.settle(tie, "runoff", 2) == "lots"  # the run-off tied again: the election still ends
    assert rules.settle(tie, "lots", 1) == "lots"
    assert rules.settle(Outcome("winner", winner=11), "runoff", 1) == "elected"
    assert rules.settle(Outcome("no_votes"), "lots", 1) == "vacant"


def test_lots_are_reproducible_from_the_recorded_seed():
    seed = rules.new_seed()
    winner = rules.draw_lots([13, 11, 12], seed)
    assert winner in (11, 12, 13)
    assert all(rules.draw_lots([12, 13, 11], seed) == winner for _ in range(5))  # order of the tied does not matter
    outcomes = {rules.draw_lots([11, 12], f"seed-{n}") for n in range(40)}
    assert outcomes == {11, 12}  # both can win
    with pytest.raises(ValueError):
        rules.draw_lots([11], seed)


def test_who_may_vote():
    opened = NOW
    member = Voter(is_member=True, joined_at=NOW - timedelta(days=30), present=False)
    assert rules.eligibility("members", member, opened) is None
    assert rules.eligibility("meeting", member, opened) == VoteProblem.NOT_PRESENT
    assert rules.eligibility("meeting", Voter(True, NOW, present=True), opened) is None
    assert rules.eligibility("members", Voter(False, None, present=True), opened) == VoteProblem.NOT_MEMBER
    late = Voter(True, NOW + timedelta(minutes=5), present=False)
    assert rules.eligibility("members", late, opened) == VoteProblem.JOINED_LATE


def test_a_vote_is_checked_before_it_is_counted():
    candidates = {11: True, 12: False}
    assert rules.check_vote(True, None, False, candidates, 11) is None
    assert rules.check_vote(True, None, False, candidates, None) is None  # opening the ballot
    assert rules.check_vote(False, None, False, candidates, 11) == VoteProblem.CLOSED
    assert rules.check_vote(True, VoteProblem.NOT_PRESENT, False, candidates, 11) == VoteProblem.NOT_PRESENT
    assert rules.check_vote(True, None, True, candidates, 11) == VoteProblem.ALREADY_VOTED
    assert rules.check_vote(True, None, False, candidates, 99) == VoteProblem.NOT_A_CANDIDATE
    assert rules.check_vote(True, None, False, candidates, 12) == VoteProblem.CANDIDATE_LEFT


def test_nominations_one_position_per_person_and_only_members():
    problem = rules.NominationProblem
    assert rules.check_nomination("nominating", True, {}, "chair") is None
    assert rules.check_nomination("voting", True, {}, "chair") == problem.CLOSED
    assert rules.check_nomination("nominating", False, {}, "chair") == problem.NOT_MEMBER
    assert rules.check_nomination("nominating", True, {"chair": "pending"}, "chair") == problem.ALREADY
    assert rules.check_nomination("nominating", True, {"chair": "declined"}, "chair") == problem.DECLINED_BEFORE
    assert rules.check_nomination("nominating", True, {"chair": "accepted"}, "secretary") == problem.OTHER_POSITION
    assert rules.check_nomination("nominating", True, {"chair": "declined"}, "secretary") is None
    assert rules.ballot_of(
        [(11, "accepted", True), (12, "declined", True), (13, "accepted", False), (14, "pending", True)]
    ) == [11]


def test_versions_are_numbered_and_answers_close_with_the_window():
    assert rules.next_number([]) == 1
    assert rules.next_number([1, 3, 2]) == 4
    closes, nudge = rules.vision_window(NOW, 3)
    assert closes == NOW + timedelta(days=3) and nudge == NOW + timedelta(days=2)
    assert rules.vision_window(NOW, 1)[1] is None  # too short to nudge
    assert rules.check_vision_answer("consulting", closes, NOW, True) is None
    assert rules.check_vision_answer("consulting", closes, closes, True) == rules.AnswerProblem.CLOSED
    assert rules.check_vision_answer("superseded", closes, NOW, True) == rules.AnswerProblem.SUPERSEDED
    assert rules.check_vision_answer("consulting", closes, NOW, False) == rules.AnswerProblem.NOT_MEMBER
    assert rules.summarise_responses(
        [("agree", None), ("change", "lebih pendek"), ("change", None)]
    ) == rules.Responses(1, 2, 1)


def test_paper_ballots_need_a_second_person_and_turnout_counts_both():
    problem = rules.WitnessProblem
    assert rules.check_witness(1, 2, 2, "pending", True) is None
    assert rules.check_witness(1, 2, 1, "pending", True) == problem.SAME_PERSON
    assert rules.check_witness(1, 2, 3, "pending", True) == problem.NOT_NAMED
    assert rules.check_witness(1, 2, 2, "confirmed", True) == problem.DONE
    assert rules.check_witness(1, 2, 2, "pending", False) == problem.CLOSED
    assert (
        rules.parse_paper_count(" 2 ") == 2
        and rules.parse_paper_count("dua") is None
        and rules.parse_paper_count("-1") is None
    )
    turnout = rules.Turnout(by_phone=7, on_paper=2, eligible=9)
    assert turnout.voted == 9 and turnout.rate == 1.0
    assert rules.Turnout(0, 0, 0).rate == 0.0


def test_callback_data_is_parsed_strictly():
    assert rules.parse_tap("og1:vpm:4:512") == rules.Tap("vpm", 4, number=512)
    assert rules.parse_tap("og1:e:7") == rules.Tap("e", 7)
    assert rules.parse_tap("og1:rmt:0") == rules.Tap("rmt", 0)
    assert rules.parse_tap("og1:nm:7:chair:42") == rules.Tap("nm", 7, "chair", 42)
    assert rules.parse_tap("og1:nd:7:treasurer") == rules.Tap("nd", 7, "treasurer")
    for forged in (
        "og1:vpm:4",
        "og1:vpm:x:512",
        "og1:e:7:8",
        "og1:nm:7:king:42",
        "og1:nm:7:chair:x",
        "og1:ny:7",
        "og1:zz:7",
        "mt1:e:7",
        "og1:home",
        "",
        None,
    ):
        assert rules.parse_tap(forged) is None, forged
    assert rules.parse_results_page("og1:es:3") == rules.ResultsPage(3, 0)
    assert rules.parse_results_page("og1:es:3:2") == rules.ResultsPage(3, 2)
    for forged in ("og1:es", "og1:es:x", "og1:es:3:100", "og1:e:3", "og1:es:3:1:1"):
        assert rules.parse_results_page(forged) is None, forged


class _Meeting:
    def __init__(self, cluster_id: int, cancelled: bool = False) -> None:
        self.cluster_id, self.cancelled = cluster_id, cancelled


def test_a_text_is_adopted_only_at_a_meeting_of_its_own_cluster_that_took_place():
    assert rules.adopting_meeting_fits(_Meeting(1), 1)
    assert not rules.adopting_meeting_fits(_Meeting(2), 1)
    assert not rules.adopting_meeting_fits(_Meeting(1, cancelled=True), 1)
    assert not rules.adopting_meeting_fits(None, 1)
    assert rules.can_adopt(1, "consulting", True, _Meeting(1), 1)
    assert not rules.can_adopt(1, "consulting", False, _Meeting(1), 1)  # a newer version exists
    assert not rules.can_adopt(1, "adopted", True, _Meeting(1), 1)
    assert not rules.can_adopt(2, "consulting", True, _Meeting(1), 1)


def test_a_draft_is_sent_or_stored_only_from_the_cluster_it_was_begun_in():
    assert rules.vision_draft_ready({"cluster_id": 1, "text": "Maju"}, 1, 3)
    assert not rules.vision_draft_ready({"cluster_id": 1, "text": "Maju"}, 1, 2)  # not a window offered
    assert not rules.vision_draft_ready({"cluster_id": 1}, 1, 3)
    assert not rules.vision_draft_ready({"cluster_id": 2, "text": "Maju"}, 1, 3)
    assert rules.rules_draft_ready({"cluster_id": 1, "sections": ["Pasal 1"]}, 1)
    assert rules.rules_draft_ready({"cluster_id": 1, "file_id": "F"}, 1)
    assert not rules.rules_draft_ready({"cluster_id": 1, "sections": []}, 1)
    assert not rules.rules_draft_ready({"cluster_id": 1, "file_id": "F"}, None)


async def _people(tx, *ids):
    for uid in ids:
        await users.remember_user(tx, uid, f"P{uid}", None, None, "id", NOW)


async def _cluster(tx):
    from storage import clusters

    await _people(tx, 1, 11, 12, 21, 22, 23)
    cluster = await clusters.create_cluster(
        tx,
        name="Sentra Uji",
        regency="Kudus",
        province="Jawa Tengah",
        industry="bordir",
        timezone="Asia/Jakarta",
        invite_code="UJI22",
        created_by=1,
        full_name="Fasil",
        now=NOW,
        source_update_id=1,
    )
    return cluster.id


async def test_drafts_of_the_vision_keep_every_version(database):
    async with database.transaction() as tx:
        cluster_id = await _cluster(tx)
        first, new = await organisation.post_vision(tx, cluster_id, "Visi 1", 1, NOW + timedelta(days=3), NOW, 100)
        again, new_again = await organisation.post_vision(
            tx, cluster_id, "Visi 1", 1, NOW + timedelta(days=3), NOW, 100
        )
        second, _ = await organisation.post_vision(tx, cluster_id, "Visi 2", 1, NOW + timedelta(days=3), NOW, 101)
        await organisation.adopt_vision(tx, second.id, None, NOW)
        versions = await organisation.vision_versions(tx, cluster_id)
        adopted = await organisation.adopted_vision(tx, cluster_id)
    assert new and not new_again and again.id == first.id  # a replayed update posts nothing new
    assert [(v.number, v.status) for v in versions] == [(2, "adopted"), (1, "superseded")]
    assert adopted.text == "Visi 2"


async def test_a_vote_leaves_no_link_between_voter_and_choice(database):
    async with database.transaction() as tx:
        cluster_id = await _cluster(tx)
        election, _ = await elections.create_election(
            tx,
            cluster_id=cluster_id,
            positions=["chair"],
            voters="members",
            meeting_id=None,
            candidacy="recommendation",
            tie_rule="lots",
            created_by=1,
            now=NOW,
            source_update_id=7,
        )
        contest = await elections.open_contest(tx, election.id, "chair", 1, [12, 11], NOW)
    order = [(21, 12), (22, 11), (23, 12)]
    for voter, choice in order:
        async with database.transaction() as tx:
            assert await ballots.cast_vote(tx, contest.id, voter, choice)
    async with database.transaction() as tx:
        assert not await ballots.cast_vote(tx, contest.id, 21, 11)  # a second vote counts nothing
        with pytest.raises(ValueError):
            await ballots.cast_vote(tx, contest.id, 1, 99)
    async with database.read() as conn:
        assert await ballots.totals(conn, contest.id) == {11: (1, 0), 12: (2, 0)}
        assert await ballots.voters_of(conn, contest.id) == {21, 22, 23}  # the failed vote left no turnout
        async with conn.execute("SELECT * FROM ballot_counts") as cursor:
            counts = await cursor.fetchall()
        async with conn.execute("SELECT * FROM ballot_turnout") as cursor:
            turnout = await cursor.fetchall()
    assert counts == [(contest.id, 11, 1, 0), (contest.id, 12, 2, 0)]  # candidate order, not voting order
    assert turnout == [(contest.id, 21), (contest.id, 22), (contest.id, 23)]  # voter order, no time, no choice


async def test_lots_are_recorded_once_and_paper_counts_once(database):
    async with database.transaction() as tx:
        cluster_id = await _cluster(tx)
        election, _ = await elections.create_election(
            tx,
            cluster_id=cluster_id,
            positions=["chair"],
            voters="members",
            meeting_id=None,
            candidacy="recommendation",
            tie_rule="lots",
            created_by=1,
            now=NOW,
            source_update_id=7,
        )
        contest = await elections.open_contest(tx, election.id, "chair", 1, [11, 12], NOW)
        tally, _ = await ballots.enter_paper(tx, contest.id, {11: 2, 12: 1}, 1, 23, NOW, 300)
        assert await ballots.decide_paper(tx, tally.id, True, NOW)
        assert not await ballots.decide_paper(tx, tally.id, True, NOW)  # confirming twice adds nothing
        seed = rules.new_seed()
        winner = rules.draw_lots([11, 12], seed)
        draw = await ballots.record_draw(tx, contest.id, seed, [12, 11], winner, NOW)
        second = await ballots.record_draw(tx, contest.id, "other", [11, 12], 11 if winner == 12 else 12, NOW)
        totals = await ballots.totals(tx, contest.id)
    assert totals == {11: (0, 2), 12: (0, 1)}
    assert draw == second and draw.seed == seed and draw.tied == (11, 12)  # the first draw stands
    assert rules.draw_lots(draw.tied, draw.seed) == draw.winner_id
    assert to_text(draw.drawn_at) == to_text(NOW)


async def test_a_tie_is_settled_by_recorded_lots_and_the_winner_takes_office(database):
    from conversations.organisation import results
    from storage import memberships

    async with database.transaction() as tx:
        cluster_id = await _cluster(tx)
        for uid in (11, 12, 21, 22):
            await memberships.join_cluster(tx, cluster_id, uid, {"full_name": f"P{uid}"}, NOW - timedelta(days=1))
        election, _ = await elections.create_election(
            tx,
            cluster_id=cluster_id,
            positions=["secretary"],
            voters="members",
            meeting_id=None,
            candidacy="recommendation",
            tie_rule="lots",
            created_by=1,
            now=NOW,
            source_update_id=7,
        )
        for uid in (11, 12):
            await elections.propose(tx, election.id, "secretary", uid, 1, "recommended", NOW)
        contest = await elections.open_contest(tx, election.id, "secretary", 1, [11, 12], NOW)
        await elections.set_status(tx, election.id, "voting", NOW)
        await ballots.cast_vote(tx, contest.id, 21, 11)
        await ballots.cast_vote(tx, contest.id, 22, 12)
        election = await elections.get_election(tx, election.id)
        runoffs = await results.close_and_count(tx, election, NOW + timedelta(hours=1))
        draw = await ballots.get_draw(tx, contest.id)
        position = (await elections.positions_of(tx, election.id))[0]
        board = await memberships.board(tx, cluster_id)
        secretary = await memberships.get_membership(tx, cluster_id, draw.winner_id)
        closed = await elections.get_election(tx, election.id)
    assert runoffs == []  # lots, not a run-off
    assert draw.tied == (11, 12) and rules.draw_lots(draw.tied, draw.seed) == draw.winner_id  # anyone can redo the draw
    assert (position.winner_id, position.decided_by) == (draw.winner_id, "lots")
    assert [(h.position, h.user_id, h.election_id) for h in board] == [("secretary", draw.winner_id, election.id)]
    assert secretary.is_secretary and closed.status == "closed"


async def test_a_tie_with_runoffs_opens_a_second_round_between_the_tied_only(database):
    from conversations.organisation import results
    from storage import memberships

    async with database.transaction() as tx:
        cluster_id = await _cluster(tx)
        for uid in (11, 12, 21, 22, 23):
            await memberships.join_cluster(tx, cluster_id, uid, {"full_name": f"P{uid}"}, NOW - timedelta(days=1))
        election, _ = await elections.create_election(
            tx,
            cluster_id=cluster_id,
            positions=["chair"],
            voters="members",
            meeting_id=None,
            candidacy="recommendation",
            tie_rule="runoff",
            created_by=1,
            now=NOW,
            source_update_id=7,
        )
        contest = await elections.open_contest(tx, election.id, "chair", 1, [11, 12, 23], NOW)
        await elections.set_status(tx, election.id, "voting", NOW)
        for voter, choice in ((21, 11), (22, 12)):
            await ballots.cast_vote(tx, contest.id, voter, choice)
        election = await elections.get_election(tx, election.id)
        runoffs = await results.close_and_count(tx, election, NOW + timedelta(hours=1))
        candidates = await ballots.ballot_candidates(tx, runoffs[0].id)
        first = await elections.get_contest(tx, contest.id)
    assert [(c.position, c.round) for c in runoffs] == [("chair", 2)]
    assert candidates == [11, 12]  # 23 had no vote
    assert first.status == "closed" and first.eligible == 6  # the five and the facilitator


def test_a_results_page_button_parses_and_a_forged_one_does_not():
    assert rules.parse_results_page("og1:es:12") == rules.ResultsPage(12, 0)
    assert rules.parse_results_page("og1:es:12:1") == rules.ResultsPage(12, 1)
    for forged in (None, "og1:es", "og1:es:x", "og1:es:12:x", "og1:es:12:500", "og1:e:12", "xx1:es:12"):
        assert rules.parse_results_page(forged) is None


def test_voted_by_phone_counts_each_eligible_voter_once_across_the_open_ballots():
    # Ani voted on both ballots, Bayu on one, 9 voted but may not vote (joined after the opening).
    assert rules.voted_by_phone([1, 2, 3, 4], [{1, 2, 9}, {1}]) == (2, 4)
    assert rules.voted_by_phone([1, 2], []) == (0, 2)
