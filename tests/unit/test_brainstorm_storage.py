"""Brainstorming storage on a real SQLite file: card numbers, one dot per slot, merging, in-room dots, the shortlist."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import brainstorm, brainstorm_votes, clusters, users

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


async def _session(db):
    async with db.transaction() as tx:
        for uid in (1, 2, 3):
            await users.remember_user(tx, uid, f"U{uid}", None, None, "id", NOW)
        cluster = await clusters.create_cluster(
            tx,
            name="Sentra",
            regency="Kota",
            province="Jateng",
            industry="batik",
            timezone="Asia/Jakarta",
            invite_code="BS1",
            created_by=1,
            full_name="Fasil",
            now=NOW,
            source_update_id=1,
        )
        session, new = await brainstorm.create_session(
            tx,
            cluster_id=cluster.id,
            meeting_id=None,
            small_group_id=None,
            question="Apa?",
            template="free",
            audience="cluster",
            anonymous=True,
            dots=3,
            facilitator_id=1,
            participant_ids=[2, 3],
            now=NOW,
            source_update_id=5,
        )
        again, new_again = await brainstorm.create_session(
            tx,
            cluster_id=cluster.id,
            meeting_id=None,
            small_group_id=None,
            question="Apa?",
            template="free",
            audience="cluster",
            anonymous=True,
            dots=3,
            facilitator_id=1,
            participant_ids=[2, 3],
            now=NOW,
            source_update_id=5,
        )
    assert new and not new_again and again.id == session.id
    return session


async def test_cards_are_numbered_once_per_update_and_withdrawn_cards_drop_out(database):
    session = await _session(database)
    async with database.transaction() as tx:
        first, _ = await brainstorm.add_card(
            tx,
            session.id,
            author_id=2,
            entered_by=2,
            column=None,
            kind="text",
            text="A",
            file_id=None,
            duration=None,
            now=NOW,
            source_update_id=10,
        )
        replay, new = await brainstorm.add_card(
            tx,
            session.id,
            author_id=2,
            entered_by=2,
            column=None,
            kind="text",
            text="A",
            file_id=None,
            duration=None,
            now=NOW,
            source_update_id=10,
        )
        second, _ = await brainstorm.add_card(
            tx,
            session.id,
            author_id=None,
            entered_by=1,
            column=None,
            kind="voice",
            text=None,
            file_id="f1",
            duration=30,
            now=NOW,
            source_update_id=11,
        )
        assert (first.number, second.number, replay.id, new) == (1, 2, first.id, False)
        assert await brainstorm.withdraw_card(tx, first.id, NOW)
        assert not await brainstorm.withdraw_card(tx, first.id, NOW)
        assert [c.number for c in await brainstorm.cards_of(tx, session.id)] == [2]
        counts, authors = await brainstorm.card_counts(tx, session.id)
    assert counts == {None: 1} and authors == 0  # the paper card has no author


async def test_the_phase_moves_once(database):
    session = await _session(database)
    async with database.transaction() as tx:
        assert await brainstorm.move_phase(tx, session.id, "collecting", "revealed")
        assert not await brainstorm.move_phase(tx, session.id, "collecting", "revealed")


async def test_a_slot_holds_one_dot_and_merging_keeps_every_dot(database):
    session = await _session(database)
    async with database.transaction() as tx:
        a = await brainstorm_votes.create_theme(tx, session.id, "A", NOW)
        b = await brainstorm_votes.create_theme(tx, session.id, "B", NOW)
        assert await brainstorm_votes.place_dot(tx, session.id, a.id, 2, 1, NOW)
        assert not await brainstorm_votes.place_dot(tx, session.id, b.id, 2, 1, NOW)  # the same slot twice
        assert await brainstorm_votes.place_dot(tx, session.id, b.id, 2, 2, NOW)
        assert await brainstorm_votes.take_back_dot(tx, session.id, b.id, 2)
        assert not await brainstorm_votes.take_back_dot(tx, session.id, b.id, 2)
        assert await brainstorm_votes.used_slots(tx, session.id, 2) == [1]
        assert await brainstorm_votes.set_room_dots(tx, session.id, b.id, 0, 2, 1, NOW)
        assert not await brainstorm_votes.set_room_dots(tx, session.id, b.id, 0, 1, 1, NOW)  # drawn before the change
        assert await brainstorm_votes.set_room_dots(tx, session.id, b.id, 2, 1, 1, NOW)
        assert await brainstorm_votes.merge_themes(tx, b.id, a.id)
        assert not await brainstorm_votes.merge_themes(tx, b.id, a.id)
        assert [t.title for t in await brainstorm_votes.themes_of(tx, session.id)] == ["A"]
        assert await brainstorm_votes.phone_dots(tx, session.id) == {a.id: 1}
        assert await brainstorm_votes.room_dots(tx, session.id) == {a.id: 1}
        assert await brainstorm_votes.voters(tx, session.id) == {2: 1}


async def test_the_shortlist_is_stored_for_the_action_plans(database):
    session = await _session(database)
    async with database.transaction() as tx:
        theme = await brainstorm_votes.create_theme(tx, session.id, "Bahan baku", NOW)
        await brainstorm_votes.save_shortlist(tx, session.id, [(theme.id, "Bahan baku", 5, 1)])
        await brainstorm_votes.save_shortlist(tx, session.id, [(theme.id, "Bahan baku", 6, 1)])
        items = await brainstorm_votes.shortlist_of(tx, session.id)
    assert [(i.title, i.dots, i.rank) for i in items] == [("Bahan baku", 6, 1)]
