"""Forged and out-of-order taps stop at the flow's rules: a short answer, and nothing stored.

Cluster A's facilitator drives the real bot to get real buttons; then they are pressed out of
order, by cluster B's facilitator, by a plain member, with other clusters' or unknown ids and
malformed. Each such tap gets one short answer (never the apology) and leaves every table as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from conversations.meetings.invitations import plan_invitations
from emulator import SimulatedUser
from storage import meetings
from storage.meetings import Meeting
from tests.e2e.chats import wait_for
from tests.e2e.seed import Seeded, seed_cluster
from tests.e2e.taps import data_of, errors_logged, quiet, refused

FAC_A, FAC_B = (620001, "Bu Ani"), (620101, "Pak Budi")
MEMBERS_A = [(620011, "Citra"), (620012, "Dodi"), (620013, "Eka")]
MEMBER_B = (620111, "Fajar")
STALE = "This button is no longer valid. Type /menu to start again."
CONFIRM_FIRST = "Please confirm this on its confirm screen first. Nothing was changed."
VOTE_NEEDS_CONFIRM = (
    "This vote needs its confirm screen: tap your candidate, then ✅ Cast my vote. Nothing was counted."
)


@pytest.fixture(autouse=True)
def no_error_logged(caplog):
    """No tap of these tests may end in an error the bot logs (or an update it would try again)."""
    yield
    assert errors_logged(caplog.records) == []


@dataclass
class World:
    """Cluster A (its facilitator, three members, a meeting) and cluster B (its facilitator, a member, a meeting)."""

    a: Seeded
    b: Seeded
    meeting_a: Meeting
    meeting_b: Meeting
    people: dict[str, SimulatedUser]

    def __getattr__(self, name: str) -> SimulatedUser:
        """``world.fac`` (A's facilitator), ``world.other`` (B's), ``world.citra`` ... by first name."""
        if name.startswith("_"):
            raise AttributeError(name)
        return self.people[{"fac": "Bu Ani", "other": "Pak Budi"}.get(name, name.title())]


async def two_clusters(bot, clock, emulator) -> World:
    """Seed the two clusters straight through storage (their people have all opened the bot)."""
    db = bot.application.services.db
    people = {name: emulator.user(uid, name, language_code="en") for uid, name in [FAC_A, FAC_B, *MEMBERS_A, MEMBER_B]}
    a = await seed_cluster(
        db, clock.now(), facilitator=FAC_A, groups={}, others=MEMBERS_A, code="FORGEDAA", language="en"
    )
    b = await seed_cluster(
        db,
        clock.now(),
        facilitator=FAC_B,
        groups={},
        others=[MEMBER_B],
        name="Sentra Bordir",
        code="FORGEDBB",
        language="en",
    )
    found = []
    async with db.transaction() as tx:
        for seeded, organiser, invited in ((a, FAC_A, MEMBERS_A), (b, FAC_B, [MEMBER_B])):
            meeting, _new = await meetings.create_meeting(
                tx,
                cluster_id=seeded.cluster_id,
                kind="fgd2",
                topic="Forum " + "AB"[len(found)],
                starts_at=clock.now() + timedelta(days=2),
                place="Balai Desa",
                latitude=None,
                longitude=None,
                agenda=None,
                audience={"everyone": True},
                capacity=None,
                reminders=(),
                checkin_code=f"code{len(found)}",
                organiser_id=organiser[0],
                invitee_ids=[uid for uid, _n in invited],
                now=clock.now(),
                source_update_id=-organiser[0],
            )
            found.append(meeting)
    return World(a, b, *found, people)


async def _new_election(person, voters: str) -> None:
    """Walk the set-up to its third step: the chair is elected, by ``voters``."""
    await person.ask("/organisation")
    await person.press("🗳 Elections")
    await person.press("➕ New election")
    await person.press("⬜ Chair")
    await person.press("Done ▶")
    await person.press(voters)


async def test_election_set_up_taps_out_of_order_or_from_another_cluster_get_a_short_answer_and_store_nothing(
    emulator, clocked_bot, clock
):
    bot, world = clocked_bot, await two_clusters(clocked_bot, clock, emulator)
    fac, other, citra = world.fac, world.other, world.citra
    await fac.ask("/organisation")
    await fac.press("🗳 Elections")
    await fac.press("➕ New election")
    chair, done = data_of(fac, "⬜ Chair"), data_of(fac, "Done ▶")

    # Step 1 of 5: the buttons of later steps (as the set-up builds them) do nothing yet.
    for data in ("og1:ev:meeting", "og1:ec:nomination", "og1:et:runoff", "og1:ego"):
        assert await refused(bot, fac, data) == STALE
    await fac.press("⬜ Chair")
    await fac.press("Done ▶")
    await fac.press("Members checked in at a meeting")
    meeting_button = data_of(fac, "Forum A")

    # The meeting step waits for its meeting: replayed later steps, and step 1's buttons, are refused
    # (this replay crashed with "CHECK constraint failed: voters = 'members' OR meeting_id IS NOT NULL").
    for data in ("og1:ec:recommendation", "og1:et:lots", "og1:ego", chair, done):
        assert await refused(bot, fac, data) == STALE
    # Another cluster's meeting, one that does not exist, and malformed data.
    for data in (f"og1:em:{world.meeting_b.id}", "og1:em:999999", "og1:em:x", "og1:em", "og1:ep:king", "og1:ego:1"):
        assert await refused(bot, fac, data) == STALE

    # Cluster B's facilitator replays A's buttons in a set-up of their own; a member of A is refused.
    await _new_election(other, "Members checked in at a meeting")
    assert await refused(bot, other, meeting_button) == STALE
    assert await refused(bot, other, "og1:ego") == STALE
    await citra.ask("/menu")
    for data in ("og1:en", chair, meeting_button, "og1:ego"):
        assert await refused(bot, citra, data) == "Only a facilitator of this cluster can do this."

    # In order, the election is created; its set-up buttons are then a finished draft's.
    await fac.press("Forum A")
    await fac.press("🤝 The facilitator recommends")
    await fac.press("🎲 Lots drawn by the bot (recorded)")
    await fac.press("✅ Create the election")
    reply = next(m for m in fac.bot_messages if "Election of the board" in m.text)  # edited above the answers
    assert 'checked in at "Forum A"' in reply.text
    for data in ("og1:ego", chair, meeting_button, "og1:et:lots"):
        assert await refused(bot, fac, data) == STALE


async def _election_with_two_candidates(bot, fac) -> None:
    """All members vote for the chair; the facilitator recommends Citra and Dodi."""
    await _new_election(fac, "All members of the cluster")
    await fac.press("🤝 The facilitator recommends")
    await fac.press("🎲 Lots drawn by the bot (recorded)")
    await fac.press("✅ Create the election")
    for name in ("Citra", "Dodi"):
        await fac.press("🤝 Recommend a candidate")
        await fac.press("Chair")
        reply = await fac.press(name)
        assert "✅ Candidate added." in reply.text
    await quiet(bot)


async def test_a_vote_counts_only_from_its_confirm_screen_and_forged_casts_count_nothing(emulator, clocked_bot, clock):
    bot, world = clocked_bot, await two_clusters(clocked_bot, clock, emulator)
    fac, eka, citra, other = world.fac, world.eka, world.citra, world.other
    await _election_with_two_candidates(bot, fac)
    election = data_of(fac, "▶️ Open the voting").split(":")[2]
    # "Yes, open the voting" without its confirm screen opens nothing.
    assert await refused(bot, fac, f"og1:eoy:{election}") == CONFIRM_FIRST
    await fac.press("▶️ Open the voting")
    await fac.press("▶️ Yes, open the voting")
    await wait_for(eka, "Voting is open", timeout=15)
    await quiet(bot)

    await eka.press("🗳 Vote")
    await eka.press("🗳 Chair")
    pick_citra = data_of(eka, "Citra")
    contest, citra_id = pick_citra.split(":")[2:4]
    dodi_id = data_of(eka, "Dodi").split(":")[3]
    # A cast with no confirm screen behind it (it used to count the vote), and malformed casts.
    assert await refused(bot, eka, f"og1:bx:{contest}:{citra_id}") == VOTE_NEEDS_CONFIRM
    for data in (
        f"og1:bx:{contest}",
        f"og1:bx:{contest}:{citra_id}:not-a-key",
        "og1:bx:x:y",
        f"og1:bx:999999:{citra_id}",
    ):
        assert await refused(bot, eka, data) == STALE

    reply = await eka.press("Citra")
    assert "You chose <b>Citra</b>" in reply.html
    cast_citra = data_of(eka, "✅ Cast my vote")
    key = cast_citra.split(":")[4]
    # The confirm screen's key with another candidate, the same key on another person's phone,
    # and another cluster's facilitator: nothing counts.
    assert await refused(bot, eka, f"og1:bx:{contest}:{dodi_id}:{key}") == VOTE_NEEDS_CONFIRM
    await citra.ask("/menu")
    assert await refused(bot, citra, cast_citra) == VOTE_NEEDS_CONFIRM
    await other.ask("/menu")
    assert await refused(bot, other, cast_citra) == "Only members of this cluster can vote."
    # Choosing again retires that screen: its Cast button no longer counts.
    await eka.press("↩️ Choose again")
    assert await refused(bot, eka, cast_citra) == VOTE_NEEDS_CONFIRM

    await eka.press("Dodi")
    cast_dodi = data_of(eka, "✅ Cast my vote")
    reply = await eka.press("✅ Cast my vote")
    assert "Your vote for Chair is cast" in reply.text
    assert (await refused(bot, eka, cast_dodi)).startswith("You have already voted")
    # Closing needs its confirm screen too.
    await fac.ask("/menu")
    assert await refused(bot, fac, f"og1:exy:{election}") == CONFIRM_FIRST


async def test_meeting_buttons_of_a_cancelled_meeting_or_another_cluster_get_a_short_answer(
    emulator, clocked_bot, clock
):
    bot, world = clocked_bot, await two_clusters(clocked_bot, clock, emulator)
    fac, other, citra, fajar, meeting = world.fac, world.other, world.citra, world.fajar, world.meeting_a
    async with bot.application.services.db.transaction() as tx:
        await plan_invitations(tx, meeting, [uid for uid, _n in MEMBERS_A], clock.now())
    bot.application.services.reminders.wake()
    card = await wait_for(citra, "Forum A", timeout=15)
    coming = card.inline_keyboard[0][0]["callback_data"]
    await quiet(bot)

    await fac.ask("/meetings")
    await fac.press("Forum A")
    cancel = data_of(fac, "✖️ Cancel the meeting")
    await fac.press("✔️ Tick attendance")
    tick_citra = data_of(fac, "Citra")
    # Calling the meeting off needs its confirm screen (it used to cancel at once).
    assert await refused(bot, fac, f"mt1:cancelyes:{meeting.id}") == CONFIRM_FIRST
    # Another cluster's facilitator, and a member, press the organiser's buttons.
    await other.ask("/menu")
    for data in (
        f"mt1:open:{meeting.id}",
        cancel,
        f"mt1:cancelyes:{meeting.id}",
        tick_citra,
        f"mt1:tick:{meeting.id}:0",
    ):
        assert await refused(bot, other, data) == STALE
    await citra.ask("/menu")
    assert (await refused(bot, citra, cancel)).startswith("Only ")
    # RSVPs: forged choices, an unknown meeting, someone of another cluster.
    assert await refused(bot, citra, f"mt1:r:{meeting.id}:perhaps") == STALE
    assert await refused(bot, citra, "mt1:r:999999:yes") == "You are not on the invitation list of this meeting."
    await fajar.ask("/menu")
    assert await refused(bot, fajar, coming) == "You are not on the invitation list of this meeting."

    await fac.ask("/meetings")
    await fac.press("Forum A")
    await fac.press("✖️ Cancel the meeting")
    await fac.press("Yes, cancel it and tell everyone")
    await wait_for(citra, "Meeting cancelled", timeout=15)
    # After the cancellation: an RSVP, a tick, and the same cancellation again change nothing.
    assert await refused(bot, citra, coming, on=card) == "This meeting was cancelled."  # and a reply says more
    assert await refused(bot, fac, tick_citra) == "❌ This meeting was cancelled."
    assert await refused(bot, fac, f"mt1:cancelyes:{meeting.id}") == "This meeting was cancelled."
    assert await refused(bot, fac, cancel) == "This meeting was cancelled."


async def test_survey_buttons_of_a_closed_round_or_another_cluster_get_a_short_answer(emulator, clocked_bot, clock):
    bot, world = clocked_bot, await two_clusters(clocked_bot, clock, emulator)
    fac, other, citra = world.fac, world.other, world.citra
    await fac.ask("/survey")
    await fac.press("➕ Open a survey round")
    await fac.ask("Condition 2026")
    await fac.press("In 1 week")
    invitation = await wait_for(citra, "asks for your view", timeout=15)
    await quiet(bot)
    await fac.ask("/survey")
    close = data_of(fac, "🔒 Close")
    survey_round = close.split(":")[2]
    await fac.press("🎤 Interview")
    someone = data_of(fac, "➕ Someone not in the list")
    interview_citra = data_of(fac, "Citra")

    # "Yes, close it" without its confirm screen closes nothing.
    assert await refused(bot, fac, f"sv1:closeyes:{survey_round}") == CONFIRM_FIRST
    await other.ask("/menu")
    for data in (
        close,
        f"sv1:closeyes:{survey_round}",
        someone,
        interview_citra,
        f"sv1:ans:{survey_round}",
        "sv1:close:x",
    ):
        assert await refused(bot, other, data) == STALE
    assert (await refused(bot, citra, f"sv1:closeyes:{survey_round}", on=invitation)).startswith("Only a facilitator")

    await fac.ask("/survey")
    await fac.press("🔒 Close")
    await fac.press("Yes, close it")
    await quiet(bot)
    # The closed round: answering, interviewing (it used to start a draft) and closing again.
    assert (
        await refused(bot, citra, invitation.inline_keyboard[0][0]["callback_data"], on=invitation)
        == "This survey round is closed."
    )
    for data in (someone, interview_citra, close, f"sv1:closeyes:{survey_round}"):
        assert await refused(bot, fac, data) == "This survey round is closed."
