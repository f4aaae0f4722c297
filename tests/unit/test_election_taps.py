"""Which election taps are accepted when: the set-up's steps in order, and a vote only from its confirm screen."""

from __future__ import annotations

from conversations.organisation import election_rules as er
from conversations.organisation.election_rules import BallotTap, SetupStep, SetupTap


def test_set_up_buttons_parse_to_typed_taps_and_forged_ones_to_nothing():
    assert er.parse_setup_tap("og1:ep:chair") == SetupTap("ep", "chair")
    assert er.parse_setup_tap("og1:em:12") == SetupTap("em", "12")
    assert er.parse_setup_tap("og1:em:12").meeting_id == 12
    assert er.parse_setup_tap("og1:ego") == SetupTap("ego")
    for forged in (
        "og1:ep:king",
        "og1:ev:everyone",
        "og1:em:x",
        "og1:em:0",
        "og1:em:",
        "og1:epd:1",
        "og1:et",
        "og1:ec:a:b",
        "sv1:ep:chair",
        "",
        None,
    ):
        assert er.parse_setup_tap(forged) is None, forged


def test_the_set_up_takes_each_step_in_order_and_only_its_own_buttons():
    draft = {"cluster_id": 1, "positions": ["chair"]}
    assert er.setup_step(draft) is SetupStep.POSITIONS
    assert not er.fits_step(SetupStep.POSITIONS, SetupTap("et", "lots"))  # a later step's button
    assert not er.fits_step(SetupStep.POSITIONS, SetupTap("ego"))  # create before the last step
    draft |= {"positions_done": True, "voters": "meeting"}
    assert er.setup_step(draft) is SetupStep.MEETING
    assert er.fits_step(SetupStep.MEETING, SetupTap("em", "4"))
    assert er.fits_step(SetupStep.MEETING, SetupTap("ev", "members"))  # "all members" when there is no meeting
    assert not er.fits_step(SetupStep.MEETING, SetupTap("ec", "nomination"))  # skipping the meeting
    draft |= {"meeting_id": 4, "candidacy": "nomination", "tie_rule": "lots"}
    assert er.setup_step(draft) is SetupStep.REVIEW
    assert er.fits_step(SetupStep.REVIEW, SetupTap("ego"))
    assert not er.fits_step(SetupStep.REVIEW, SetupTap("ep", "chair"))  # an earlier screen's button


def test_a_tapped_position_toggles_in_the_guideline_order():
    assert er.setup_change({"positions": ["secretary"]}, SetupTap("ep", "chair")) == {
        "positions": ["chair", "secretary"]
    }
    assert er.setup_change({"positions": ["chair"]}, SetupTap("ep", "chair")) == {"positions": []}


def test_ballot_taps_parse_and_a_cast_without_its_key_is_unconfirmed():
    assert er.parse_ballot_tap("og1:bc:3", "bc") == BallotTap(3)
    assert er.parse_ballot_tap("og1:bp:3:77", "bp") == BallotTap(3, 77)
    assert er.parse_ballot_tap("og1:bx:3:77:0123456789abcdef", "bx") == BallotTap(3, 77, "0123456789abcdef")
    assert er.parse_ballot_tap("og1:bx:3:77", "bx") == BallotTap(3, 77, None)  # an old or forged cast button
    forged = [
        ("og1:bx:3:77:short", "bx"),
        ("og1:bx:3:x", "bx"),
        ("og1:bp:3", "bp"),
        ("og1:bc:3:4", "bc"),
        ("og1:bp:3:77", "bx"),
        ("og1:bc:0", "bc"),
        ("og1:bx:3:77:0123456789ABCDEF:1", "bx"),
    ]
    for data, kind in forged:
        assert er.parse_ballot_tap(data, kind) is None, data


def test_only_the_latest_confirm_screen_casts_and_only_for_its_choice():
    key = er.new_confirmation_key()
    seal = er.seal_of(key, 77)
    assert er.was_confirmed(seal, BallotTap(3, 77, key))
    assert not er.was_confirmed(seal, BallotTap(3, 78, key))  # the key of 77's screen with another candidate
    assert not er.was_confirmed(seal, BallotTap(3, 77, er.new_confirmation_key()))  # an older screen
    assert not er.was_confirmed(seal, BallotTap(3, 77, None))  # no confirm screen at all
    assert not er.was_confirmed(None, BallotTap(3, 77, key))  # cast already, or chose again
    assert er.seal_of(key, 78) != seal and key not in seal  # the stored seal names no candidate and keeps no key
