"""Forged and out-of-order taps in membership, small groups, committees, plans, broadcasts and brainstorming: a short
answer, and nothing stored (see test_forged_taps.py for elections, ballots, meetings and the survey)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.buttons import callback_data
from storage import action_plans, brainstorm, committees, memberships, small_groups
from tests.e2e.chats import wait_for, wait_for_any
from tests.e2e.menus import open_entry
from tests.e2e.taps import data_of, errors_logged, quiet, refused
from tests.e2e.test_forged_taps import CONFIRM_FIRST, FAC_A, STALE, two_clusters

PLAN_CLOSED = "This plan is closed; it takes no more changes or progress reports."


@pytest.fixture(autouse=True)
def no_error_logged(caplog):
    """No tap of these tests may end in an error the bot logs (or an update it would try again)."""
    yield
    assert errors_logged(caplog.records) == []


async def test_a_new_link_leaving_and_moving_a_member_count_only_from_their_confirm_screens(
    emulator, clocked_bot, clock
):
    bot, world = clocked_bot, await two_clusters(clocked_bot, clock, emulator)
    fac, other, citra = world.fac, world.other, world.citra
    db = bot.application.services.db
    async with db.transaction() as tx:
        north = await small_groups.create_group(tx, world.a.cluster_id, "Utara", None, clock.now())
        south = await small_groups.create_group(tx, world.a.cluster_id, "Selatan", None, clock.now())
        await small_groups.assign_member(tx, world.a.cluster_id, citra.id, north.id)

    await fac.ask("/menu")
    await open_entry(fac, "👥 Members", "Invite members")
    assert data_of(fac, "🔄 New link (old one stops working)") == "mb1:rot"
    # The new link, leaving, and a handover to oneself (it dropped one's own facilitator role).
    assert await refused(bot, fac, "mb1:rotyes") == CONFIRM_FIRST
    assert await refused(bot, fac, f"mb1:apm:hand:{FAC_A[0]}") == STALE
    await citra.ask("/profile")
    assert data_of(citra, "🚪 Leave this cluster") == "mb1:leave"
    assert await refused(bot, citra, "mb1:leaveyes") == CONFIRM_FIRST

    # Moving Citra from Utara to Selatan: only the confirm screen's button moves her.
    move = callback_data("gr1", "move", south.id, citra.id, 0)
    assert await refused(bot, fac, move) == CONFIRM_FIRST
    await fac.ask("/menu")
    await open_entry(fac, "👥 Members", "Small groups")
    await fac.press("Selatan (0)")
    await fac.press("➕ Add members")
    await fac.press("Citra (now in Utara)")
    assert data_of(fac, "✅ Move to Selatan") == move
    await other.ask("/menu")
    for data in (
        move,
        callback_data("gr1", "put", south.id, citra.id, 0),
        callback_data("gr1", "open", north.id),
        f"gr1:move:{south.id}:x:0",
    ):
        assert await refused(bot, other, data) == STALE
    await fac.press("✅ Move to Selatan")
    assert await refused(bot, fac, move) == CONFIRM_FIRST  # the same confirm screen, tapped again


async def test_joining_a_committee_takes_its_invitation_link_not_a_forged_number(emulator, clocked_bot, clock):
    bot, world = clocked_bot, await two_clusters(clocked_bot, clock, emulator)
    citra, fajar = world.citra, world.fajar
    async with bot.application.services.db.transaction() as tx:
        committee, _new = await committees.create_committee(
            tx,
            name="FEDEP Surakarta",
            level="district",
            timezone="Asia/Jakarta",
            invite_code="FORGEDCM",
            created_by=FAC_A[0],
            now=clock.now(),
            source_update_id=-9,
        )
    await citra.open_link("https://t.me/rembug_test_bot?start=cm-FORGEDCM")
    await wait_for(citra, "FEDEP Surakarta")
    join = data_of(citra, "Core firm")
    assert join == "cm1:j:FORGEDCM:core_firm"
    # The committee's number in place of its code (how the buttons were built, and forged), a wrong code, a made-up type.
    await fajar.ask("/menu")
    for data in (f"cm1:j:{committee.id}:core_firm", "cm1:j:WRONGCOD:core_firm", "cm1:j:FORGEDCM:king", "cm1:j"):
        assert await refused(bot, fajar, data) == STALE
    await citra.press("Core firm")
    assert "You are a member of FEDEP Surakarta" in citra.last_text()


async def test_plan_buttons_of_a_closed_plan_or_for_a_period_not_due_get_a_short_answer(emulator, clocked_bot, clock):
    bot, world = clocked_bot, await two_clusters(clocked_bot, clock, emulator)
    fac, other, citra = world.fac, world.other, world.citra
    cluster = world.a.cluster_id
    async with bot.application.services.db.transaction() as tx:
        plan = await action_plans.create_plan(tx, cluster, "Pewarna alami", None, FAC_A[0], clock.now())
        activity = await action_plans.add_activity(tx, plan.id, "Pelatihan", "2026-12-01", "2027-03-31")
        await action_plans.set_status(tx, plan.id, "draft", "published", clock.now())
        await action_plans.set_status(tx, plan.id, "published", "closed", clock.now())
    await fac.ask("/plans")
    assert "Pewarna alami" in " ".join(fac.visible_buttons())
    # An owner or an indicator picked on a closed plan (picking the owner crashed).
    assert await refused(bot, fac, callback_data("pl1", "own", activity.id, citra.id)) == PLAN_CLOSED
    assert await refused(bot, fac, callback_data("pl1", "ai", activity.id, 0)) == STALE
    await other.ask("/menu")
    assert await refused(bot, other, callback_data("pl1", "own", activity.id, citra.id)) == STALE
    # Evaluations of periods nobody was asked about (year 999999 started a response), and of another cluster.
    await citra.ask("/menu")
    today = clock.now().date()
    assert today < date(today.year, 12, 20)  # the year-end evaluation of this year is not asked yet
    for data in (
        f"pl1:ye:{cluster}:999999",
        f"pl1:ye:{cluster}:{today.year}",
        f"pl1:qe:{cluster}:{today.year + 1}q1",
        f"pl1:qe:{cluster}:2026q5",
    ):
        assert await refused(bot, citra, data) == STALE
    assert await refused(bot, other, f"pl1:qe:{cluster}:{today.year}q3") == STALE


async def _compose(fac, text: str):
    await fac.ask("/broadcast")
    await fac.press("⬜ Whole cluster")
    await fac.press("Done ▶")
    await fac.send(text)
    return await wait_for(fac, "This is how recipients will see it")


async def test_broadcast_buttons_of_another_cluster_another_sender_or_a_sent_draft_get_a_short_answer(
    emulator, clocked_bot, clock
):
    bot, world = clocked_bot, await two_clusters(clocked_bot, clock, emulator)
    fac, other, citra = world.fac, world.other, world.citra
    async with bot.application.services.db.transaction() as tx:  # Bu Ani facilitates cluster B too
        await memberships.join_cluster(
            tx, world.b.cluster_id, FAC_A[0], {"full_name": "Bu Ani", "stakeholder_type": "core_firm"}, clock.now()
        )
        await memberships.set_roles(tx, world.b.cluster_id, FAC_A[0], facilitator=True)
        await memberships.set_current_cluster(tx, FAC_A[0], world.a.cluster_id)

    # A draft written for cluster A is not sent once she works in cluster B.
    review = await _compose(fac, "Iuran kas bulan ini.")
    send, later = data_of(fac, "✅ Send now"), data_of(fac, "🕐 In 1 hour")
    await fac.ask("/cluster")
    await fac.press("Sentra Bordir")
    for data in (send, later):
        assert await refused(bot, fac, data, on=review) == STALE
    await fac.ask("/cluster")
    await fac.press("Sentra Batik Laweyan")

    await _compose(fac, "Iuran kas bulan ini.")
    reply = await fac.press("🕐 In 1 hour")
    assert "Broadcast scheduled" in reply.text
    stop = data_of(fac, "✖️ Cancel this broadcast")
    await quiet(bot)
    # The sent draft's buttons, and another sender's cancel button.
    for data in (send, later, "bc1:urgent"):
        assert await refused(bot, fac, data) == STALE
    await other.ask("/menu")
    await citra.ask("/menu")
    for person in (other, citra):
        for data in (stop, send, "bc1:stop:999999", "bc1:again:x"):
            assert await refused(bot, person, data) == STALE


async def test_brainstorm_buttons_out_of_phase_or_of_another_cluster_get_a_short_answer(emulator, clocked_bot, clock):
    bot, world = clocked_bot, await two_clusters(clocked_bot, clock, emulator)
    fac, other, citra = world.fac, world.other, world.citra
    await fac.ask("/brainstorm")
    await fac.press("➕ New session")
    await fac.press("No meeting")
    await fac.press("What is holding our cluster back?")
    await fac.press("One free question")
    await fac.press("Whole cluster")
    await fac.press("🙈 Anonymous (recommended)")
    await fac.press("3 ✓")
    await fac.press("✅ Open the session")
    panel = await wait_for_any(fac, "Phase 1/6")
    reveal = data_of(fac, "👀 Close collecting and reveal the cards")
    session = reveal.split(":")[2]
    await quiet(bot)

    # Skipping phases, the shortlist before there are results, malformed data.
    assert await refused(bot, fac, f"bs1:adv:{session}:results", on=panel) == STALE
    assert await refused(bot, fac, f"bs1:ss:{session}", on=panel) == "That cannot be done in this phase of the session."
    for data in (f"bs1:adv:{session}", "bs1:adv:x:revealed", "bs1:p:999999", f"bs1:advy:{session}:grouping"):
        assert await refused(bot, fac, data, on=panel) == STALE
    # A forged "Yes" without its confirm screen closes nothing.
    assert await refused(bot, fac, f"bs1:advy:{session}:revealed", on=panel) == (
        "Please confirm this on its confirm screen first. Nothing was changed."
    )
    # Another cluster's facilitator, and a member, press the facilitator's panel.
    await other.ask("/menu")
    for data in (reveal, f"bs1:p:{session}", f"bs1:ss:{session}", f"bs1:sl:{session}"):
        assert await refused(bot, other, data) == STALE
    await citra.ask("/menu")
    assert (await refused(bot, citra, reveal)).startswith("Only ")

    # A closed session (its shortlist sent): its panel's buttons move nothing.
    async with bot.application.services.db.transaction() as tx:
        await brainstorm.move_phase(tx, int(session), "collecting", "closed")
    assert await refused(bot, fac, reveal, on=panel) == "Done already."  # and a reply says where it stands
    assert await refused(bot, fac, f"bs1:ss:{session}", on=panel) == "Done already (perhaps from another phone)."
