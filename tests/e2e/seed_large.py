"""Seed the biggest data a flow meets, straight through storage: a committee of 100 clusters, a cluster
of 300 members with long names, a meeting of 300 invitees, a survey round of 300 answers, brainstorms
with hundreds of cards and themes, an election with dozens of candidates, a plan with many activities."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage import (
    action_plans,
    ballots,
    brainstorm,
    brainstorm_votes,
    clusters,
    committees,
    elections,
    forms,
    meetings,
    surveys,
    users,
)
from storage import reminders as due_messages
from tests.e2e.seed import seed_cluster

MEMBERS = 300
GROUP_SIZE = 15  # twenty small groups of fifteen


def long_name(number: int) -> str:
    """A member's name as long as the profile allows (80 characters), numbered so a test can find it."""
    return f"Ibu Sri Rahayu Wulandari Kusumaningtyas Hadiningrat Putri Laweyan Surakarta {number:03d}"


@dataclass
class BigCluster:
    """Ids of what was seeded in the cluster of 300."""

    cluster_id: int
    member_ids: list[int]
    meeting_id: int = 0
    round_id: int = 0
    grouping_session: int = 0
    results_session: int = 0
    election_id: int = 0
    plan_id: int = 0


async def seed_committee(
    db, now: datetime, *, secretary: tuple[int, str], facilitator: tuple[int, str], count: int = 100
) -> int:
    """A committee following ``count`` clusters with long names, ``secretary`` its secretary."""
    async with db.transaction() as tx:
        for uid, name in (secretary, facilitator):
            await users.remember_user(tx, uid, name, None, None, "id", now)
        committee, _new = await committees.create_committee(
            tx,
            name="Forum Pengembangan Ekonomi dan Sumber Daya Jawa Tengah",
            level="province",
            timezone="Asia/Jakarta",
            invite_code="BIGCOMM1",
            created_by=facilitator[0],
            now=now,
            source_update_id=-8_000_000,
        )
        for number in range(1, count + 1):
            cluster = await clusters.create_cluster(
                tx,
                name=f"Sentra Batik Tulis dan Cap Kampung Wisata Kabupaten Nomor {number:03d} Jawa Tengah",
                regency="Kota Surakarta",
                province="Jawa Tengah",
                industry="batik",
                timezone="Asia/Jakarta",
                invite_code=f"BIG{number:05d}",
                created_by=facilitator[0],
                full_name=facilitator[1],
                now=now,
                source_update_id=-8_000_000 - number,
            )
            await committees.toggle_cluster(tx, committee.id, cluster.id)
        await committees.join(tx, committee.id, secretary[0], secretary[1], "government", now)
        await committees.appoint(tx, committee.id, secretary[0], "secretary")
    return committee.id


async def seed_big_cluster(db, now: datetime, facilitator: tuple[int, str], first_member: int) -> BigCluster:
    """A cluster of 300 members (long names) in twenty small groups of fifteen."""
    people = [(first_member + n, long_name(n + 1)) for n in range(MEMBERS)]
    groups = {
        f"Grup {g + 1:02d} pembatik tulis dan cap Laweyan Kidul": people[g * GROUP_SIZE : (g + 1) * GROUP_SIZE]
        for g in range(MEMBERS // GROUP_SIZE)
    }
    seeded = await seed_cluster(db, now, facilitator=facilitator, groups=groups, code="BIGCLUS1")
    return BigCluster(seeded.cluster_id, [uid for uid, _name in people])


async def seed_meeting(db, now: datetime, big: BigCluster, organiser: int) -> None:
    """A meeting within the hour with all 300 invited: a third coming, a third maybe, forty not reached, half present."""
    async with db.transaction() as tx:
        meeting, _new = await meetings.create_meeting(
            tx,
            cluster_id=big.cluster_id,
            kind="regular",
            topic="Pertemuan rutin bulanan seluruh anggota klaster",
            starts_at=now + timedelta(minutes=30),
            place="Pendapa Kelurahan Laweyan",
            latitude=None,
            longitude=None,
            agenda=None,
            audience={"everyone": True},
            capacity=None,
            reminders=(),
            checkin_code="BIGMEET1",
            organiser_id=organiser,
            invitee_ids=big.member_ids,
            now=now,
            source_update_id=-8_100_000,
        )
        for index, uid in enumerate(big.member_ids):
            await meetings.set_delivery(tx, meeting.id, uid, "blocked" if index >= MEMBERS - 40 else "sent")
            if index % 3 < 2:
                await meetings.set_rsvp(tx, meeting.id, uid, "yes" if index % 3 == 0 else "maybe", now)
            if index % 2 == 0:
                await meetings.check_in(tx, meeting.id, uid, "ticked", now)
    big.meeting_id = meeting.id


async def seed_survey(db, now: datetime, big: BigCluster, form, opened_by: int) -> None:
    """A survey round every one of the 300 members answered."""
    async with db.transaction() as tx:
        survey_round, _new = await surveys.open_round(
            tx,
            cluster_id=big.cluster_id,
            form_id=form.id,
            form_version=form.version,
            title="Survei kondisi klaster 2026",
            closes_at=None,
            opened_by=opened_by,
            now=now,
            source_update_id=-8_200_000,
        )
        scored = [q for q in form.questions if q.scored]
        for index, uid in enumerate(big.member_ids):
            response = await forms.start_response(
                tx,
                form_id=form.id,
                form_version=form.version,
                subject=survey_round.subject,
                respondent_id=uid,
                respondent_name=None,
                entered_by=uid,
                now=now,
            )
            for number, question in enumerate(scored):
                await forms.save_answer(
                    tx,
                    response.id,
                    question.name,
                    question.choices[(index + number) % len(question.choices)].name,
                    None,
                    now,
                )
            await forms.submit(tx, response.id, now)
    big.round_id = survey_round.id


async def _session(tx, now: datetime, big: BigCluster, facilitator: int, question: str, update_id: int, phase: str):
    session, _new = await brainstorm.create_session(
        tx,
        cluster_id=big.cluster_id,
        meeting_id=None,
        small_group_id=None,
        question=question,
        template="free",
        audience="cluster",
        anonymous=False,
        dots=3,
        facilitator_id=facilitator,
        participant_ids=big.member_ids,
        now=now,
        source_update_id=update_id,
    )
    phases = ("collecting", "revealed", "grouping", "voting", "results")
    for current, target in itertools.pairwise(phases[: phases.index(phase) + 1]):
        await brainstorm.move_phase(tx, session.id, current, target)
    return session


async def seed_brainstorms(db, now: datetime, big: BigCluster, facilitator: int) -> None:
    """One session being grouped (300 long cards, 40 themes) and one with its results (80 themes with dots)."""
    async with db.transaction() as tx:
        grouping = await _session(
            tx, now, big, facilitator, "Apa hambatan terbesar usaha batik kita tahun ini?", -8_300_000, "grouping"
        )
        themes = [
            await brainstorm_votes.create_theme(
                tx, grouping.id, f"Tema hambatan pemasaran dan bahan baku nomor {n:02d}", now
            )
            for n in range(40)
        ]
        for index, uid in enumerate(big.member_ids):
            text = (
                f"Kartu {index + 1}: harga kain mori dan pewarna naik terus 🎉, "
                + "pembeli di pasar Klewer makin sedikit " * 8
            )
            card, _new = await brainstorm.add_card(
                tx,
                grouping.id,
                author_id=uid,
                entered_by=uid,
                column=None,
                kind="text",
                text=text.strip()[:500],
                file_id=None,
                duration=None,
                now=now,
                source_update_id=-8_310_000 - index,
            )
            if index < 260:
                await brainstorm.set_card_theme(tx, card.id, themes[index % 40].id)
        results = await _session(
            tx, now, big, facilitator, "Kegiatan apa yang paling penting untuk klaster?", -8_400_000, "results"
        )
        for n in range(80):
            theme = await brainstorm_votes.create_theme(
                tx, results.id, f"Usulan kegiatan pelatihan dan promosi bersama nomor {n + 1:02d}", now
            )
            await brainstorm_votes.set_room_dots(tx, results.id, theme.id, 0, 100 - n, facilitator, now)
    big.grouping_session, big.results_session = grouping.id, results.id


async def seed_election(db, now: datetime, big: BigCluster, facilitator: int) -> None:
    """A closed election of every position, forty recommended candidates each, all 300 voting."""
    positions = ["chair", "vice_chair", "secretary", "treasurer", "admin_head", "auditor", "protocol"]
    async with db.transaction() as tx:
        election, _new = await elections.create_election(
            tx,
            cluster_id=big.cluster_id,
            positions=positions,
            voters="members",
            meeting_id=None,
            candidacy="recommendation",
            tie_rule="lots",
            created_by=facilitator,
            now=now,
            source_update_id=-8_500_000,
        )
        for p, position in enumerate(positions):
            candidates = big.member_ids[p * 40 : (p + 1) * 40]
            for uid in candidates:
                await elections.propose(tx, election.id, position, uid, facilitator, "recommended", now)
            contest = await elections.open_contest(tx, election.id, position, 1, candidates, now)
            for index, voter in enumerate(big.member_ids):
                await ballots.cast_vote(tx, contest.id, voter, candidates[min(index % 60, 39)])
            await elections.close_contest(tx, contest.id, MEMBERS, now)
            await elections.decide_position(tx, election.id, position, candidates[0], "votes")
        await elections.set_status(tx, election.id, "closed", now)
    big.election_id = election.id


async def seed_plan(db, now: datetime, big: BigCluster, facilitator: int) -> None:
    """A published plan of 40 activities with owners, 15 indicators, and 60 progress reports overdue."""
    async with db.transaction() as tx:
        plan = await action_plans.create_plan(
            tx, big.cluster_id, "Rencana kegiatan pemasaran bersama batik Laweyan 2027", None, facilitator, now
        )
        output = await action_plans.add_output(
            tx, plan.id, "Penjualan anggota naik lewat pameran dan toko daring bersama"
        )
        for n in range(15):
            await action_plans.add_indicator(
                tx, plan.id, output.id, f"Jumlah kain terjual lewat saluran nomor {n + 1}", "lembar", 10, 500
            )
        activities = []
        for n in range(40):
            activity = await action_plans.add_activity(
                tx,
                plan.id,
                f"Pelatihan pemasaran daring dan foto produk kelompok {n + 1:02d}",
                "2026-11-01",
                "2027-06-30",
            )
            await action_plans.update_activity(tx, activity.id, owner_id=big.member_ids[n])
            activities.append(activity)
        await action_plans.set_status(tx, plan.id, "draft", "published", now)
        for n in range(60):  # a late report is a due row the reminder engine already handled
            activity, week = activities[n % 40], n // 40
            key = f"big:plan:{activity.id}:{week}:overdue"
            period = (now - timedelta(days=14 + 7 * week)).date().isoformat()
            await due_messages.schedule(
                tx, key, "plan.overdue", now - timedelta(days=1), {"activity": activity.id, "period": period}, now
            )
            due = await due_messages.get_by_key(tx, key)
            await due_messages.claim(tx, due.id)
            await due_messages.finish(tx, due.id, "sent", "seeded", now)
    big.plan_id = plan.id
